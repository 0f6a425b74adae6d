/**
 * One delivery attempt of one claimed message: build the MIME once, hand it to the transport for
 * the recipients still open, and report what came back. It never throws: every result is an
 * Outcome that deliver-outcomes.ts turns into transitions.
 */
import { coerceError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { normalizeAddress } from '../../domain/outbound/recipients.js';
import type { Telemetry } from '../telemetry.js';
import { composeMessage, type ComposeInput, type ComposeSettings } from '../../outbound/compose.js';
import {
  TransportError,
  type ComposedMessage,
  type Transport,
  type TransportResult,
} from '../../outbound/composed-message.js';
import type { ClaimedMessage } from './ports/index.js';

export interface MimeBuilder {
  build(m: ComposedMessage): Promise<Buffer>;
}

/** What the transport said, or why nothing was handed over. */
export type Outcome =
  /** the server ended the transaction with 250 (some recipients may have been refused) */
  | { id: string; kind: 'sent'; raw: Buffer; result: TransportResult }
  /** the transaction failed: a reply (at MAIL, RCPT for everyone, DATA) or the network */
  | { id: string; kind: 'refused'; failure: TransportError }
  /** we could not build it: it would fail the same way every time */
  | { id: string; kind: 'unbuildable'; reason: string }
  /** its rate-limit slot is too far away: deferred to it, not counted as an attempt */
  | { id: string; kind: 'rate_limited'; at: Date }
  /** nothing to send: its deadline passed, or every open recipient is suppressed */
  | { id: string; kind: 'not_sent' };

export interface AttemptDeps {
  clock: Clock;
  transport: Transport;
  mime: MimeBuilder;
  composeSettings: ComposeSettings;
  telemetry?: Pick<Telemetry, 'rateLimitWaited'> | undefined;
}

/** Sends `m` to `to` (lower-cased addresses: its open, unsuppressed recipients). */
export async function attempt(
  deps: AttemptDeps,
  m: ClaimedMessage,
  to: ReadonlySet<string>,
): Promise<Outcome> {
  let raw: Buffer;
  let composed: ComposedMessage;
  try {
    composed = composeMessage(composeInput(m, deps.clock.now()), deps.composeSettings);
    raw = await deps.mime.build(composed);
  } catch (err) {
    return {
      id: m.id,
      kind: 'unbuildable',
      reason: `could not build the message: ${coerceError(err).message}`,
    };
  }
  // The same bytes (To and Cc headers included) for every attempt; only the envelope narrows.
  const envelope = {
    from: composed.envelope.from,
    to: composed.envelope.to.filter((a) => to.has(normalizeAddress(a))),
  };
  try {
    const result = await deps.transport.send(raw, envelope, composed.messageId);
    return { id: m.id, kind: 'sent', raw, result };
  } catch (err) {
    const failure =
      err instanceof TransportError
        ? err
        : new TransportError(coerceError(err).message, { response: coerceError(err).message });
    return { id: m.id, kind: 'refused', failure };
  }
}

function composeInput(m: ClaimedMessage, date: Date): ComposeInput {
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
