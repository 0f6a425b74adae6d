/**
 * Provider delivery-event payloads mapped to the one DeliveryEvent taxonomy
 * (domain/outbound/delivery-event.ts). Each mapper takes a provider's already-authenticated
 * JSON and returns zero or more events; event kinds we do not track map to nothing rather than
 * to an error.
 */
import type { DeliveryEvent } from '../outbound/delivery-event.js';
import { normalizeMessageId, severityOf } from './dsn.js';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Json =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
const fromEpoch = (v: unknown, fallback: Date): Date => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? new Date(n * 1000) : fallback;
};
const fromIso = (v: unknown, fallback: Date): Date => {
  const d = typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : fallback;
};
const msgId = (v: unknown): string | undefined => {
  const s = str(v);
  return s ? normalizeMessageId(s) : undefined;
};
const lower = (v: unknown): string | undefined => str(v)?.toLowerCase();

/** SendGrid Event Webhook: a JSON array of events. */
export function mapSendgridEvents(body: unknown, now: Date): DeliveryEvent[] {
  if (!Array.isArray(body)) return [];
  const out: DeliveryEvent[] = [];
  for (const item of body) {
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
        out.push({ ...base, type: 'queued' });
        break;
      case 'delivered':
        out.push({ ...base, type: 'delivered' });
        break;
      case 'deferred':
        out.push({ ...base, type: 'deferred', reason });
        break;
      case 'bounce': {
        const soft = e.type === 'blocked' || severityOf(str(e.status) ?? null) === 'soft';
        out.push({ ...base, type: 'bounced', bounce: soft ? 'soft' : 'hard', reason });
        break;
      }
      case 'dropped':
        out.push({ ...base, type: 'bounced', bounce: 'hard', reason });
        break;
      case 'spamreport':
        out.push({ ...base, type: 'complained' });
        break;
      case 'unsubscribe':
      case 'group_unsubscribe':
        out.push({ ...base, type: 'unsubscribed' });
        break;
      case 'open':
        out.push({ ...base, type: 'opened' });
        break;
      case 'click':
        out.push({ ...base, type: 'clicked', reason: str(e.url) });
        break;
    }
  }
  return out;
}

/** Mailgun webhooks (JSON): `{signature, "event-data"}`. */
export function mapMailgunEvent(body: unknown, eventId: string | null, now: Date): DeliveryEvent[] {
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
      return [{ ...base, type: 'queued' }];
    case 'delivered':
      return [{ ...base, type: 'delivered' }];
    case 'failed':
      return e.severity === 'temporary'
        ? [{ ...base, type: 'deferred', reason }]
        : [{ ...base, type: 'bounced', bounce: 'hard', reason }];
    case 'rejected':
      return [{ ...base, type: 'bounced', bounce: 'hard', reason }];
    case 'complained':
      return [{ ...base, type: 'complained' }];
    case 'unsubscribed':
      return [{ ...base, type: 'unsubscribed' }];
    case 'opened':
      return [{ ...base, type: 'opened' }];
    case 'clicked':
      return [{ ...base, type: 'clicked', reason: str(e.url) }];
    default:
      return [];
  }
}

const POSTMARK_DEFERRED = new Set(['Transient', 'DnsError', 'SoftBounce', 'Unknown']);
const POSTMARK_HARD = new Set([
  'HardBounce',
  'BadEmailAddress',
  'ManuallyDeactivated',
  'Blocked',
  'DMARCPolicy',
]);

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
    case 'Bounce': {
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

/**
 * SES notifications (`notificationType`) and event publishing (`eventType`), already unwrapped
 * from the SNS envelope. One event per recipient.
 */
export function mapSesEvent(message: unknown, eventId: string | null, now: Date): DeliveryEvent[] {
  const m = obj(message);
  const kind = str(m.notificationType) ?? str(m.eventType);
  const mail = obj(m.mail);
  const common = obj(mail.commonHeaders);
  const headerId = Array.isArray(mail.headers)
    ? (mail.headers as unknown[]).map(obj).find((h) => lower(h.name) === 'message-id')?.value
    : undefined;
  const base = {
    provider: 'ses',
    eventId,
    messageId: msgId(common.messageId) ?? msgId(headerId),
    providerMessageId: str(mail.messageId),
    raw: m,
  };
  const each = (list: unknown, f: (r: Json) => DeliveryEvent): DeliveryEvent[] =>
    Array.isArray(list) ? list.map((r) => f(obj(r))) : [];
  const destination = Array.isArray(mail.destination) ? mail.destination : [];
  switch (kind) {
    case 'Bounce': {
      const b = obj(m.bounce);
      const at = fromIso(b.timestamp, now);
      const severity = b.bounceType === 'Permanent' ? 'hard' : 'soft';
      return each(b.bouncedRecipients, (r) => ({
        ...base,
        at,
        type: 'bounced',
        bounce: severity,
        recipient: lower(r.emailAddress),
        reason: str(r.diagnosticCode) ?? str(b.bounceSubType),
      }));
    }
    case 'Complaint': {
      const c = obj(m.complaint);
      const at = fromIso(c.timestamp, now);
      return each(c.complainedRecipients, (r) => ({
        ...base,
        at,
        type: 'complained',
        recipient: lower(r.emailAddress),
        reason: str(c.complaintFeedbackType),
      }));
    }
    case 'Delivery': {
      const d = obj(m.delivery);
      const at = fromIso(d.timestamp, now);
      return (Array.isArray(d.recipients) ? d.recipients : []).map((r) => ({
        ...base,
        at,
        type: 'delivered' as const,
        recipient: lower(r),
      }));
    }
    case 'DeliveryDelay': {
      const d = obj(m.deliveryDelay);
      const at = fromIso(d.timestamp, now);
      return each(d.delayedRecipients, (r) => ({
        ...base,
        at,
        type: 'deferred',
        recipient: lower(r.emailAddress),
        reason: str(r.diagnosticCode) ?? str(d.delayType),
      }));
    }
    case 'Send':
      return destination.map((r) => ({
        ...base,
        at: fromIso(mail.timestamp, now),
        type: 'sent' as const,
        recipient: lower(r),
      }));
    case 'Open':
      return [{ ...base, at: fromIso(obj(m.open).timestamp, now), type: 'opened' }];
    case 'Click':
      return [
        {
          ...base,
          at: fromIso(obj(m.click).timestamp, now),
          type: 'clicked',
          reason: str(obj(m.click).link),
        },
      ];
    default:
      return [];
  }
}
