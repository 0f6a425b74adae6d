/**
 * An application may answer an `inbound.received` delivery in-band: a 2xx whose JSON body holds
 * `{"reply": {"text": …, "html": …}}` sends that reply to the sender through outbound, in the
 * same thread (In-Reply-To and References of the inbound message, "Re:" subject), with reply
 * tracking when INBOUND_DOMAIN is set so the next answer threads back. The idempotency key is the
 * delivery id: a retried or redelivered delivery never replies twice. A body that is not such
 * JSON is ignored (most endpoints answer `ok` or nothing); a reply that does not validate is
 * logged, and the delivery stays delivered. An auto-reply is never answered.
 */
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { hasUnsafeText } from '../../lib/safe-text.js';
import type { DeliveredWebhook, OutboundMessageInput, OutboundPort } from '../ports.js';
import { POSTROOM_METADATA } from './message-replies.js';

export interface InbandReplyDeps {
  outbound: Pick<OutboundPort, 'sendMessage'>;
  log: Logger;
  settings: { replyTracking: boolean };
}

export const inbandReplySchema = z
  .object({
    text: z.string().max(5_000_000).optional(),
    html: z.string().max(5_000_000).optional(),
    subject: z.string().min(1).max(998).optional(),
    from: z.string().min(3).max(320).optional(),
    cc: z.array(z.string().min(3).max(320)).max(50).optional(),
    tags: z.array(z.string().min(1).max(64)).max(20).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    attachments: z
      .array(
        z
          .object({
            filename: z.string().min(1).max(255),
            content: z.string().regex(/^[A-Za-z0-9+/=\r\n]*$/, 'must be base64'),
            content_type: z.string().min(3).max(255).default('application/octet-stream'),
          })
          .strict(),
      )
      .max(20)
      .optional(),
  })
  .strict()
  .refine((r) => r.text !== undefined || r.html !== undefined, {
    message: 'text or html is required',
  });

/** The inbound message as its payload described it. */
const payloadSchema = z.object({
  data: z
    .object({
      id: z.string(),
      subject: z.string(),
      from: z.object({ address: z.string() }).loose().nullable(),
      reply_to: z.array(z.object({ address: z.string() }).loose()),
      message_id: z.string().nullable(),
      references: z.array(z.string()),
      classification: z.object({ kind: z.string() }).loose(),
    })
    .loose(),
});

function parseBody(body: string): unknown {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).reply : null;
  } catch {
    return undefined;
  }
}

const bracket = (id: string) => `<${id.replace(/^<|>$/g, '')}>`;

function replyInput(
  deps: InbandReplyDeps,
  d: DeliveredWebhook,
  reply: z.output<typeof inbandReplySchema>,
  inbound: z.output<typeof payloadSchema>['data'],
): OutboundMessageInput | null {
  const to = inbound.reply_to[0]?.address ?? inbound.from?.address;
  if (!to) return null;
  const subject = /^re:/i.test(inbound.subject) ? inbound.subject : `Re: ${inbound.subject}`;
  const thread = inbound.message_id ? bracket(inbound.message_id) : null;
  return {
    ...(reply.from ? { from: reply.from } : {}),
    to: [to],
    ...(reply.cc ? { cc: reply.cc } : {}),
    subject: (reply.subject ?? subject).replace(/[\r\n]+/g, ' ').slice(0, 998),
    ...(reply.text !== undefined ? { text: reply.text } : {}),
    ...(reply.html !== undefined ? { html: reply.html } : {}),
    ...(reply.attachments ? { attachments: reply.attachments } : {}),
    ...(thread
      ? { in_reply_to: thread, references: [...inbound.references.map(bracket), thread].slice(-20) }
      : {}),
    ...(deps.settings.replyTracking ? { reply_tracking: true } : {}),
    stream: 'transactional',
    kind: 'system',
    tags: reply.tags ?? ['inbound-reply'],
    metadata: {
      ...reply.metadata,
      [POSTROOM_METADATA]: { inbound_email_id: inbound.id, webhook_endpoint_id: d.endpointId },
    },
    idempotency_key: `inbound.reply:${d.deliveryId}`,
  };
}

export async function handleInbandReply(
  deps: InbandReplyDeps,
  d: DeliveredWebhook,
  body: string,
): Promise<void> {
  const raw = parseBody(body);
  if (raw === undefined || raw === null) return;
  if (hasUnsafeText(raw)) {
    deps.log.warn({ deliveryId: d.deliveryId }, 'in-band reply refused: NUL or lone surrogate');
    return;
  }
  const reply = inbandReplySchema.safeParse(raw);
  const inbound = payloadSchema.safeParse(d.payload);
  if (!reply.success || !inbound.success) {
    deps.log.warn(
      { deliveryId: d.deliveryId, issues: reply.error?.issues.slice(0, 5) },
      'in-band reply refused: not a valid reply',
    );
    return;
  }
  // Never answer a robot: an auto-reply answered is how mail loops start.
  if (inbound.data.data.classification.kind !== 'normal') return;
  const input = replyInput(deps, d, reply.data, inbound.data.data);
  if (!input) return;
  try {
    await deps.outbound.sendMessage(input);
  } catch (err) {
    // 409: this delivery already replied (a redelivery answered again); 4xx: a bad reply.
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    deps.log.warn({ deliveryId: d.deliveryId, code: err.code }, 'in-band reply not sent');
  }
}
