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
import { defineMachine } from './machine.js';

export const OUTBOUND_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'deferred',
  'sent',
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

export const outboundMachine = defineMachine<OutboundStatus, OutboundEvent>(
  'OutboundMessage',
  OUTBOUND_STATUSES,
  {
    promote: { from: ['scheduled'], to: 'queued' },
    claim: { from: ['queued'], to: 'sending' },
    accept: { from: ['sending'], to: 'sent' },
    defer: { from: ['sending'], to: 'deferred' },
    requeue: { from: ['deferred'], to: 'queued' },
    fail: { from: ['sending', 'deferred', 'queued'], to: 'failed' },
    expire: { from: ['scheduled', 'queued', 'deferred', 'sending'], to: 'expired' },
    suppress: { from: ['scheduled', 'queued', 'sending', 'deferred'], to: 'suppressed' },
    // A deferred message is waiting in line just like a queued one, so it can be canceled too.
    cancel: { from: ['scheduled', 'queued', 'deferred'], to: 'canceled' },
    // Providers report delivery and bounces out of order; a late bounce still wins over delivered.
    deliver: { from: ['sent'], to: 'delivered' },
    bounce: { from: ['sent', 'delivered'], to: 'bounced' },
    complain: { from: ['sent', 'delivered'], to: 'complained' },
    retry: { from: ['failed', 'expired'], to: 'queued' },
  },
);

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
