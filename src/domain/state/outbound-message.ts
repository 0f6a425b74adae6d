/**
 * The OutboundMessage lifecycle: one transition table, one `transition()` function.
 *
 *   scheduled → queued → sending → sent → delivered | bounced | complained
 *                          sending → deferred → queued        (a retry, attempt n+1)
 *                          sending → partially_sent            (some recipients got it, not all)
 *   → bounced (every recipient refused: a 5xx at RCPT, or a provider's bounce report)
 *   → failed (a permanent reply about the message, or attempts exhausted)
 *   → expired (out of retry time)  → suppressed (suppression list)  → canceled (by the API)
 *
 * Each recipient has its own delivery (domain/state/recipient-delivery.ts); the message's event
 * at the end of an attempt is derived from them (domain/outbound/recipient-outcome.ts).
 *
 * Storage applies a transition as `UPDATE … WHERE id = $1 AND status = ANY($from)`, with the
 * `from` list taken from this table, so a concurrent worker loses the race instead of
 * double-sending. This module is pure.
 */
import { defineMachine } from './machine.js';

export const OUTBOUND_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'deferred',
  'sent',
  'partially_sent',
  'delivered',
  'bounced',
  'complained',
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
  /** the SMTP server (or the outbox) accepted the message for every recipient */
  | 'accept'
  /** some recipients accepted it, the others ended bounced, failed or expired */
  | 'partial'
  /** temporary failure (4xx, network, rate limit, expired lease): try again later */
  | 'defer'
  /** the deferral's time came: back in line */
  | 'requeue'
  /** permanent failure of the message, or attempts exhausted */
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

export const outboundMachine = defineMachine<OutboundStatus, OutboundEvent>(
  'OutboundMessage',
  OUTBOUND_STATUSES,
  {
    promote: { from: ['scheduled'], to: 'queued' },
    claim: { from: ['queued'], to: 'sending' },
    accept: { from: ['sending'], to: 'sent' },
    // At the end of an attempt, when the deadline expires the deferred rest, or when a provider
    // reports a bounce for one recipient of a sent message.
    partial: { from: ['sending', 'deferred', 'sent', 'delivered'], to: 'partially_sent' },
    defer: { from: ['sending'], to: 'deferred' },
    requeue: { from: ['deferred'], to: 'queued' },
    fail: { from: ['sending', 'deferred', 'queued'], to: 'failed' },
    expire: { from: ['scheduled', 'queued', 'deferred', 'sending'], to: 'expired' },
    suppress: { from: ['scheduled', 'queued', 'sending', 'deferred'], to: 'suppressed' },
    // A deferred message is waiting in line just like a queued one, so it can be canceled too.
    cancel: { from: ['scheduled', 'queued', 'deferred'], to: 'canceled' },
    // Providers report delivery and bounces out of order; a late bounce still wins over delivered.
    // A 5xx at RCPT for every recipient bounces the message while it is sending: one state for
    // "the receiving side refused it", whoever reported it.
    deliver: { from: ['sent'], to: 'delivered' },
    bounce: { from: ['sending', 'sent', 'delivered', 'partially_sent'], to: 'bounced' },
    complain: { from: ['sent', 'delivered', 'partially_sent'], to: 'complained' },
    // A new attempt series for the recipients that did not get it (the others are left alone).
    retry: { from: ['failed', 'expired', 'bounced', 'partially_sent'], to: 'queued' },
  },
);

/** Still to be (re)sent: what retention and the sweeper leave to the workers. */
export const UNSETTLED_STATUSES: readonly OutboundStatus[] = [
  'scheduled',
  'queued',
  'sending',
  'deferred',
];

export const TERMINAL_STATUSES: readonly OutboundStatus[] = [
  'delivered',
  'bounced',
  'complained',
  'failed',
  'expired',
  'suppressed',
  'canceled',
];

/** Statuses a delivery webhook event type is published for (`message.<status>`). */
export const WEBHOOK_EVENT_TYPES = [
  'message.sent',
  'message.partially_sent',
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
