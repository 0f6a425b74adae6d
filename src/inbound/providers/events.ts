/**
 * Delivery-event webhooks: authenticate, then map to the one taxonomy in
 * domain/inbound/delivery-events.ts.
 *
 * - SendGrid: ECDSA P-256/SHA-256 over `X-Twilio-Email-Event-Webhook-Timestamp` + raw body,
 *   signature base64 DER in `…-Signature`, public keys (base64 SPKI from the dashboard) as a
 *   list. Bad or stale → 403.
 * - Mailgun: JSON `{signature:{timestamp,token,signature}, "event-data"}`; HMAC as for inbound;
 *   406 on failure. The token is the replay nonce.
 * - Postmark: Basic auth; 403 on failure.
 * - SES: SNS-verified by the caller; the inner message is mapped here.
 */
import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { BadRequestError } from '../../lib/errors.js';
import {
  mapMailgunEvent,
  mapPostmarkEvent,
  mapSendgridEvents,
  mapSesEvent,
} from '../../domain/inbound/delivery-events.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import { basicAuthOk, WebhookAuthError } from './auth.js';
import { verifyMailgunSignature } from './mailgun.js';
import { parseJsonBody } from './postmark.js';
import { parseSnsInner } from './ses.js';
import type { SnsMessage } from './sns.js';
import { header, type HttpHeaders } from './types.js';

export interface EventBatch {
  events: DeliveryEvent[];
  /** Replay nonce when the scheme has one (Mailgun token). */
  nonce: string | null;
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

export function sendgridEvents(
  headers: HttpHeaders,
  body: Buffer,
  opts: { publicKeys: readonly string[]; maxAgeSeconds: number; now: Date },
): EventBatch {
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
  const payload = parseJsonBody(body);
  if (!Array.isArray(payload))
    throw new BadRequestError('malformed_json', 'Expected a JSON array of events');
  return { events: mapSendgridEvents(payload, opts.now), nonce: null };
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
  return { events: mapMailgunEvent(payload, token ?? null, opts.now), nonce: token ?? null };
}

export function postmarkEvents(
  headers: HttpHeaders,
  body: Buffer,
  opts: { authPairs: readonly string[]; now: Date },
): EventBatch {
  if (!basicAuthOk(headers, opts.authPairs)) {
    throw new WebhookAuthError(
      403,
      'invalid_credentials',
      'Basic credentials do not match POSTMARK_INBOUND_AUTH',
    );
  }
  const payload = parseJsonBody(body);
  if (!payload || typeof payload !== 'object')
    throw new BadRequestError('malformed_json', 'Expected a JSON object');
  return { events: mapPostmarkEvent(payload, opts.now), nonce: null };
}

export function sesEvents(m: SnsMessage, now: Date): EventBatch {
  if (m.Type !== 'Notification') return { events: [], nonce: null };
  return { events: mapSesEvent(parseSnsInner(m), m.MessageId, now), nonce: null };
}
