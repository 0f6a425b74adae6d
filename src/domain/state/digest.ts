/**
 * The Digest lifecycle (one per team per reported local date):
 *
 *   pending → built → sending → sent
 *   pending → skipped_empty            (no entries: nothing is sent, product.md §4E)
 *
 * `built` freezes the content, so every recipient (and a resend) sees the same digest.
 * `resend` (operator CLI `--resend`) sends a sent digest again from its frozen content.
 */
import { defineMachine } from './machine.js';

export const DIGEST_STATUSES = ['pending', 'built', 'sending', 'sent', 'skipped_empty'] as const;
export type DigestStatus = (typeof DIGEST_STATUSES)[number];

export type DigestEvent = 'build' | 'skip_empty' | 'start_sending' | 'finish' | 'resend';

const TABLE: Record<DigestEvent, Partial<Record<DigestStatus, DigestStatus>>> = {
  build: { pending: 'built' },
  skip_empty: { pending: 'skipped_empty' },
  start_sending: { built: 'sending' },
  finish: { sending: 'sent' },
  resend: { sent: 'sending' },
};

const machine = defineMachine<DigestStatus, DigestEvent>('Digest', TABLE);

export function digestTransition(from: DigestStatus, event: DigestEvent): DigestStatus {
  return machine.transition(from, event);
}

/** The statuses an event may start from: the `WHERE status = ANY($from)` list. */
export function digestFromStatuses(event: DigestEvent): DigestStatus[] {
  return machine.fromStatuses(event);
}
