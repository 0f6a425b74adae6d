/**
 * Which Postroom processes are alive. Each web and worker process writes a heartbeat row at
 * start and every PROCESS_HEARTBEAT_SECONDS; a row not refreshed for three intervals (or one
 * marked stopped by a clean shutdown) is a process gone. Gone rows are kept a day so the
 * workers page can say what stopped, then pruned by any live process.
 */
import type { Clock } from '../../lib/clock.js';
import { coerceError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../ports.js';
import type { NewProcess, ProcessHeartbeatRepository, ProcessRole, ProcessRow } from './ports.js';

/** Missed heartbeats before a process reads as gone. */
export const GONE_AFTER_BEATS = 3;
const KEEP_GONE_MS = 86_400_000;

export interface ProcessDeps {
  db: Database;
  processHeartbeats: ProcessHeartbeatRepository;
  clock: Clock;
  log: Logger;
  heartbeatSeconds: number;
}

export interface ProcessView extends ProcessRow {
  alive: boolean;
  /** Seconds since the last heartbeat. */
  silentSeconds: number;
}

export interface Heartbeat {
  stop(): Promise<void>;
}

function goneBefore(deps: ProcessDeps, now: Date): Date {
  return new Date(now.getTime() - GONE_AFTER_BEATS * deps.heartbeatSeconds * 1000);
}

/** Writes the row now, then keeps it fresh; `stop` marks it stopped. Failures are logged, not thrown. */
export async function startHeartbeat(deps: ProcessDeps, me: NewProcess): Promise<Heartbeat> {
  const beat = async () => {
    const now = deps.clock.now();
    try {
      await deps.processHeartbeats.beat(deps.db, me, now);
      await deps.processHeartbeats.prune(deps.db, new Date(now.getTime() - KEEP_GONE_MS));
    } catch (err) {
      deps.log.warn({ err: coerceError(err).message }, 'process heartbeat failed');
    }
  };
  await beat();
  const timer = setInterval(() => void beat(), deps.heartbeatSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await deps.processHeartbeats
        .markStopped(deps.db, me.id, deps.clock.now())
        .catch((err: unknown) => deps.log.warn({ err }, 'could not mark the process stopped'));
    },
  };
}

/** Every process heard from in the last day, alive first. */
export async function listProcesses(deps: ProcessDeps): Promise<ProcessView[]> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - KEEP_GONE_MS);
  const gone = goneBefore(deps, now).getTime();
  const found = await deps.processHeartbeats.listProcesses(deps.db, since);
  return found.map((p) => ({
    ...p,
    alive: p.stoppedAt === null && p.heartbeatAt.getTime() >= gone,
    silentSeconds: Math.max(0, Math.round((now.getTime() - p.heartbeatAt.getTime()) / 1000)),
  }));
}

export function countAlive(processes: readonly ProcessView[]): Record<ProcessRole, number> {
  const out: Record<ProcessRole, number> = { web: 0, worker: 0 };
  for (const p of processes) {
    if (!p.alive) continue;
    for (const r of p.roles) out[r] += 1;
  }
  return out;
}
