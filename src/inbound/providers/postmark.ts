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
import type { MappedEvent, UnmappedEvent } from '../../domain/inbound/unmapped-event.js';
import { basicAuthOk, WebhookAuthError } from './auth.js';
import { fromIso, lower, obj, parseJsonBody, str, type Json } from './json.js';
import { takeStringField } from './json-string-field.js';
import { eventBatch, type EventBatch, type HttpHeaders, type RawInbound } from './types.js';

export function checkPostmarkAuth(headers: HttpHeaders, pairs: readonly string[]): void {
  if (!basicAuthOk(headers, pairs)) {
    throw new WebhookAuthError(
      403,
      'invalid_credentials',
      'Basic credentials do not match POSTMARK_INBOUND_AUTH',
    );
  }
}

/**
 * The payload, and `RawEmail` as bytes (the UTF-8 of that JSON string: Postmark delivers the
 * MIME source so). The field is decoded apart from the rest (json-string-field.ts), so a 40 MB
 * message is never a 40 MB JavaScript string; a body where that fails is parsed as usual.
 */
function readPayload(body: Buffer): { p: Json; raw: Buffer } {
  const taken = tryTake(body);
  if (taken) {
    const p = jsonObject(taken.rest);
    // Emptied where we looked; otherwise that was not the field JSON.parse would read.
    if (p.RawEmail === '') return { p, raw: taken.value };
  }
  const p = jsonObject(body);
  const raw = typeof p.RawEmail === 'string' ? Buffer.from(p.RawEmail, 'utf8') : Buffer.alloc(0);
  return { p, raw };
}

function tryTake(body: Buffer): ReturnType<typeof takeStringField> {
  try {
    return takeStringField(body, 'RawEmail');
  } catch {
    return null; // not valid JSON where we looked: the full parse says why
  }
}

function jsonObject(body: Buffer): Json {
  const payload = parseJsonBody(body);
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new BadRequestError('malformed_json', 'Expected a JSON object');
  }
  return payload as Json;
}

export function postmarkInbound(
  headers: HttpHeaders,
  body: Buffer,
  authPairs: readonly string[],
): RawInbound {
  checkPostmarkAuth(headers, authPairs);
  const { p, raw } = readPayload(body);
  if (raw.length === 0) {
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
    raw,
    envelope: {
      from: returnPath !== undefined ? returnPath.replace(/^\s*<|>\s*$/g, '') : null,
      to:
        typeof p.OriginalRecipient === 'string' && p.OriginalRecipient ? [p.OriginalRecipient] : [],
    },
    verdicts,
    extras,
  };
}

type BounceRule =
  | { type: 'bounced'; bounce: 'hard' | 'soft' }
  | { type: 'deferred' | 'complained' | 'unsubscribed' }
  | { type: null };

/**
 * Every bounce `Type` Postmark documents, by what it means for the message. `type: null` marks
 * the ones that say nothing about delivery: stored as informational, not dropped.
 */
export const POSTMARK_BOUNCE_TYPES: Readonly<Record<string, BounceRule>> = {
  HardBounce: { type: 'bounced', bounce: 'hard' },
  BadEmailAddress: { type: 'bounced', bounce: 'hard' },
  ManuallyDeactivated: { type: 'bounced', bounce: 'hard' },
  Blocked: { type: 'bounced', bounce: 'hard' },
  DMARCPolicy: { type: 'bounced', bounce: 'hard' },
  // Refused for what the message held or how it was sent, not for the address.
  VirusNotification: { type: 'bounced', bounce: 'soft' },
  SMTPApiError: { type: 'bounced', bounce: 'soft' },
  TemplateRenderingFailed: { type: 'bounced', bounce: 'soft' },
  Unconfirmed: { type: 'bounced', bounce: 'soft' },
  Transient: { type: 'deferred' },
  DnsError: { type: 'deferred' },
  SoftBounce: { type: 'deferred' },
  Unknown: { type: 'deferred' },
  ChallengeVerification: { type: 'deferred' },
  SpamComplaint: { type: 'complained' },
  SpamNotification: { type: 'complained' },
  Unsubscribe: { type: 'unsubscribed' },
  Subscribe: { type: null },
  AutoResponder: { type: null },
  AddressChange: { type: null },
  OpenRelayTest: { type: null },
  InboundError: { type: null },
};

type PostmarkBase = Omit<DeliveryEvent, 'type' | 'at' | 'eventId'>;

const unmapped = (
  base: PostmarkBase,
  at: Date,
  eventId: string | null,
  providerType: string,
  known: boolean,
): UnmappedEvent => ({ ...base, at, eventId, providerType, known });

/** A Bounce record is a bounce, a deferral, a complaint or an unsubscribe, by its Type. */
function mapPostmarkBounce(e: Json, base: PostmarkBase, now: Date): MappedEvent {
  const type = str(e.Type) ?? '(none)';
  const at = fromIso(e.BouncedAt, now);
  const eventId = e.ID !== undefined ? String(e.ID) : null;
  const reason = str(e.Description) ?? str(e.Details);
  const rule = Object.hasOwn(POSTMARK_BOUNCE_TYPES, type) ? POSTMARK_BOUNCE_TYPES[type]! : null;
  if (!rule || rule.type === null)
    return unmapped(base, at, eventId, `Bounce/${type}`, rule !== null);
  return { ...base, ...rule, at, eventId, reason };
}

/** Postmark webhooks: one JSON object per event, told apart by RecordType. */
export function mapPostmarkEvent(body: unknown, now: Date): MappedEvent {
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
    case 'SpamComplaint': {
      const eventId = e.ID !== undefined ? String(e.ID) : null;
      return { ...base, at: fromIso(e.BouncedAt, now), eventId, type: 'complained' };
    }
    case 'Delivery':
      return {
        ...base,
        at: fromIso(e.DeliveredAt, now),
        eventId: null,
        type: 'delivered',
        reason: str(e.Details),
      };
    case 'Open':
      return { ...base, at: fromIso(e.ReceivedAt, now), eventId: null, type: 'opened' };
    case 'Click':
      return {
        ...base,
        at: fromIso(e.ReceivedAt, now),
        eventId: null,
        type: 'clicked',
        reason: str(e.OriginalLink),
      };
    case 'SubscriptionChange': {
      const at = fromIso(e.ChangedAt, now);
      // SuppressSending false: the recipient was reactivated, which moves no message.
      return e.SuppressSending === true
        ? { ...base, at, eventId: null, type: 'unsubscribed' }
        : unmapped(base, at, null, 'SubscriptionChange/reactivated', true);
    }
    default:
      return unmapped(base, now, null, str(e.RecordType) ?? '(none)', false);
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
  return eventBatch([mapPostmarkEvent(payload, opts.now)], null);
}
