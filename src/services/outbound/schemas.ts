/**
 * The zod schemas of the outbound API. The HTTP routes validate with them, the services
 * re-validate internal callers with them, and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { MAX_RECIPIENTS } from '../../domain/outbound/recipients.js';
import { OUTBOUND_STATUSES, WEBHOOK_EVENT_TYPES } from '../../domain/state/outbound-message.js';

const address = z.string().min(3).max(320);
const addressList = z.preprocess(
  (v) => (typeof v === 'string' ? [v] : v),
  z.array(address).max(MAX_RECIPIENTS),
);

export const attachmentSchema = z
  .object({
    filename: z.string().min(1).max(255),
    content: z.string().regex(/^[A-Za-z0-9+/=\r\n]*$/, 'must be base64'),
    content_type: z.string().min(3).max(255).default('application/octet-stream'),
    content_id: z.string().max(255).optional(),
  })
  .strict();

export const templateRefSchema = z
  .object({
    name: z.string().min(1).max(200),
    data: z.record(z.string(), z.unknown()).default({}),
    version: z.number().int().positive().optional(),
  })
  .strict();

export const sendMessageSchema = z
  .object({
    from: address.optional(),
    to: addressList.default([]),
    cc: addressList.optional(),
    bcc: addressList.optional(),
    reply_to: addressList.optional(),
    subject: z.string().max(998).optional(),
    html: z.string().max(5_000_000).optional(),
    text: z.string().max(5_000_000).optional(),
    template: templateRefSchema.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    attachments: z.array(attachmentSchema).max(20).optional(),
    tags: z.array(z.string().min(1).max(64)).max(20).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    send_at: z.iso.datetime({ offset: true }).optional(),
    stream: z.enum(['transactional', 'broadcast']).default('transactional'),
    kind: z.enum(['api', 'prompt', 'reminder', 'digest', 'system']).default('api'),
    in_reply_to: z.string().max(998).optional(),
    references: z.array(z.string().max(998)).max(50).optional(),
    /** A signed Reply-To so replies thread back (GET /v1/messages/:id/replies, webhooks). */
    reply_tracking: z.boolean().optional(),
    list_unsubscribe: z
      .object({ url: z.url(), mailto: z.string().max(320).optional() })
      .strict()
      .optional(),
    idempotency_key: z.string().min(1).max(256).optional(),
  })
  .strict();
export type SendMessageInput = z.input<typeof sendMessageSchema>;
export type SendMessageParsed = z.output<typeof sendMessageSchema>;

export const sendResultSchema = z.object({
  id: z.string(),
  status: z.enum(OUTBOUND_STATUSES),
  message_id: z.string().optional(),
});

/** Bulk form: one template, many recipients each with their own data. */
export const bulkSchema = z
  .object({
    template: z
      .object({ name: z.string().min(1).max(200), version: z.number().int().positive().optional() })
      .strict(),
    from: address.optional(),
    reply_to: addressList.optional(),
    reply_tracking: z.boolean().optional(),
    stream: z.enum(['transactional', 'broadcast']).default('broadcast'),
    tags: z.array(z.string().min(1).max(64)).max(20).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    send_at: z.iso.datetime({ offset: true }).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    recipients: z
      .array(
        z
          .object({
            to: address,
            data: z.record(z.string(), z.unknown()).default({}),
            metadata: z.record(z.string(), z.unknown()).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();

export const batchSchema = z.union([
  z.object({ messages: z.array(z.unknown()).min(1).max(1000) }).strict(),
  bulkSchema,
]);
export type BatchInput = z.input<typeof batchSchema>;

export const batchResultSchema = z.object({
  batch_id: z.string(),
  accepted: z.array(
    z.object({ index: z.number(), id: z.string(), status: z.enum(OUTBOUND_STATUSES) }),
  ),
  errors: z.array(
    z.object({
      index: z.number(),
      error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
    }),
  ),
});

export const listMessagesQuery = z
  .object({
    status: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(OUTBOUND_STATUSES)))
      .optional(),
    tag: z.string().max(64).optional(),
    to: z.string().max(320).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    batch_id: z.uuid().optional(),
    cursor: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const messageViewSchema = z.object({
  id: z.string(),
  status: z.enum(OUTBOUND_STATUSES),
  stream: z.string(),
  kind: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  message_id: z.string(),
  batch_id: z.string().nullable(),
  attempts: z.number(),
  possibly_duplicate: z.boolean(),
  last_error: z.string().nullable(),
  send_at: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
});

export const eventViewSchema = z.object({
  type: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  attempt: z.number().nullable(),
  reason: z.string().nullable(),
  smtp_code: z.number().nullable(),
  smtp_response: z.string().nullable(),
  at: z.string(),
});

export const templateSchema = z
  .object({
    subject: z.string().min(1).max(998),
    html: z.string().max(5_000_000).optional(),
    text: z.string().max(5_000_000).optional(),
  })
  .strict()
  .refine((t) => t.html !== undefined || t.text !== undefined, {
    message: 'html or text is required',
  });

export const previewSchema = z
  .object({
    data: z.record(z.string(), z.unknown()).default({}),
    version: z.number().int().positive().optional(),
  })
  .strict();

export const suppressionInputSchema = z
  .object({
    address: z.string().min(3).max(320),
    reason: z.enum(['bounce', 'complaint', 'unsubscribe', 'manual']).default('manual'),
    scope: z.enum(['all', 'broadcast']).default('all'),
  })
  .strict();

/** Status events, and `inbound.received` for replies to tracked messages. */
export const SUBSCRIBABLE_EVENTS = [...WEBHOOK_EVENT_TYPES, 'inbound.received'] as const;

export const webhookInputSchema = z
  .object({
    url: z.string().url().max(2000),
    events: z.array(z.enum(SUBSCRIBABLE_EVENTS)).min(1),
  })
  .strict();

export const apiKeyInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    scopes: z.array(z.enum(['send', 'read', 'admin'])).min(1),
    daily_quota: z.number().int().positive().optional(),
    reply_tracking: z.boolean().optional(),
  })
  .strict();
