/**
 * SES receipt rules → SNS → POST /inbound/ses. A verified SNS message is one of:
 * a subscription confirmation (confirmed later by a job, only for allowed topics), a `Received`
 * notification carrying the MIME in `content` (SNS action, ≤150 KB), or one pointing at an S3
 * object (S3 action), which the service fetches when S3 fetching is configured.
 *
 * Delivery events come the same way (SNS-verified by the caller): SES notifications
 * (`notificationType`) and event publishing (`eventType`), mapped here one event per recipient.
 */
import { AppError, BadRequestError } from '../../lib/errors.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import type { MappedEvent } from '../../domain/inbound/unmapped-event.js';
import { fromIso, lower, msgId, obj, str, type Json } from './json.js';
import type { SnsMessage } from './sns.js';
import { eventBatch, type EventBatch, type RawInbound } from './types.js';

export type SesInbound =
  | { kind: 'mail'; inbound: RawInbound }
  | { kind: 's3'; bucket: string; key: string; template: Omit<RawInbound, 'raw'> }
  | { kind: 'subscribe'; topicArn: string; subscribeUrl: string; messageId: string }
  | { kind: 'ignore'; why: string };

export function parseSnsInner(m: SnsMessage): Json {
  try {
    return obj(JSON.parse(m.Message));
  } catch {
    throw new BadRequestError('malformed_sns', 'SNS Message is not JSON');
  }
}

export function sesInbound(m: SnsMessage): SesInbound {
  if (m.Type === 'SubscriptionConfirmation') {
    if (!m.SubscribeURL) throw new BadRequestError('malformed_sns', 'SubscribeURL is missing');
    return {
      kind: 'subscribe',
      topicArn: m.TopicArn,
      subscribeUrl: m.SubscribeURL,
      messageId: m.MessageId,
    };
  }
  if (m.Type === 'UnsubscribeConfirmation')
    return { kind: 'ignore', why: 'unsubscribe_confirmation' };
  const inner = parseSnsInner(m);
  if (inner.notificationType !== 'Received')
    return { kind: 'ignore', why: `notification ${String(inner.notificationType)}` };
  const receipt = obj(inner.receipt);
  const mail = obj(inner.mail);
  const action = obj(receipt.action);
  const verdicts: Record<string, string> = {};
  for (const [field, name] of [
    ['spamVerdict', 'spam'],
    ['virusVerdict', 'virus'],
    ['spfVerdict', 'spf'],
    ['dkimVerdict', 'dkim'],
    ['dmarcVerdict', 'dmarc'],
  ] as const) {
    const status = obj(receipt[field]).status;
    if (typeof status === 'string') verdicts[name] = status;
  }
  const template: Omit<RawInbound, 'raw'> = {
    provider: 'ses',
    providerEventId: typeof mail.messageId === 'string' ? mail.messageId : m.MessageId,
    envelope: {
      from: typeof mail.source === 'string' ? mail.source : null,
      to: Array.isArray(receipt.recipients)
        ? receipt.recipients.filter((r): r is string => typeof r === 'string')
        : [],
    },
    verdicts,
    extras: {},
  };
  if (typeof inner.content === 'string') {
    const encoding = String(action.encoding ?? 'UTF8').toUpperCase();
    const raw =
      encoding === 'BASE64'
        ? Buffer.from(inner.content, 'base64')
        : Buffer.from(inner.content, 'utf8');
    return { kind: 'mail', inbound: { ...template, raw } };
  }
  if (
    action.type === 'S3' &&
    typeof action.bucketName === 'string' &&
    typeof action.objectKey === 'string'
  ) {
    return { kind: 's3', bucket: action.bucketName, key: action.objectKey, template };
  }
  throw new AppError(
    422,
    'raw_missing',
    'SES notification has neither content (SNS action) nor an S3 object',
  );
}

/** What every event of one SES notification shares. */
type SesBase = Omit<DeliveryEvent, 'type' | 'at' | 'recipient' | 'reason'>;
type SesMapper = (m: Json, base: SesBase, now: Date) => DeliveryEvent[];

const eachRecipient = (list: unknown, f: (r: Json) => DeliveryEvent): DeliveryEvent[] =>
  Array.isArray(list) ? list.map((r) => f(obj(r))) : [];

/** One event per address the message was sent to (`mail.destination`). */
function eachDestination(
  m: Json,
  now: Date,
  f: (at: Date, recipient: string | undefined) => DeliveryEvent,
): DeliveryEvent[] {
  const mail = obj(m.mail);
  const at = fromIso(mail.timestamp, now);
  return (Array.isArray(mail.destination) ? mail.destination : []).map((r) => f(at, lower(r)));
}

const SES_EVENTS = new Map<string, SesMapper>([
  [
    'Bounce',
    (m, base, now) => {
      const b = obj(m.bounce);
      const at = fromIso(b.timestamp, now);
      const severity = b.bounceType === 'Permanent' ? 'hard' : 'soft';
      return eachRecipient(b.bouncedRecipients, (r) => ({
        ...base,
        at,
        type: 'bounced',
        bounce: severity,
        recipient: lower(r.emailAddress),
        reason: str(r.diagnosticCode) ?? str(b.bounceSubType),
      }));
    },
  ],
  [
    'Complaint',
    (m, base, now) => {
      const c = obj(m.complaint);
      const at = fromIso(c.timestamp, now);
      return eachRecipient(c.complainedRecipients, (r) => ({
        ...base,
        at,
        type: 'complained',
        recipient: lower(r.emailAddress),
        reason: str(c.complaintFeedbackType),
      }));
    },
  ],
  [
    'Delivery',
    (m, base, now) => {
      const d = obj(m.delivery);
      const at = fromIso(d.timestamp, now);
      return (Array.isArray(d.recipients) ? d.recipients : []).map((r) => ({
        ...base,
        at,
        type: 'delivered' as const,
        recipient: lower(r),
      }));
    },
  ],
  [
    'DeliveryDelay',
    (m, base, now) => {
      const d = obj(m.deliveryDelay);
      const at = fromIso(d.timestamp, now);
      return eachRecipient(d.delayedRecipients, (r) => ({
        ...base,
        at,
        type: 'deferred',
        recipient: lower(r.emailAddress),
        reason: str(r.diagnosticCode) ?? str(d.delayType),
      }));
    },
  ],
  [
    'Send',
    (m, base, now) =>
      eachDestination(m, now, (at, recipient) => ({ ...base, at, recipient, type: 'sent' })),
  ],
  [
    // SES accepted the message, then refused it for a virus: the content failed, not the address.
    'Reject',
    (m, base, now) =>
      eachDestination(m, now, (at, recipient) => ({
        ...base,
        at,
        recipient,
        type: 'bounced',
        bounce: 'soft',
        reason: str(obj(m.reject).reason) ?? 'rejected',
      })),
  ],
  [
    'Open',
    (m, base, now) => [{ ...base, at: fromIso(obj(m.open).timestamp, now), type: 'opened' }],
  ],
  [
    'Click',
    (m, base, now) => [
      {
        ...base,
        at: fromIso(obj(m.click).timestamp, now),
        type: 'clicked',
        reason: str(obj(m.click).link),
      },
    ],
  ],
]);

/** SES event types that move no message: SES templates we do not use, topic preferences. */
const SES_INFORMATIONAL = new Set(['Rendering Failure', 'Subscription']);

/**
 * SES notifications (`notificationType`) and event publishing (`eventType`), already unwrapped
 * from the SNS envelope. One event per recipient.
 */
export function mapSesEvent(message: unknown, eventId: string | null, now: Date): MappedEvent[] {
  const m = obj(message);
  const kind = str(m.notificationType) ?? str(m.eventType);
  const mail = obj(m.mail);
  const common = obj(mail.commonHeaders);
  const headerId = Array.isArray(mail.headers)
    ? (mail.headers as unknown[]).map(obj).find((h) => lower(h.name) === 'message-id')?.value
    : undefined;
  const base: SesBase = {
    provider: 'ses',
    eventId,
    messageId: msgId(common.messageId) ?? msgId(headerId),
    providerMessageId: str(mail.messageId),
    raw: m,
  };
  const map = kind ? SES_EVENTS.get(kind) : undefined;
  if (map) return map(m, base, now);
  const providerType = kind ?? '(none)';
  return [
    {
      ...base,
      at: fromIso(mail.timestamp, now),
      providerType,
      known: SES_INFORMATIONAL.has(providerType),
    },
  ];
}

export function sesEvents(m: SnsMessage, now: Date): EventBatch {
  if (m.Type !== 'Notification') return eventBatch([], null);
  return eventBatch(mapSesEvent(parseSnsInner(m), m.MessageId, now), null);
}
