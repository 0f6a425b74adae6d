import { defineQueue } from './registry.js';
import { pingPayload } from '../services/system/job-payloads.js';

/**
 * `system.ping`: a no-op job the worker sends itself at start-up, proving the queue works end
 * to end, and that the integration tests use to see a job complete.
 */
export const pingQueue = defineQueue({
  name: 'system.ping',
  schema: pingPayload,
  policy: {
    partition: false,
    notify: true,
    retryLimit: 2,
    retryDelay: 1,
    expireInSeconds: 60,
    retentionSeconds: 3600,
    deleteAfterSeconds: 86400,
  },
  worker: {
    batchSize: 10,
    burstWhenBatchFull: true,
    localConcurrency: 1,
    pollingIntervalSeconds: 2,
  },
  async handle(jobs, { log }) {
    for (const job of jobs) log.debug({ note: job.data.note }, 'ping');
  },
});
