/**
 * The RecipientDelivery lifecycle: what happened to one recipient of an outbound message, as
 * Postal keeps it per recipient. An SMTP transaction answers each RCPT TO separately, so one
 * message can be accepted for one recipient, deferred (451) for another and bounced (550) for
 * a third; a retry sends only to the recipients still `pending` or `deferred`.
 *
 *   pending → accepted → delivered | bounced | complained     (provider reports)
 *   pending | deferred → deferred                               (4xx: tried again later)
 *   pending | deferred → bounced | failed | expired | suppressed
 *   bounced | failed | expired | suppressed → pending          (a manual retry)
 *
 * Storage applies it like every machine: `UPDATE … WHERE status = ANY(machine.sources(event))`.
 */
import { defineMachine } from './machine.js';

export const RECIPIENT_STATUSES = [
  'pending',
  'deferred',
  'accepted',
  'delivered',
  'bounced',
  'complained',
  'failed',
  'expired',
  'suppressed',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export type RecipientEvent =
  /** the server said 250 to RCPT TO and to the message */
  | 'accept'
  /** a 4xx (or a dropped connection): this recipient is tried again with the message's backoff */
  | 'defer'
  /** a 5xx about this recipient, or a provider's hard bounce */
  | 'bounce'
  /** a permanent reply about the message itself, or attempts exhausted */
  | 'fail'
  /** the retry deadline passed while it was still deferred */
  | 'expire'
  /** on the suppression list when its turn came */
  | 'suppress'
  | 'deliver'
  | 'complain'
  | 'retry';

const OPEN: RecipientStatus[] = ['pending', 'deferred'];

export const recipientMachine = defineMachine<RecipientStatus, RecipientEvent>(
  'RecipientDelivery',
  RECIPIENT_STATUSES,
  {
    accept: { from: OPEN, to: 'accepted' },
    defer: { from: OPEN, to: 'deferred' },
    // A provider may report a bounce after the server accepted (or even after "delivered").
    bounce: { from: [...OPEN, 'accepted', 'delivered'], to: 'bounced' },
    fail: { from: OPEN, to: 'failed' },
    expire: { from: OPEN, to: 'expired' },
    suppress: { from: OPEN, to: 'suppressed' },
    deliver: { from: ['accepted'], to: 'delivered' },
    complain: { from: ['accepted', 'delivered'], to: 'complained' },
    retry: { from: ['bounced', 'failed', 'expired', 'suppressed'], to: 'pending' },
  },
);

/** Still to be sent: the envelope of the next attempt. */
export function isOpen(status: RecipientStatus): boolean {
  return status === 'pending' || status === 'deferred';
}

/** The server took it (and may have reported more since). */
export function wasAccepted(status: RecipientStatus): boolean {
  return status === 'accepted' || status === 'delivered' || status === 'complained';
}
