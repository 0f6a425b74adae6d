/**
 * `--pairs=N`: (a) and (c) in batch mode alternately, N times in one run, and the median of the
 * pairs' c/a. On a shared VM (a) alone swings by a factor of two between runs; the two halves of
 * a pair see the same machine.
 *
 * Each side also reports its CPU per message: in the bench's own process (which is the sender
 * in (a) and the Postroom process in (c)) and on the whole machine from /proc/stat (the sink
 * and PostgreSQL too; (c)'s includes the poster's). The CPU moves less than the throughput when
 * the machine itself speeds up or slows down, and says how much more work (c) does than (a).
 */
import { machineCpu } from '../support/machine-cpu.js';
import { median } from '../support/stats.js';
import { runPostroom, runRaw, withPostroom, type PostroomOptions } from './harness.js';

interface Side {
  rate: number;
  /** ms of CPU per message in this process */
  processMs: number;
  /** ms of CPU per message on the whole machine, or null without /proc/stat */
  machineMs: number | null;
  /** ms the hypervisor reports it took from the machine during the side */
  stealMs: number;
}

async function measured(n: number, run: () => Promise<number>): Promise<Side> {
  const machine = machineCpu();
  const cpu = process.cpuUsage();
  const rate = await run();
  const used = process.cpuUsage(cpu);
  const busy = machine();
  return {
    rate,
    processMs: (used.user + used.system) / 1000 / n,
    machineMs: busy ? busy.busyMs / n : null,
    stealMs: busy?.stealMs ?? 0,
  };
}

const show = (s: Side) =>
  `${s.rate.toFixed(0)} msg/s, CPU ms/msg ${s.processMs.toFixed(2)} process` +
  (s.machineMs === null ? '' : ` ${s.machineMs.toFixed(2)} machine`) +
  (s.stealMs > 0 ? `, ${s.stealMs} ms stolen` : '');

export async function runPairs(
  pairs: number,
  n: number,
  sinkUrl: string,
  postroom: PostroomOptions,
): Promise<void> {
  console.log(`outbound bench, ${pairs} pairs of (a) and (c) batch: N=${n}, pool ${postroom.pool}`);
  const ratios: number[] = [];
  const work: number[] = [];
  for (let i = 1; i <= pairs; i++) {
    const a = await measured(n, () => runRaw(sinkUrl, n, postroom.pool));
    const c = await withPostroom(postroom, (ctx) =>
      measured(n, async () => (await runPostroom(ctx, n)).rate),
    );
    ratios.push(c.rate / a.rate);
    if (a.machineMs && c.machineMs) work.push(c.machineMs / a.machineMs);
    console.log(`pair ${i}: c/a ${(c.rate / a.rate).toFixed(2)}; (a) ${show(a)}; (c) ${show(c)}`);
  }
  const range = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
  console.log(
    `c/a, median of ${pairs} pairs: ${median(ratios).toFixed(2)} (target ≥ 0.7), range ${range}`,
  );
  if (work.length > 0)
    console.log(`machine CPU per message, (c)/(a), median of ${pairs}: ${median(work).toFixed(2)}`);
}
