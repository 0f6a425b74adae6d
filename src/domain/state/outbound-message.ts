/**
 * The OutboundMessage lifecycle: one transition table, one `transition()` function.
 *
 *   scheduled → queued → sending → sent → delivered | bounced | complained
 *                          sending → deferred → queued        (a retry, attempt n+1)
 *   → failed (permanent reply, or attempts exhausted)   → expired (out of retry time)
 *   → suppressed (address on the suppression list)      → canceled (by the API)
 *
 * Storage applies a transition as `UPDATE … WHERE id = $1 AND status = ANY($from)`, with the
 * `from` list taken from this table, so a concurrent worker loses the race instead of
 * double-sending. This module is pure.
 */

export const OUTBOUND_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'bounced',
  'complained',
  'deferred',
  'failed',
  'expired',
  'suppressed',
  'canceled',
] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

export type OutboundEvent =
  /** send_at reached */
  | 'promote'
  /** a worker takes the message, with a lease */
  | 'claim'
  /** the SMTP server (or the outbox) accepted the message */
  | 'accept'
  /** temporary failure (4xx, network, rate limit, expired lease): try again later */
  | 'defer'
  /** the deferral's time came: back in line */
  | 'requeue'
  /** permanent failure, or attempts exhausted */
  | 'fail'
  /** the retry deadline (or a scheduled message's deadline) passed */
  | 'expire'
  | 'suppress'
  | 'cancel'
  /** provider delivery events */
  | 'deliver'
  | 'bounce'
  | 'complain'
  /** manual retry through the API: a new attempt series */
  | 'retry';

const TABLE: Record<OutboundEvent, Partial<Record<OutboundStatus, OutboundStatus>>> = {
  promote: { scheduled: 'queued' },
  claim: { queued: 'sending' },
  accept: { sending: 'sent' },
  defer: { sending: 'deferred' },
  requeue: { deferred: 'queued' },
  fail: { sending: 'failed', deferred: 'failed', queued: 'failed' },
  expire: { scheduled: 'expired', queued: 'expired', deferred: 'expired', sending: 'expired' },
  suppress: {
    scheduled: 'suppressed',
    queued: 'suppressed',
    sending: 'suppressed',
    deferred: 'suppressed',
  },
  // A deferred message is waiting in line just like a queued one, so it can be canceled too.
  cancel: { scheduled: 'canceled', queued: 'canceled', deferred: 'canceled' },
  // Providers report delivery and bounces out of order; a late bounce still wins over delivered.
  deliver: { sent: 'delivered' },
  bounce: { sent: 'bounced', delivered: 'bounced' },
  complain: { sent: 'complained', delivered: 'complained' },
  retry: { failed: 'queued', expired: 'queued' },
};

export const TERMINAL_STATUSES: readonly OutboundStatus[] = [
  'delivered',
  'bounced',
  'complained',
  'failed',
  'expired',
  'suppressed',
  'canceled',
];

export type TransitionResult =
  | { ok: true; from: OutboundStatus; to: OutboundStatus }
  | { ok: false; from: OutboundStatus; event: OutboundEvent; reason: 'invalid_transition' };

export function transition(from: OutboundStatus, event: OutboundEvent): TransitionResult {
  const to = TABLE[event][from];
  return to ? { ok: true, from, to } : { ok: false, from, event, reason: 'invalid_transition' };
}

/** The states an event may start from: the `status = ANY($n)` guard of the conditional UPDATE. */
export function sourcesOf(event: OutboundEvent): OutboundStatus[] {
  return Object.keys(TABLE[event]) as OutboundStatus[];
}

/** The single target of an event (every event here has exactly one). */
export function targetOf(event: OutboundEvent): OutboundStatus {
  const targets = new Set(Object.values(TABLE[event]));
  if (targets.size !== 1) throw new Error(`event ${event} has ${targets.size} targets`);
  return [...targets][0]!;
}

export function isOutboundStatus(value: string): value is OutboundStatus {
  return (OUTBOUND_STATUSES as readonly string[]).includes(value);
}

/** Statuses a delivery webhook event type is published for (`message.<status>`). */
export const WEBHOOK_EVENT_TYPES = [
  'message.sent',
  'message.deferred',
  'message.failed',
  'message.expired',
  'message.suppressed',
  'message.canceled',
  'message.delivered',
  'message.bounced',
  'message.complained',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function webhookEventFor(status: OutboundStatus): WebhookEventType | null {
  const name = `message.${status}`;
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(name)
    ? (name as WebhookEventType)
    : null;
}
