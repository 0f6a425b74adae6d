/**
 * Postmark inbound: JSON with `RawEmail` (the "Include raw email content" option).
 *
 * Contract: 403 stops Postmark's retries, so bad Basic credentials get it. A payload without
 * RawEmail gets 422 with a hint (it will never succeed until the option is ticked), malformed
 * JSON 400. Auth is checked before the body is parsed.
 *
 * Delivery events: one JSON object per event, told apart by RecordType, behind the same Basic
 * auth scheme (403 on failure).
 */
import { AppError, BadRequestError } from '../../lib/errors.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import { basicAuthOk, WebhookAuthError } from './auth.js';
import { fromIso, lower, obj, parseJsonBody, str, type Json } from './json.js';
import type { EventBatch, HttpHeaders, RawInbound } from './types.js';

export function checkPostmarkAuth(headers: HttpHeaders, pairs: readonly string[]): void {
  if (!basicAuthOk(headers, pairs)) {
    throw new WebhookAuthError(
      403,
      'invalid_credentials',
      'Basic credentials do not match POSTMARK_INBOUND_AUTH',
    );
  }
}

export function postmarkInbound(
  headers: HttpHeaders,
  body: Buffer,
  authPairs: readonly string[],
): RawInbound {
  checkPostmarkAuth(headers, authPairs);
  const payload = parseJsonBody(body);
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new BadRequestError('malformed_json', 'Expected a JSON object');
  }
  const p = payload as Json;
  if (typeof p.RawEmail !== 'string' || p.RawEmail.length === 0) {
    throw new AppError(
      422,
      'raw_email_missing',
      'RawEmail is missing: enable "Include raw email content in JSON payload" in the Postmark inbound settings',
    );
  }
  const list = Array.isArray(p.Headers) ? (p.Headers as Json[]) : [];
  const h = (name: string): string | undefined => {
    const found = list.find(
      (x) => typeof x?.Name === 'string' && x.Name.toLowerCase() === name.toLowerCase(),
    );
    return typeof found?.Value === 'string' ? found.Value : undefined;
  };
  const verdicts: Record<string, string> = {};
  const spamStatus = h('X-Spam-Status');
  if (spamStatus) verdicts.spam = spamStatus;
  const spamScore = h('X-Spam-Score');
  if (spamScore) verdicts.spam_score = spamScore;
  const spf = h('Received-SPF');
  if (spf) verdicts.spf = spf;
  const extras: Record<string, string> = {};
  if (typeof p.StrippedTextReply === 'string' && p.StrippedTextReply !== '') {
    extras.stripped_text = p.StrippedTextReply;
  }
  const returnPath = h('Return-Path');
  return {
    provider: 'postmark',
    providerEventId: typeof p.MessageID === 'string' ? p.MessageID : null,
    // Postmark delivers the MIME source as a JSON string; its bytes are that string's UTF-8.
    raw: Buffer.from(p.RawEmail, 'utf8'),
    envelope: {
      from: returnPath !== undefined ? returnPath.replace(/^\s*<|>\s*$/g, '') : null,
      to:
        typeof p.OriginalRecipient === 'string' && p.OriginalRecipient ? [p.OriginalRecipient] : [],
    },
    verdicts,
    extras,
  };
}

const POSTMARK_DEFERRED = new Set(['Transient', 'DnsError', 'SoftBounce', 'Unknown']);
const POSTMARK_HARD = new Set([
  'HardBounce',
  'BadEmailAddress',
  'ManuallyDeactivated',
  'Blocked',
  'DMARCPolicy',
]);

/** A Bounce record is a bounce, a deferral or a complaint, by its Type. */
function mapPostmarkBounce(
  e: Json,
  base: Omit<DeliveryEvent, 'type' | 'at' | 'eventId'>,
  now: Date,
): DeliveryEvent[] {
  const type = str(e.Type) ?? '';
  const at = fromIso(e.BouncedAt, now);
  const eventId = e.ID !== undefined ? String(e.ID) : null;
  const reason = str(e.Description) ?? str(e.Details);
  if (type === 'SpamComplaint' || type === 'SpamNotification') {
    return [{ ...base, at, eventId, type: 'complained' }];
  }
  if (POSTMARK_HARD.has(type))
    return [{ ...base, at, eventId, type: 'bounced', bounce: 'hard', reason }];
  if (POSTMARK_DEFERRED.has(type)) return [{ ...base, at, eventId, type: 'deferred', reason }];
  return []; // AutoResponder, AddressChange, ChallengeVerification, …: not about delivery.
}

/** Postmark webhooks: one JSON object per event, told apart by RecordType. */
export function mapPostmarkEvent(body: unknown, now: Date): DeliveryEvent[] {
  const e = obj(body);
  const base = {
    provider: 'postmark',
    providerMessageId: str(e.MessageID),
    recipient: lower(e.Email) ?? lower(e.Recipient),
    raw: e,
  };
  switch (e.RecordType) {
    case 'Bounce':
      return mapPostmarkBounce(e, base, now);
    case 'SpamComplaint':
      return [
        {
          ...base,
          at: fromIso(e.BouncedAt, now),
          eventId: e.ID !== undefined ? String(e.ID) : null,
          type: 'complained',
        },
      ];
    case 'Delivery':
      return [
        {
          ...base,
          at: fromIso(e.DeliveredAt, now),
          eventId: null,
          type: 'delivered',
          reason: str(e.Details),
        },
      ];
    case 'Open':
      return [{ ...base, at: fromIso(e.ReceivedAt, now), eventId: null, type: 'opened' }];
    case 'Click':
      return [
        {
          ...base,
          at: fromIso(e.ReceivedAt, now),
          eventId: null,
          type: 'clicked',
          reason: str(e.OriginalLink),
        },
      ];
    case 'SubscriptionChange':
      return e.SuppressSending === true
        ? [{ ...base, at: fromIso(e.ChangedAt, now), eventId: null, type: 'unsubscribed' }]
        : [];
    default:
      return [];
  }
}

export function postmarkEvents(
  headers: HttpHeaders,
  body: Buffer,
  opts: { authPairs: readonly string[]; now: Date },
): EventBatch {
  checkPostmarkAuth(headers, opts.authPairs);
  const payload = parseJsonBody(body);
  if (!payload || typeof payload !== 'object')
    throw new BadRequestError('malformed_json', 'Expected a JSON object');
  return { events: mapPostmarkEvent(payload, opts.now), nonce: null };
}
