/**
 * The inbound queues.
 * - `inbound.process`: one job per InboundEmail. Its own partition (own table and planner
 *   statistics, perf.md finding 3), NOTIFY for ~3 ms pick-up, batches of 20 with burst, and a
 *   few messages of a batch in flight at once. A failed message is retried with backoff; the
 *   last failure marks it dead (the row keeps `failed` and its error).
 * - `inbound.sns-confirm`: SNS subscription confirmation, off the request path.
 * - `inbound.retention`: nightly raw-byte deletion.
 */
import { DAILY_HOUSEKEEPING, defineQueue, type JobOutcome } from '../registry.js';
import {
  processPayload,
  retentionPayload,
  snsConfirmPayload,
  PROCESS_QUEUE,
  RETENTION_QUEUE,
  SNS_CONFIRM_QUEUE,
} from '../../services/inbound/job-payloads.js';
import type { ProcessService } from '../../services/inbound/process.js';
import type { RetentionService } from '../../services/inbound/retention.js';
import type { SnsConfirmService } from '../../services/inbound/sns-confirm.js';

const IN_FLIGHT = 4;

export function processQueue(service: ProcessService, retryLimit: number) {
  return defineQueue({
    name: PROCESS_QUEUE,
    schema: processPayload,
    policy: {
      partition: true,
      notify: true,
      retryLimit,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 900,
      expireInSeconds: 300,
      deleteAfterSeconds: 7 * 86400,
    },
    worker: {
      batchSize: 20,
      burstWhenBatchFull: true,
      localConcurrency: 2,
      pollingIntervalSeconds: 2,
    },
    async handle(jobs) {
      const results = await service.processMany(
        jobs.map((j) => j.data.inboundEmailId),
        { maxAttempts: retryLimit + 1, inFlight: IN_FLIGHT },
      );
      return jobs.map((job): JobOutcome => {
        const r = results.get(job.data.inboundEmailId) ?? { status: 'skipped' };
        return r.status === 'failed'
          ? { id: job.id, status: 'failed', output: { error: r.error, stack: r.stack } }
          : { id: job.id, status: 'completed', output: r };
      });
    },
  });
}

export function snsConfirmQueue(service: SnsConfirmService) {
  return defineQueue({
    name: SNS_CONFIRM_QUEUE,
    schema: snsConfirmPayload,
    policy: {
      partition: false,
      notify: true,
      retryLimit: 5,
      retryDelay: 10,
      retryBackoff: true,
      expireInSeconds: 60,
    },
    worker: {
      batchSize: 5,
      burstWhenBatchFull: false,
      localConcurrency: 1,
      pollingIntervalSeconds: 5,
    },
    async handle(jobs) {
      for (const job of jobs) await service.confirm(job.data);
    },
  });
}

export function retentionQueue(service: RetentionService) {
  return defineQueue({
    name: RETENTION_QUEUE,
    schema: retentionPayload,
    ...DAILY_HOUSEKEEPING,
    async handle(_jobs, { log }) {
      log.info(await service.run(), 'inbound retention');
    },
  });
}
