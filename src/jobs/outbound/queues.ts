/**
 * The outbound queues.
 * - outbound.send: message ids to attempt. Partitioned (its own table and planner statistics,
 *   perf.md finding 3), NOTIFY for ~3 ms pick-up, batch fetch with burst, priority lanes.
 *   Failures of a message are state transitions, not job failures; a thrown batch (database
 *   down) leaves leases that the sweeper recovers.
 * - outbound.sweep: time-driven moves (scheduled, deferred, expired, lease recovery). Each run
 *   books the next one `sweepSeconds` later (one pending run at most, by singleton key); the
 *   first send batch of a process and a cron each minute (re)start the loop. It polls instead of
 *   listening: NOTIFY fires when a delayed job is inserted, not when it becomes due, and the
 *   NOTIFY backstop poll is 30 s. Deferred mail is re-queued by the sweeper, so it goes out
 *   within ~sweepSeconds of its retry time.
 * - outbound.webhook: one delivery attempt per job (polled each second, for the same reason).
 * - outbound.retention: the daily prune of raw MIME, timelines, webhook deliveries and expired
 *   idempotency keys (services/outbound/retention.ts).
 */
import { DAILY_HOUSEKEEPING, defineQueue, type ScheduleSpec } from '../registry.js';
import {
  retentionPayload,
  sendPayload,
  sweepPayload,
  webhookPayload,
  RETENTION_QUEUE,
  SWEEP_QUEUE,
} from '../../services/outbound/job-payloads.js';
import type { OutboundServices } from '../../services/outbound/index.js';
import type { JobQueue } from '../../services/ports.js';

export interface OutboundQueueSettings {
  workerBatchSize: number;
  workerConcurrency: number;
  sweepSeconds: number;
}

/** outbound.send: the hot path. Its first batch in a process (re)starts the sweep loop. */
function sendQueue(
  services: OutboundServices,
  s: OutboundQueueSettings,
  startSweepLoop: () => Promise<void>,
) {
  return defineQueue({
    name: 'outbound.send',
    schema: sendPayload,
    policy: {
      partition: true,
      notify: true,
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: 900,
      retentionSeconds: 7 * 86400,
      deleteAfterSeconds: 3600,
    },
    worker: {
      batchSize: s.workerBatchSize,
      burstWhenBatchFull: true,
      localConcurrency: s.workerConcurrency,
      pollingIntervalSeconds: 2,
      priority: true,
    },
    async handle(jobs, { log }) {
      await startSweepLoop();
      const ids = [...new Set(jobs.flatMap((j) => j.data.ids))];
      const r = await services.deliver.processSend(ids);
      log.debug(r, 'outbound batch');
    },
  });
}

/** outbound.sweep: each run books the next one `sweepSeconds` later, whatever happened. */
function sweepQueue(services: OutboundServices, queue: JobQueue, s: OutboundQueueSettings) {
  return defineQueue({
    name: 'outbound.sweep',
    schema: sweepPayload,
    policy: {
      partition: false,
      notify: false,
      policy: 'short',
      retryLimit: 1,
      expireInSeconds: 600,
      retentionSeconds: 3600,
      deleteAfterSeconds: 3600,
    },
    worker: {
      batchSize: 5,
      burstWhenBatchFull: false,
      localConcurrency: 1,
      pollingIntervalSeconds: 1,
    },
    async handle(_jobs, { log }) {
      try {
        const r = await services.sweep.sweep();
        if (Object.values(r).some((n) => n > 0)) log.info(r, 'outbound sweep');
      } finally {
        await queue.send(
          SWEEP_QUEUE,
          {},
          { startAfter: new Date(Date.now() + s.sweepSeconds * 1000), singletonKey: 'sweep-loop' },
        );
      }
    },
  });
}

/** outbound.webhook: one delivery attempt per job. */
function webhookQueue(services: OutboundServices) {
  return defineQueue({
    name: 'outbound.webhook',
    schema: webhookPayload,
    // NOTIFY wakes a worker when a delivery is queued (an `inbound.received` is on a person's
    // path: perf.md finding 4); retries are delayed jobs, which only the 1 s poll finds.
    policy: {
      partition: false,
      notify: true,
      retryLimit: 3,
      retryDelay: 30,
      expireInSeconds: 300,
      retentionSeconds: 7 * 86400,
      deleteAfterSeconds: 86400,
    },
    worker: {
      batchSize: 10,
      burstWhenBatchFull: true,
      localConcurrency: 2,
      pollingIntervalSeconds: 1,
    },
    async handle(jobs) {
      await Promise.all(jobs.map((j) => services.webhooks.deliver(j.data.deliveryId)));
    },
  });
}

/** outbound.retention: once a day, at the inbound retention's time. */
function retentionQueue(services: OutboundServices) {
  return defineQueue({
    name: RETENTION_QUEUE,
    schema: retentionPayload,
    ...DAILY_HOUSEKEEPING,
    async handle(_jobs, { log }) {
      log.info(await services.retention.run(), 'outbound retention');
    },
  });
}

export function createOutboundQueues(
  services: OutboundServices,
  queue: JobQueue,
  s: OutboundQueueSettings,
) {
  let loopStarted = false;
  const startSweepLoop = async () => {
    if (loopStarted) return;
    loopStarted = true;
    await queue.send(SWEEP_QUEUE, {}, { singletonKey: 'sweep-loop' });
  };
  const schedules: ScheduleSpec[] = [
    { name: 'outbound.sweep', cron: '* * * * *', data: {} },
    { name: RETENTION_QUEUE, cron: '17 3 * * *', data: {} },
  ];
  return {
    queues: [
      sendQueue(services, s, startSweepLoop),
      sweepQueue(services, queue, s),
      webhookQueue(services),
      retentionQueue(services),
    ],
    schedules,
  };
}
