/**
 * The operations services: the job monitor, the process list, the gauges a metrics scrape reads
 * from PostgreSQL (so every process reports the same truth), and `postroom status`.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../ports.js';
import { createJobMonitor, type JobMonitor } from './job-monitor.js';
import type {
  BossQueue,
  JobControl,
  JobTableReader,
  NewProcess,
  OperationsReader,
  OperationsSnapshot,
  ProcessHeartbeatRepository,
} from './ports.js';
import {
  countAlive,
  listProcesses,
  startHeartbeat,
  type Heartbeat,
  type ProcessDeps,
  type ProcessView,
} from './processes.js';

export type { JobMonitor } from './job-monitor.js';
export type { ProcessView, Heartbeat } from './processes.js';

export interface OperationsDeps {
  db: Database;
  processHeartbeats: ProcessHeartbeatRepository;
  jobs: JobTableReader;
  control: JobControl;
  reader: OperationsReader;
  clock: Clock;
  log: Logger;
  heartbeatSeconds: number;
}

export interface StatusReport {
  processes: ProcessView[];
  queues: BossQueue[];
  failedJobsLastHour: Array<{ queue: string; count: number }>;
  mailFailuresLastHour: { outbound: number; inbound: number };
  databaseBytes: number;
}

async function snapshot(deps: OperationsDeps, p: ProcessDeps): Promise<OperationsSnapshot> {
  const [queues, processes, lastTick] = await Promise.all([
    deps.control.queues(),
    listProcesses(p),
    deps.reader.lastTickAt(),
  ]);
  const now = deps.clock.now().getTime();
  return {
    queues,
    processes: countAlive(processes),
    tickLagSeconds: lastTick ? Math.max(0, (now - lastTick.getTime()) / 1000) : null,
  };
}

async function status(deps: OperationsDeps, p: ProcessDeps): Promise<StatusReport> {
  const hourAgo = new Date(deps.clock.now().getTime() - 3_600_000);
  const [processes, queues, failedJobsLastHour, mailFailuresLastHour, databaseBytes] =
    await Promise.all([
      listProcesses(p),
      deps.control.queues(),
      deps.jobs.failuresSince(hourAgo),
      deps.reader.mailFailuresSince(hourAgo),
      deps.reader.databaseBytes(),
    ]);
  return { processes, queues, failedJobsLastHour, mailFailuresLastHour, databaseBytes };
}

export interface OperationsServices {
  jobMonitor: JobMonitor;
  processes(): Promise<ProcessView[]>;
  snapshot(): Promise<OperationsSnapshot>;
  status(): Promise<StatusReport>;
  startHeartbeat(me: NewProcess): Promise<Heartbeat>;
}

export function createOperationsServices(deps: OperationsDeps): OperationsServices {
  const p: ProcessDeps = deps;
  return {
    jobMonitor: createJobMonitor(deps),
    processes: () => listProcesses(p),
    snapshot: () => snapshot(deps, p),
    status: () => status(deps, p),
    startHeartbeat: (me) => startHeartbeat(p, me),
  };
}
