/**
 * Starts pg-boss workers for every registered queue, with the settings each QueueSpec states.
 *
 * A payload that fails its schema is dead-lettered with the validation issues recorded as the
 * job's output: retrying cannot fix it, and it must never crash the worker. A handler that
 * throws fails its whole batch (pg-boss then retries per the queue's policy).
 */
import type { JobResult, PgBoss } from 'pg-boss';
import { coerceError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { noTelemetry, type Telemetry } from '../services/telemetry.js';
import type { QueueRegistry, QueueSpec } from './registry.js';

export async function ensureQueues(boss: PgBoss, registry: QueueRegistry): Promise<void> {
  for (const spec of registry.all()) {
    const { partition, notify, ...policy } = spec.policy;
    const existing = await boss.getQueue(spec.name);
    if (!existing) {
      try {
        await boss.createQueue(spec.name, { ...policy, partition, notify });
        continue;
      } catch (err) {
        // Another process created it between our read and our insert: fall through to update.
        if (!(await boss.getQueue(spec.name))) throw err;
      }
    }
    // pg-boss refuses to change a queue's policy (or partitioning) after creation, even to the
    // same value, so only the tunable settings are re-applied on start.
    const { policy: _fixed, ...tunable } = policy;
    await boss.updateQueue(spec.name, { ...tunable, notify });
  }
}

export async function ensureSchedules(boss: PgBoss, registry: QueueRegistry): Promise<void> {
  for (const s of registry.allSchedules()) {
    await boss.schedule(s.name, s.cron, s.data as object, s.tz ? { tz: s.tz } : {});
  }
}

/** Times each handler call and counts its jobs' outcomes for the metrics. */
export function wrapHandler(spec: QueueSpec, log: Logger, telemetry: Telemetry = noTelemetry) {
  const handle = validatingHandler(spec, log);
  return async (
    jobs: Array<{ id: string; data: unknown; retryCount: number }>,
  ): Promise<JobResult[]> => {
    const started = process.hrtime.bigint();
    const results = await handle(jobs);
    const failed = results.filter((r) => r.status !== 'completed').length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    telemetry.jobBatchFinished(spec.name, seconds, results.length - failed, failed);
    return results;
  };
}

function validatingHandler(spec: QueueSpec, log: Logger) {
  return async (
    jobs: Array<{ id: string; data: unknown; retryCount: number }>,
  ): Promise<JobResult[]> => {
    const results: JobResult[] = [];
    const valid: Array<(typeof jobs)[number] & { data: never }> = [];
    for (const job of jobs) {
      const parsed = spec.schema.safeParse(job.data);
      if (parsed.success) {
        valid.push({ ...job, data: parsed.data as never });
      } else {
        log.warn(
          { queue: spec.name, jobId: job.id, issues: parsed.error.issues },
          'job payload failed its schema',
        );
        results.push({
          id: job.id,
          status: 'deadletter',
          output: { error: 'invalid_job_payload', details: parsed.error.issues },
        });
      }
    }
    if (valid.length === 0) return results;
    const batchLog = log.child({ queue: spec.name, jobIds: valid.map((j) => j.id) });
    try {
      const outcomes = await spec.handle(valid as never, { log: batchLog });
      const byId = new Map((outcomes ?? []).map((o) => [o.id, o]));
      for (const job of valid) {
        const outcome = byId.get(job.id);
        results.push(
          outcome
            ? { id: job.id, status: outcome.status, output: outcome.output }
            : { id: job.id, status: 'completed' },
        );
      }
    } catch (raw) {
      const err = coerceError(raw);
      batchLog.error({ err }, 'job batch failed');
      // The stack's first lines go with the error, for the job monitor's job page.
      const stack = err.stack?.split('\n').slice(0, 8).join('\n');
      for (const job of valid) {
        results.push({ id: job.id, status: 'failed', output: { error: err.message, stack } });
      }
    }
    return results;
  };
}

export async function startWorkers(
  boss: PgBoss,
  registry: QueueRegistry,
  log: Logger,
  telemetry: Telemetry = noTelemetry,
): Promise<void> {
  for (const spec of registry.all()) {
    const w = spec.worker;
    await boss.work(
      spec.name,
      {
        batchSize: w.batchSize,
        localConcurrency: w.localConcurrency,
        pollingIntervalSeconds: w.pollingIntervalSeconds,
        // NOTIFY only fires on insert: a job whose startAfter passes later (a retry, a scheduled
        // send) is found by polling, and pg-boss's notify-mode default poll is 30 s.
        notifyPollingIntervalSeconds: w.pollingIntervalSeconds,
        burstWhenBatchFull: w.burstWhenBatchFull,
        perJobResults: true,
        ...(w.priority ? { priority: true } : {}),
      },
      wrapHandler(spec, log, telemetry) as never,
    );
  }
}
