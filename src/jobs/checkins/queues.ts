/**
 * The check-in queues.
 * - `checkins.tick`: fired every minute by a pg-boss schedule (one instance fires it
 *   cluster-wide); plans prompts and digests. singleton policy, so a slow tick never stacks up.
 * - `checkins.prompt.send` / `checkins.reminder.send`: chunks of prompt ids from the planner's
 *   bulk insert. Own partition (100k prompts a day fan out here), NOTIFY so prompts leave at
 *   their minute, batches with burst.
 * - `checkins.digest.build`: one job per digest; `checkins.digest.send`: recipient chunks.
 * Handlers call exactly one service each; duplicates are harmless because every service
 * claims its rows with a conditional UPDATE or a unique insert first.
 */
import { defineQueue, type QueueSpec, type ScheduleSpec } from '../registry.js';
import type { QueueName } from '../../services/ports.js';
import {
  digestBuildPayload,
  digestSendPayload,
  promptBatchPayload,
  tickPayload,
} from '../../services/checkins/job-payloads.js';
import type { DigestService } from '../../services/checkins/digest-service.js';
import type { PlannerService } from '../../services/checkins/planner-service.js';
import type { PromptService } from '../../services/checkins/prompt-service.js';
import type { Clock } from '../../lib/clock.js';

const RETRY = { retryLimit: 5, retryDelay: 10, retryBackoff: true, retryDelayMax: 600 } as const;

export function checkinsQueues(s: {
  planner: PlannerService;
  prompts: PromptService;
  digests: DigestService;
  clock: Clock;
}): QueueSpec<QueueName>[] {
  return [
    defineQueue({
      name: 'checkins.tick',
      schema: tickPayload,
      policy: {
        partition: false,
        notify: true,
        policy: 'singleton',
        retryLimit: 0,
        expireInSeconds: 300,
        deleteAfterSeconds: 86400,
      },
      worker: {
        batchSize: 1,
        burstWhenBatchFull: false,
        localConcurrency: 1,
        pollingIntervalSeconds: 2,
      },
      async handle(jobs, ctx) {
        for (const _job of jobs) {
          const r = await s.planner.tick(s.clock.now());
          if (r.prompts || r.digests || r.reminders || r.missedByOutage)
            ctx.log.info(r, 'check-in tick');
        }
      },
    }),
    defineQueue({
      name: 'checkins.prompt.send',
      schema: promptBatchPayload,
      policy: {
        partition: true,
        notify: true,
        ...RETRY,
        expireInSeconds: 900,
        deleteAfterSeconds: 7 * 86400,
      },
      worker: {
        batchSize: 5,
        burstWhenBatchFull: true,
        localConcurrency: 2,
        pollingIntervalSeconds: 2,
      },
      async handle(jobs) {
        for (const job of jobs) await s.prompts.sendPrompts(job.data.prompt_ids);
      },
    }),
    defineQueue({
      name: 'checkins.reminder.send',
      schema: promptBatchPayload,
      policy: {
        partition: false,
        notify: true,
        ...RETRY,
        expireInSeconds: 900,
        deleteAfterSeconds: 7 * 86400,
      },
      worker: {
        batchSize: 5,
        burstWhenBatchFull: true,
        localConcurrency: 1,
        pollingIntervalSeconds: 2,
      },
      async handle(jobs) {
        for (const job of jobs) await s.prompts.sendReminders(job.data.prompt_ids);
      },
    }),
    defineQueue({
      name: 'checkins.digest.build',
      schema: digestBuildPayload,
      policy: {
        partition: false,
        notify: true,
        ...RETRY,
        expireInSeconds: 900,
        deleteAfterSeconds: 7 * 86400,
      },
      worker: {
        batchSize: 2,
        burstWhenBatchFull: false,
        localConcurrency: 1,
        pollingIntervalSeconds: 2,
      },
      async handle(jobs) {
        for (const job of jobs) await s.digests.build(job.data.digest_id);
      },
    }),
    defineQueue({
      name: 'checkins.digest.send',
      schema: digestSendPayload,
      policy: {
        partition: true,
        notify: true,
        ...RETRY,
        expireInSeconds: 900,
        deleteAfterSeconds: 7 * 86400,
      },
      worker: {
        batchSize: 5,
        burstWhenBatchFull: true,
        localConcurrency: 2,
        pollingIntervalSeconds: 2,
      },
      async handle(jobs) {
        for (const job of jobs)
          await s.digests.sendChunk(job.data.digest_id, job.data.round, job.data.member_ids);
      },
    }),
  ] as unknown as QueueSpec<QueueName>[];
}

export const checkinsSchedules: ScheduleSpec[] = [
  { name: 'checkins.tick', cron: '* * * * *', data: {} },
];
