import { z } from 'zod';

/** The minutely planner tick (fired by a pg-boss schedule). */
export const tickPayload = z.object({}).strict();
/** A chunk of planned prompts (or due reminders) to mail. */
export const promptBatchPayload = z
  .object({ prompt_ids: z.array(z.uuid()).min(1).max(1000) })
  .strict();
export const digestBuildPayload = z.object({ digest_id: z.uuid() }).strict();
export const digestSendPayload = z
  .object({
    digest_id: z.uuid(),
    round: z.number().int().min(1),
    member_ids: z.array(z.uuid()).min(1).max(1000),
  })
  .strict();

export type TickPayload = z.infer<typeof tickPayload>;
export type PromptBatchPayload = z.infer<typeof promptBatchPayload>;
export type DigestBuildPayload = z.infer<typeof digestBuildPayload>;
export type DigestSendPayload = z.infer<typeof digestSendPayload>;

declare module '../ports.js' {
  interface JobPayloads {
    'checkins.tick': TickPayload;
    'checkins.prompt.send': PromptBatchPayload;
    'checkins.reminder.send': PromptBatchPayload;
    'checkins.digest.build': DigestBuildPayload;
    'checkins.digest.send': DigestSendPayload;
  }
}
