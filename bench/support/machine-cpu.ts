/**
 * The whole machine's CPU over a span, from /proc/stat: every process the bench starts (the
 * application, PostgreSQL, the sink) counts, which a process's own cpuUsage() cannot show.
 * Busy and stolen time in milliseconds; `null` where /proc/stat does not exist.
 */
import { readFileSync } from 'node:fs';

export interface MachineCpu {
  busyMs: number;
  stealMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function read(): number[] | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    return line.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return null;
  }
}

/** Starts a span; the returned function ends it. */
export function machineCpu(): () => MachineCpu | null {
  const before = read();
  return () => {
    const after = read();
    if (!before || !after) return null;
    const d = after.map((v, i) => v - (before[i] ?? 0));
    // user nice system idle iowait irq softirq steal
    const busy = d[0]! + d[1]! + d[2]! + d[5]! + d[6]!;
    return { busyMs: busy * TICK_MS, stealMs: (d[7] ?? 0) * TICK_MS };
  };
}
