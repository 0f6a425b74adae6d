/** Payloads of the inbound queues (validated by the registry before enqueue and before work). */
import { z } from 'zod';

export const PROCESS_QUEUE = 'inbound.process';
export const SNS_CONFIRM_QUEUE = 'inbound.sns-confirm';
export const RETENTION_QUEUE = 'inbound.retention';

export const processPayload = z.object({ inboundEmailId: z.uuid() }).strict();
export type ProcessPayload = z.infer<typeof processPayload>;

export const snsConfirmPayload = z
  .object({
    topicArn: z.string().max(300),
    subscribeUrl: z.url().max(2048),
    messageId: z.string().max(200),
  })
  .strict();
export type SnsConfirmPayload = z.infer<typeof snsConfirmPayload>;

export const retentionPayload = z.object({}).strict();
export type RetentionPayload = z.infer<typeof retentionPayload>;

declare module '../ports.js' {
  interface JobPayloads {
    'inbound.process': ProcessPayload;
    'inbound.sns-confirm': SnsConfirmPayload;
    'inbound.retention': RetentionPayload;
  }
}
