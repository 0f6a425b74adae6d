/** Payloads of the outbound queues (validated by the registry before enqueue and before work). */
import { z } from 'zod';

export const SEND_QUEUE = 'outbound.send';
export const SWEEP_QUEUE = 'outbound.sweep';
export const WEBHOOK_QUEUE = 'outbound.webhook';
export const RETENTION_QUEUE = 'outbound.retention';

/** Message ids to attempt: one (job per message) or a group (claimed batch per job). */
export const sendPayload = z.object({ ids: z.array(z.uuid()).min(1).max(1000) }).strict();
export type SendPayload = z.infer<typeof sendPayload>;

export const sweepPayload = z.object({}).strict();
export type SweepPayload = z.infer<typeof sweepPayload>;

export const retentionPayload = z.object({}).strict();
export type RetentionPayload = z.infer<typeof retentionPayload>;

export const webhookPayload = z.object({ deliveryId: z.uuid() }).strict();
export type WebhookPayload = z.infer<typeof webhookPayload>;

declare module '../ports.js' {
  interface JobPayloads {
    'outbound.send': SendPayload;
    'outbound.sweep': SweepPayload;
    'outbound.webhook': WebhookPayload;
    'outbound.retention': RetentionPayload;
  }
}
