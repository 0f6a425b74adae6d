/**
 * The zod schemas of the outbound API. The HTTP routes validate with them, the services
 * re-validate internal callers with them, and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { ValidationError } from '../../lib/errors.js';
import { MAX_RECIPIENTS } from '../../domain/outbound/recipients.js';
import { OUTBOUND_STATUSES, WEBHOOK_EVENT_TYPES } from '../../domain/state/outbound-message.js';
import { RECIPIENT_STATUSES } from '../../domain/state/recipient-delivery.js';

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

/**
 * POST /v1/messages. No `kind`: the kind picks the priority lane and the automatic headers, so
 * only the product's own code sets it (internalMessageSchema); an API caller who sends it gets
 * 422 `kind_not_allowed`.
 */
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

/** Mail the product sends itself (prompts, digests, rejections): it names its lane. */
export const internalMessageSchema = sendMessageSchema
  .extend({ kind: z.enum(['api', 'prompt', 'reminder', 'digest', 'system']).default('api') })
  .strict();
export type SendMessageInput = z.input<typeof internalMessageSchema>;
export type SendMessageParsed = z.output<typeof internalMessageSchema>;

/** Fields only the product's own code may set. */
const INTERNAL_FIELDS = ['kind'] as const;

/**
 * Validates one message: the public schema for API callers (a `kind` gets its own 422 code, so
 * a client sees why), the internal one for the product's own mail.
 */
export function parseMessageInput(
  input: unknown,
  internal: boolean,
): { ok: true; data: SendMessageParsed } | { ok: false; error: ValidationError } {
  if (!internal && input !== null && typeof input === 'object') {
    const field = INTERNAL_FIELDS.find((f) => f in input);
    if (field)
      return {
        ok: false,
        error: new ValidationError(
          `${field} is set by Postroom itself and cannot be given through the API`,
          { field },
          `${field}_not_allowed`,
        ),
      };
  }
  const r = (internal ? internalMessageSchema : sendMessageSchema).safeParse(input);
  if (!r.success)
    return {
      ok: false,
      error: new ValidationError('Invalid message', {
        issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      }),
    };
  return { ok: true, data: { kind: 'api', ...r.data } };
}

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

/** One recipient of a message and what happened to it (also in status webhooks). */
export const deliveryViewSchema = z.object({
  address: z.string(),
  status: z.enum(RECIPIENT_STATUSES),
  attempts: z.number(),
  smtp_code: z.number().nullable(),
  smtp_response: z.string().nullable(),
  updated_at: z.string(),
});

export const eventViewSchema = z.object({
  type: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  attempt: z.number().nullable(),
  reason: z.string().nullable(),
  smtp_code: z.number().nullable(),
  smtp_response: z.string().nullable(),
  /** The recipients of that attempt with each one's result, or the recipient a provider named. */
  recipients: z
    .array(
      z.object({
        address: z.string(),
        status: z.enum(RECIPIENT_STATUSES).optional(),
        smtp_code: z.number().nullable().optional(),
        smtp_response: z.string().nullable().optional(),
      }),
    )
    .nullable(),
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
