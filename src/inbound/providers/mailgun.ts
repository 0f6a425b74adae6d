/**
 * Mailgun Routes `forward()` to a URL ending in `/mime`: `body-mime` plus `timestamp`, `token`
 * and `signature` (hex HMAC-SHA256 of timestamp+token under the webhook signing key).
 *
 * Contract: 406 is Mailgun's "do not retry", so every request that can never succeed (bad or
 * stale signature, no raw MIME) gets it. Mailgun retries for 8 h re-using the original
 * timestamp and token (lion-reader#1107), so the window is 12 h by default and the token is
 * the replay nonce: a token seen again is a duplicate and gets 2xx, not a second row.
 *
 * Delivery events: JSON `{signature:{timestamp,token,signature}, "event-data"}`, the same HMAC
 * under the webhook signing key, 406 on failure; the token is the replay nonce there too.
 */
import { AppError } from '../../lib/errors.js';
import type { MappedEvent } from '../../domain/inbound/unmapped-event.js';
import { hmacHex, safeEqual, WebhookAuthError } from './auth.js';
import { fromEpoch, lower, msgId, obj, parseJsonBody, str } from './json.js';
import {
  eventBatch,
  fieldText,
  type EventBatch,
  type FormPayload,
  type RawInbound,
} from './types.js';

export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

export interface MailgunVerifyOptions {
  signingKeys: readonly string[];
  maxAgeSeconds: number;
  now: Date;
}

/** Allowed clock skew for timestamps from the future. */
const FUTURE_SKEW_SECONDS = 300;

export function verifyMailgunSignature(
  sig: Partial<MailgunSignature>,
  opts: MailgunVerifyOptions,
): void {
  const { timestamp, token, signature } = sig;
  if (
    !timestamp ||
    !token ||
    !signature ||
    !/^\d+$/.test(timestamp) ||
    !/^[0-9a-f]+$/i.test(signature)
  ) {
    throw new WebhookAuthError(
      406,
      'signature_missing',
      'timestamp, token and signature are required',
    );
  }
  let ok = false;
  for (const key of opts.signingKeys) {
    ok = safeEqual(hmacHex(key, timestamp + token), signature.toLowerCase()) || ok;
  }
  if (!ok)
    throw new WebhookAuthError(406, 'invalid_signature', 'Mailgun signature does not verify');
  const age = opts.now.getTime() / 1000 - Number(timestamp);
  if (age > opts.maxAgeSeconds || age < -FUTURE_SKEW_SECONDS) {
    throw new WebhookAuthError(
      406,
      'stale_timestamp',
      `timestamp is outside the ${opts.maxAgeSeconds} s window`,
    );
  }
}

export interface MailgunInbound {
  inbound: RawInbound;
  /** The signed token: seen twice means a retry or a replay. */
  nonce: string;
}

export function mailgunInbound(form: FormPayload, opts: MailgunVerifyOptions): MailgunInbound {
  const sig = {
    timestamp: fieldText(form, 'timestamp'),
    token: fieldText(form, 'token'),
    signature: fieldText(form, 'signature'),
  };
  verifyMailgunSignature(sig, opts);
  const raw =
    form.fields.get('body-mime') ?? form.files.find((f) => f.field === 'body-mime')?.content;
  if (!raw || raw.length === 0) {
    throw new AppError(
      406,
      'raw_missing',
      'body-mime is missing: the Mailgun route must forward to a URL ending in /mime',
    );
  }
  const recipient = fieldText(form, 'recipient');
  const verdicts = mailgunVerdicts(form, raw);
  return {
    nonce: sig.token!,
    inbound: {
      provider: 'mailgun',
      providerEventId: sig.token!,
      raw,
      envelope: {
        from: fieldText(form, 'sender') ?? null,
        to: recipient
          ? recipient
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean)
          : [],
      },
      verdicts,
      extras: {},
    },
  };
}

const VERDICT_HEADERS = [
  ['X-Mailgun-Sflag', 'spam'],
  ['X-Mailgun-Sscore', 'spam_score'],
  ['X-Mailgun-Spf', 'spf'],
  ['X-Mailgun-Dkim-Check-Result', 'dkim'],
] as const;

/**
 * Mailgun's spam and authentication verdicts. Routes that forward to `/mime` put them in the
 * headers of `body-mime` (Mailgun adds them to the message); the parsed-field routes post them
 * as form fields. A form field wins when both are present.
 */
export function mailgunVerdicts(form: FormPayload, raw: Buffer): Record<string, string> {
  const headers = headerBlock(raw);
  const verdicts: Record<string, string> = {};
  for (const [field, name] of VERDICT_HEADERS) {
    const v = fieldText(form, field) || headers.get(field.toLowerCase());
    if (v) verdicts[name] = v;
  }
  return verdicts;
}

/** The first value of each header of a message, from its header block only (first 256 KB). */
function headerBlock(raw: Buffer): Map<string, string> {
  const head = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const out = new Map<string, string>();
  for (const line of (end >= 0 ? head.slice(0, end) : head)
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon > 0 && !out.has(name)) out.set(name, line.slice(colon + 1).trim());
  }
  return out;
}

/** Mailgun event types that move no message: stored inbound copies, mailing-list uploads. */
const MAILGUN_INFORMATIONAL = new Set([
  'stored',
  'list_member_uploaded',
  'list_member_upload_error',
  'list_uploaded',
]);

/** Mailgun webhooks (JSON): `{signature, "event-data"}`. */
export function mapMailgunEvent(body: unknown, eventId: string | null, now: Date): MappedEvent {
  const e = obj(obj(body)['event-data']);
  const message = obj(e.message);
  const headers = obj(message.headers);
  const status = obj(e['delivery-status']);
  const base = {
    at: fromEpoch(e.timestamp, now),
    provider: 'mailgun',
    eventId,
    messageId: msgId(headers['message-id']),
    providerMessageId: str(headers['message-id'])?.replace(/^<|>$/g, ''),
    recipient: lower(e.recipient),
    raw: e,
  };
  const reason = str(status.description) || str(status.message) || str(e.reason);
  switch (e.event) {
    case 'accepted':
      return { ...base, type: 'queued' };
    case 'delivered':
      return { ...base, type: 'delivered' };
    case 'failed':
      return e.severity === 'temporary'
        ? { ...base, type: 'deferred', reason }
        : { ...base, type: 'bounced', bounce: 'hard', reason };
    case 'rejected':
      return { ...base, type: 'bounced', bounce: 'hard', reason };
    case 'complained':
      return { ...base, type: 'complained' };
    case 'unsubscribed':
      return { ...base, type: 'unsubscribed' };
    case 'opened':
      return { ...base, type: 'opened' };
    case 'clicked':
      return { ...base, type: 'clicked', reason: str(e.url) };
    default: {
      const providerType = str(e.event) ?? '(none)';
      return { ...base, providerType, known: MAILGUN_INFORMATIONAL.has(providerType) };
    }
  }
}

export function mailgunEvents(
  body: Buffer,
  opts: { signingKeys: readonly string[]; maxAgeSeconds: number; now: Date },
): EventBatch {
  const payload = parseJsonBody(body) as { signature?: Record<string, unknown> } | null;
  const sig = payload && typeof payload === 'object' ? (payload.signature ?? {}) : {};
  const asText = (v: unknown): string | undefined =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  const token = asText(sig.token);
  verifyMailgunSignature(
    { timestamp: asText(sig.timestamp), token, signature: asText(sig.signature) },
    opts,
  );
  return eventBatch([mapMailgunEvent(payload, token ?? null, opts.now)], token ?? null);
}
