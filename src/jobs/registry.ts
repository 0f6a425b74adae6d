/**
 * The typed queue registry: name → zod payload schema → policy → handler.
 *
 * pg-boss defaults are traps on this hardware (../shared/research/perf.md): a default `work()`
 * drains 0.5 jobs/s, and stale planner statistics on the shared job table cost 13–20×. So a
 * QueueSpec has no defaults for the settings that matter: every queue states its batch size,
 * burst mode, partitioning and whether it listens for NOTIFY.
 */
import type { z } from 'zod';
import type { Job, Queue } from 'pg-boss';
import type { JobPayloads, QueueName } from '../services/ports.js';
import type { Logger } from '../lib/logger.js';

export interface QueueWorkerSettings {
  /** Jobs fetched per round trip. Must be > 1 for anything with volume. */
  batchSize: number;
  /** Keep fetching while batches come back full (the only burst trigger that works; perf.md §2). */
  burstWhenBatchFull: boolean;
  /** Parallel fetch loops in this process. */
  localConcurrency: number;
  /**
   * Poll interval. With `notify` new jobs wake workers by LISTEN/NOTIFY (~3 ms); this poll still
   * bounds how late a delayed job (startAfter, retry backoff) is picked up.
   */
  pollingIntervalSeconds: number;
  /** Lower-numbered priority lanes first (pg-boss `priority` fetch ordering). */
  priority?: boolean;
}

export interface QueuePolicy extends Pick<
  Queue,
  | 'retryLimit'
  | 'retryDelay'
  | 'retryBackoff'
  | 'retryDelayMax'
  | 'expireInSeconds'
  | 'retentionSeconds'
  | 'deleteAfterSeconds'
  | 'deadLetter'
  | 'policy'
  | 'heartbeatSeconds'
> {
  /** Own table and planner statistics: required for high-volume queues (perf.md finding 3). */
  partition: boolean;
  /** Wake workers by NOTIFY on insert: for user-facing latency. */
  notify: boolean;
}

export interface JobContext {
  log: Logger;
}

/** What a handler says about each job of a batch; a throw fails the whole batch. */
export type JobOutcome =
  | { id: string; status: 'completed'; output?: object }
  | { id: string; status: 'failed'; output: { error: string; stack?: string; details?: unknown } };

export interface QueueSpec<N extends QueueName = QueueName> {
  name: N;
  schema: z.ZodType<JobPayloads[N]>;
  policy: QueuePolicy;
  worker: QueueWorkerSettings;
  /**
   * Handles a batch of already-validated jobs. Return an outcome per job to fail some and keep
   * others; return nothing to complete them all.
   */
  handle(jobs: Array<Job<JobPayloads[N]>>, ctx: JobContext): Promise<JobOutcome[] | void>;
}

/** Identity helper that keeps `N` tied between name, schema and handler. */
export function defineQueue<N extends QueueName>(spec: QueueSpec<N>): QueueSpec<N> {
  return spec;
}

/**
 * Policy and worker of a once-a-day housekeeping queue (retention): one job at a time, polled,
 * retried a few times a minute apart, an hour to finish.
 */
export const DAILY_HOUSEKEEPING: Pick<QueueSpec, 'policy' | 'worker'> = {
  policy: { partition: false, notify: false, retryLimit: 3, retryDelay: 60, expireInSeconds: 3600 },
  worker: {
    batchSize: 1,
    burstWhenBatchFull: false,
    localConcurrency: 1,
    pollingIntervalSeconds: 30,
  },
};

export interface ScheduleSpec<N extends QueueName = QueueName> {
  name: N;
  /** Cron expression, evaluated by pg-boss's scheduler (one instance fires it cluster-wide). */
  cron: string;
  data: JobPayloads[N];
  tz?: string;
}

export class QueueRegistry {
  private readonly specs = new Map<string, QueueSpec>();
  private readonly schedules: ScheduleSpec[] = [];

  add(...specs: QueueSpec<QueueName>[]): this {
    for (const spec of specs) {
      if (this.specs.has(spec.name)) throw new Error(`Queue ${spec.name} is registered twice`);
      this.specs.set(spec.name, spec as unknown as QueueSpec);
    }
    return this;
  }

  schedule(...schedules: ScheduleSpec[]): this {
    this.schedules.push(...schedules);
    return this;
  }

  get(name: string): QueueSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`Unknown queue: ${name}`);
    return spec;
  }

  all(): QueueSpec[] {
    return [...this.specs.values()];
  }

  allSchedules(): ScheduleSpec[] {
    return [...this.schedules];
  }
}
