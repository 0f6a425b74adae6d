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
import type { z } from 'zod';
import type { JobPayloads, QueueName } from '../../services/ports.js';
import {
  digestBuildPayload,
  digestSendPayload,
  promptBatchPayload,
  tickPayload,
} from '../../services/checkins/job-payloads.js';
import type { DigestService } from '../../services/checkins/digests.js';
import type { PlannerService } from '../../services/checkins/planner.js';
import type { PromptService } from '../../services/checkins/prompts.js';
import type { Clock } from '../../lib/clock.js';

export interface CheckinsQueueServices {
  planner: PlannerService;
  prompts: PromptService;
  digests: DigestService;
  clock: Clock;
}

/** What every fan-out queue's policy shares: retried with backoff, kept a week for inspection. */
const FAN_OUT = {
  notify: true,
  retryLimit: 5,
  retryDelay: 10,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 900,
  deleteAfterSeconds: 7 * 86400,
} as const;

function tickQueue(s: CheckinsQueueServices) {
  return defineQueue({
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
  });
}

/** How a fan-out queue is worked: states what the registry asks every queue to state. */
interface FanOutShape {
  partition: boolean;
  batchSize: number;
  burstWhenBatchFull: boolean;
  localConcurrency: number;
}

/** A queue of chunks from the tick or a digest: one service call per job. */
function fanOutQueue<N extends QueueName>(
  name: N,
  schema: z.ZodType<JobPayloads[N]>,
  { partition, ...worker }: FanOutShape,
  run: (data: JobPayloads[N]) => Promise<unknown>,
): QueueSpec<N> {
  return defineQueue({
    name,
    schema,
    policy: { partition, ...FAN_OUT },
    worker: { ...worker, pollingIntervalSeconds: 2 },
    async handle(jobs) {
      for (const job of jobs) await run(job.data);
    },
  });
}

export function checkinsQueues(s: CheckinsQueueServices): QueueSpec<QueueName>[] {
  const wide = { batchSize: 5, burstWhenBatchFull: true };
  return [
    tickQueue(s),
    fanOutQueue(
      'checkins.prompt.send',
      promptBatchPayload,
      { partition: true, ...wide, localConcurrency: 2 },
      (d) => s.prompts.sendPrompts(d.prompt_ids),
    ),
    fanOutQueue(
      'checkins.reminder.send',
      promptBatchPayload,
      { partition: false, ...wide, localConcurrency: 1 },
      (d) => s.prompts.sendReminders(d.prompt_ids),
    ),
    fanOutQueue(
      'checkins.digest.build',
      digestBuildPayload,
      { partition: false, batchSize: 2, burstWhenBatchFull: false, localConcurrency: 1 },
      (d) => s.digests.build(d.digest_id),
    ),
    fanOutQueue(
      'checkins.digest.send',
      digestSendPayload,
      { partition: true, ...wide, localConcurrency: 2 },
      (d) => s.digests.sendChunk(d.digest_id, d.round, d.member_ids),
    ),
  ] as unknown as QueueSpec<QueueName>[];
}

export const checkinsSchedules: ScheduleSpec[] = [
  { name: 'checkins.tick', cron: '* * * * *', data: {} },
];
