import { z } from 'zod';

/** `system.ping` proves the queue end to end (start-up self test, integration tests). */
export const pingPayload = z.object({ note: z.string().max(200) }).strict();
export type PingPayload = z.infer<typeof pingPayload>;

declare module '../ports.js' {
  interface JobPayloads {
    'system.ping': PingPayload;
  }
}
