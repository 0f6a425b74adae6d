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

export const digestMachine = defineMachine<DigestStatus, DigestEvent>('Digest', DIGEST_STATUSES, {
  build: { from: ['pending'], to: 'built' },
  skip_empty: { from: ['pending'], to: 'skipped_empty' },
  start_sending: { from: ['built'], to: 'sending' },
  finish: { from: ['sending'], to: 'sent' },
  resend: { from: ['sent'], to: 'sending' },
});
