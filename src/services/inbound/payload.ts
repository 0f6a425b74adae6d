/**
 * The `inbound.received` payload: one normalised shape whatever the provider (the raw MIME is
 * the source of truth for every field; the provider's own parse is not used). Attachments are
 * listed with signed, expiring URLs, never inlined. Above `maxBytes` the payload is thin: no
 * text, html or reply, and a signed `payload_url` that serves the full JSON.
 */
import type { HeaderMap } from '../../domain/inbound/headers.js';
import type { ParsedInbound } from '../../inbound/parse-mail.js';
import { safeJson } from '../../lib/safe-text.js';
import type { ReplyResult } from '../../reply/index.js';
import type { InboundEmailRow, ThreadMatch } from './ports.js';
import type { InboundUrls } from './signed-urls.js';

export const INBOUND_RECEIVED = 'inbound.received';

/** Headers copied into the payload (lower-case names; every value of each). */
export const SELECTED_HEADERS = [
  'auto-submitted',
  'authentication-results',
  'delivered-to',
  'list-id',
  'list-unsubscribe',
  'precedence',
  'received-spf',
  'return-path',
  'x-auto-response-suppress',
  'x-mailer',
  'x-original-to',
  'x-spam-flag',
  'x-spam-score',
  'x-spam-status',
  'user-agent',
] as const;

export interface AttachmentFacts {
  n: number;
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  contentId: string | null;
  inline: boolean;
}

export interface PayloadFacts {
  email: InboundEmailRow;
  mail: ParsedInbound;
  reply: ReplyResult | null;
  classification: unknown;
  attachments: readonly AttachmentFacts[];
  thread: ThreadMatch | null;
  route: { id: string; name: string } | null;
}

export interface BuiltPayload {
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  thin: boolean;
}

function selectedHeaders(headers: HeaderMap): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of SELECTED_HEADERS) {
    const values = headers.get(name);
    if (values?.length) out[name] = [...values];
  }
  return out;
}

function threadView(t: ThreadMatch) {
  return {
    message_id: t.outboundMessageId,
    message_id_header: t.messageIdHeader,
    subject: t.subject,
    kind: t.kind,
    metadata: t.metadata,
    tags: t.tags,
    created_at: t.createdAt.toISOString(),
  };
}

export const attachmentFacts = (mail: ParsedInbound): AttachmentFacts[] =>
  mail.attachments.map((a, n) => ({
    n,
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    contentId: a.contentId,
    inline: a.inline,
  }));

/** An attachment as the payload and GET /v1/inbound/:id show it. */
export function attachmentJson(a: AttachmentFacts, url: string) {
  return {
    filename: a.filename,
    content_type: a.contentType,
    size: a.size,
    sha256: a.sha256,
    content_id: a.contentId,
    inline: a.inline,
    url,
  };
}

/** The full payload's `data`. */
function fullData(f: PayloadFacts, urls: InboundUrls, now: Date): Record<string, unknown> {
  const { email, mail, reply } = f;
  return {
    id: email.id,
    provider: email.provider,
    received_at: email.receivedAt.toISOString(),
    envelope: { from: email.envelopeFrom, to: email.envelopeTo },
    from: mail.from,
    to: mail.mailboxes.to,
    cc: mail.mailboxes.cc,
    reply_to: mail.mailboxes.replyTo,
    subject: mail.subject,
    message_id: email.messageIdSynthesized ? null : email.messageId,
    in_reply_to: mail.inReplyTo[0] ?? null,
    references: mail.references,
    date: mail.date?.toISOString() ?? null,
    headers: selectedHeaders(mail.headers),
    text: mail.text,
    html: mail.html,
    reply: reply
      ? { text: reply.text, signature: reply.signature, quoted: reply.quoted, method: reply.method }
      : null,
    attachments: f.attachments.map((a) => attachmentJson(a, urls.attachment(email.id, a.n, now))),
    verdicts: email.verdicts,
    classification: f.classification,
    thread: f.thread ? threadView(f.thread) : null,
    route: f.route,
    thin: false,
  };
}

/** The payload for one delivery: full, or thin when the full JSON is over `maxBytes`. */
export function inboundPayload(
  f: PayloadFacts,
  urls: InboundUrls,
  now: Date,
  maxBytes: number,
): BuiltPayload {
  // Mail may hold NUL or lone surrogates, which jsonb (the delivery's payload) refuses.
  const data = safeJson(fullData(f, urls, now));
  const envelope = { type: INBOUND_RECEIVED, timestamp: now.toISOString(), data };
  if (Buffer.byteLength(JSON.stringify(envelope)) <= maxBytes) {
    return { payload: envelope, thin: false };
  }
  const thin = {
    ...data,
    text: null,
    html: null,
    reply: null,
    thin: true,
    payload_url: urls.payload(f.email.id, now),
  };
  return { payload: { ...envelope, data: thin }, thin: true };
}
