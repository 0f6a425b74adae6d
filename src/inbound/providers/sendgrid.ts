/**
 * SendGrid Inbound Parse: multipart/form-data in raw mode (`email`) or parsed mode (`headers`,
 * `text`, `html`, `attachmentN` + `attachment-info`, `charsets`). Parsed mode is rebuilt into
 * one MIME message, so everything downstream sees raw bytes either way.
 *
 * Contract: SendGrid drops a message on any 4xx and retries 5xx for 72 h. Bad Basic
 * credentials → 401, an address outside the allowlist → 403, no content at all → 400.
 * Field bytes are kept as sent: `text` and `html` are in the charsets that `charsets` names.
 *
 * Event Webhook: ECDSA P-256/SHA-256 over `X-Twilio-Email-Event-Webhook-Timestamp` + raw
 * body, signature base64 DER in `…-Signature`, public keys (base64 SPKI from the dashboard) as
 * a list. Bad or stale → 403.
 */
import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { BadRequestError } from '../../lib/errors.js';
import { severityOf } from '../../domain/inbound/dsn.js';
import type { MappedEvent } from '../../domain/inbound/unmapped-event.js';
import { basicAuthOk, ipAllowed, WebhookAuthError } from './auth.js';
import { fromEpoch, lower, msgId, obj, parseJsonBody, str } from './json.js';
import { jsonField, rebuildFromParsed } from './sendgrid-parsed.js';
import {
  eventBatch,
  fieldText,
  header,
  type EventBatch,
  type FormPayload,
  type HttpHeaders,
  type RawInbound,
} from './types.js';

export { rebuildFromParsed };

export interface SendgridInboundOptions {
  authPairs: readonly string[];
  allowIps: readonly string[];
  remoteAddress?: string;
}

export function checkSendgridAuth(headers: HttpHeaders, opts: SendgridInboundOptions): void {
  if (!basicAuthOk(headers, opts.authPairs)) {
    throw new WebhookAuthError(
      401,
      'invalid_credentials',
      'Basic credentials do not match SENDGRID_INBOUND_AUTH',
    );
  }
  if (!ipAllowed(opts.remoteAddress, opts.allowIps)) {
    throw new WebhookAuthError(
      403,
      'ip_not_allowed',
      'Source address is not in SENDGRID_INBOUND_ALLOW_IPS',
    );
  }
}

export function sendgridInbound(
  form: FormPayload,
  headers: HttpHeaders,
  opts: SendgridInboundOptions,
): RawInbound {
  checkSendgridAuth(headers, opts);
  const envelope = (jsonField(form, 'envelope') ?? {}) as { to?: unknown; from?: unknown };
  const verdicts: Record<string, string> = {};
  for (const [field, name] of [
    ['SPF', 'spf'],
    ['dkim', 'dkim'],
    ['spam_score', 'spam_score'],
    ['spam_report', 'spam_report'],
  ] as const) {
    const v = fieldText(form, field);
    if (v) verdicts[name] = v;
  }
  const raw = form.fields.get('email') ?? form.files.find((f) => f.field === 'email')?.content;
  const rebuilt = raw && raw.length > 0 ? raw : rebuildFromParsed(form);
  if (!rebuilt) {
    throw new BadRequestError(
      'raw_missing',
      'Neither `email` (raw mode) nor `headers` (parsed mode) was posted',
    );
  }
  return {
    provider: 'sendgrid',
    providerEventId: null,
    raw: rebuilt,
    envelope: {
      from: typeof envelope.from === 'string' ? envelope.from : null,
      to: Array.isArray(envelope.to)
        ? envelope.to.filter((t): t is string => typeof t === 'string')
        : [],
    },
    verdicts,
    extras: {},
  };
}

/** SendGrid event types that move no message (a recipient opting back in). */
const SENDGRID_INFORMATIONAL = new Set(['group_resubscribe']);

/** SendGrid Event Webhook: a JSON array of events. */
export function mapSendgridEvents(body: unknown, now: Date): MappedEvent[] {
  if (!Array.isArray(body)) return [];
  return body.map((item): MappedEvent => {
    const e = obj(item);
    const base = {
      at: fromEpoch(e.timestamp, now),
      provider: 'sendgrid',
      eventId: str(e.sg_event_id) ?? null,
      messageId: msgId(e['smtp-id']),
      // sg_message_id is "<x-message-id>.filter…"; the prefix is what the send API returned.
      providerMessageId: str(e.sg_message_id)?.split('.')[0],
      recipient: lower(e.email),
      raw: e,
    };
    const reason = str(e.reason) ?? str(e.response);
    switch (e.event) {
      case 'processed':
        return { ...base, type: 'queued' };
      case 'delivered':
        return { ...base, type: 'delivered' };
      case 'deferred':
        return { ...base, type: 'deferred', reason };
      case 'bounce': {
        const soft = e.type === 'blocked' || severityOf(str(e.status) ?? null) === 'soft';
        return { ...base, type: 'bounced', bounce: soft ? 'soft' : 'hard', reason };
      }
      case 'dropped':
        return { ...base, type: 'bounced', bounce: 'hard', reason };
      case 'spamreport':
        return { ...base, type: 'complained' };
      case 'unsubscribe':
      case 'group_unsubscribe':
        return { ...base, type: 'unsubscribed' };
      case 'open':
        return { ...base, type: 'opened' };
      case 'click':
        return { ...base, type: 'clicked', reason: str(e.url) };
      default: {
        const providerType = str(e.event) ?? '(none)';
        return { ...base, providerType, known: SENDGRID_INFORMATIONAL.has(providerType) };
      }
    }
  });
}

const keyCache = new Map<string, KeyObject>();

/** Accepts the dashboard's base64 SPKI or a PEM. */
export function sendgridPublicKey(value: string): KeyObject {
  let key = keyCache.get(value);
  if (!key) {
    key = value.includes('BEGIN')
      ? createPublicKey(value)
      : createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' });
    keyCache.set(value, key);
  }
  return key;
}

function checkSendgridEventSignature(
  headers: HttpHeaders,
  body: Buffer,
  opts: { publicKeys: readonly string[]; maxAgeSeconds: number; now: Date },
): void {
  const signature = header(headers, 'x-twilio-email-event-webhook-signature');
  const timestamp = header(headers, 'x-twilio-email-event-webhook-timestamp');
  if (!signature || !timestamp) {
    throw new WebhookAuthError(403, 'signature_missing', 'SendGrid signature headers are missing');
  }
  const ok = opts.publicKeys.some((k) =>
    createVerify('SHA256')
      .update(timestamp)
      .update(body)
      .verify(sendgridPublicKey(k), signature, 'base64'),
  );
  if (!ok)
    throw new WebhookAuthError(
      403,
      'invalid_signature',
      'SendGrid event signature does not verify',
    );
  const age = opts.now.getTime() / 1000 - Number(timestamp);
  if (!Number.isFinite(age) || age > opts.maxAgeSeconds || age < -300) {
    throw new WebhookAuthError(
      403,
      'stale_timestamp',
      `timestamp is outside the ${opts.maxAgeSeconds} s window`,
    );
  }
}

export function sendgridEvents(
  headers: HttpHeaders,
  body: Buffer,
  opts: { publicKeys: readonly string[]; maxAgeSeconds: number; now: Date },
): EventBatch {
  checkSendgridEventSignature(headers, body, opts);
  const payload = parseJsonBody(body);
  if (!Array.isArray(payload))
    throw new BadRequestError('malformed_json', 'Expected a JSON array of events');
  return eventBatch(mapSendgridEvents(payload, opts.now), null);
}
