/**
 * One delivery attempt of one claimed message: wait for its rate-limit slot, build the MIME once,
 * hand it to the transport, and classify what came back. It never throws: every result is an
 * Outcome that deliver.ts records.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Telemetry } from '../telemetry.js';
import type { OutboundMessageRecord } from '../../domain/outbound/message.js';
import { classifySmtpFailure } from '../../domain/outbound/smtp-reply.js';
import { composeMessage, type ComposeInput, type ComposeSettings } from '../../outbound/compose.js';
import {
  TransportError,
  type ComposedMessage,
  type Transport,
  type TransportResult,
} from '../../outbound/composed-message.js';

export interface MimeBuilder {
  build(m: ComposedMessage): Promise<Buffer>;
}

export type Outcome =
  | { id: string; kind: 'sent'; raw: Buffer; result: TransportResult }
  | {
      id: string;
      kind: 'transient';
      reason: string;
      smtpCode: number | null;
      smtpResponse: string | null;
      hint: number | null;
    }
  | {
      id: string;
      kind: 'permanent';
      reason: string;
      smtpCode: number | null;
      smtpResponse: string | null;
      suppress: boolean;
    }
  | { id: string; kind: 'rate_limited'; at: Date };

export interface AttemptDeps {
  clock: Clock;
  transport: Transport;
  mime: MimeBuilder;
  composeSettings: ComposeSettings;
  telemetry?: Pick<Telemetry, 'rateLimitWaited'> | undefined;
}

export async function attempt(
  deps: AttemptDeps,
  m: OutboundMessageRecord,
  slotAt: Date | null,
): Promise<Outcome> {
  if (slotAt) {
    const wait = slotAt.getTime() - deps.clock.now().getTime();
    if (wait > 0) deps.telemetry?.rateLimitWaited('inline', wait / 1000);
    if (wait > 0) await sleep(wait);
  }
  let raw: Buffer;
  let composed: ComposedMessage;
  try {
    composed = composeMessage(composeInput(m, deps.clock.now()), deps.composeSettings);
    raw = await deps.mime.build(composed);
  } catch (err) {
    return {
      id: m.id,
      kind: 'permanent',
      reason: `could not build the message: ${coerceError(err).message}`,
      smtpCode: null,
      smtpResponse: null,
      suppress: false,
    };
  }
  try {
    const result = await deps.transport.send(raw, composed.envelope, composed.messageId);
    return { id: m.id, kind: 'sent', raw, result };
  } catch (err) {
    return failureOutcome(m.id, err);
  }
}

function composeInput(m: OutboundMessageRecord, date: Date): ComposeInput {
  return {
    id: m.id,
    stream: m.stream,
    kind: m.kind,
    from: m.from,
    to: m.to,
    cc: m.cc,
    bcc: m.bcc,
    replyTo: m.replyTo,
    subject: m.subject,
    html: m.html,
    text: m.text,
    headers: m.headers,
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      content: Buffer.from(a.content, 'base64'),
      contentType: a.content_type,
      contentId: a.content_id,
    })),
    inReplyTo: m.inReplyTo,
    references: m.references,
    listUnsubscribe: m.listUnsubscribe,
    messageId: m.messageIdHeader,
    date,
  };
}

/** What a transport error means for the message: try again later, or never. */
function failureOutcome(id: string, err: unknown): Outcome {
  const f =
    err instanceof TransportError
      ? err
      : new TransportError(coerceError(err).message, { response: coerceError(err).message });
  const v = classifySmtpFailure(f);
  const reply = { id, reason: v.reason, smtpCode: v.smtpCode, smtpResponse: f.response ?? null };
  return v.kind === 'transient'
    ? { ...reply, kind: 'transient', hint: v.retryAfterSeconds }
    : { ...reply, kind: 'permanent', suppress: v.suppressRecipient };
}
