/**
 * The InboundEmail lifecycle: received → processing → processed | ignored(reason) | failed.
 *
 * `failed` is retried by the queue (back to processing) until the job gives up; `reprocess`
 * moves any settled message back to `received`. Storage persists a transition with
 * `UPDATE … SET status=$next WHERE id=$id AND status=$expected`, so a concurrent worker loses.
 */
import { defineMachine } from './machine.js';

export const INBOUND_STATUSES = [
  'received',
  'processing',
  'processed',
  'ignored',
  'failed',
] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

export const IGNORE_REASONS = [
  'auto_reply',
  'bounce',
  'duplicate',
  'unknown_sender',
  'empty',
  'unroutable',
  /** An inbound route's `reject` action refused it on purpose. */
  'rejected',
] as const;
export type IgnoreReason = (typeof IGNORE_REASONS)[number];

export type InboundEvent = 'start' | 'complete' | 'ignore' | 'fail' | 'reprocess';

export const inboundMachine = defineMachine<InboundStatus, InboundEvent>(
  'InboundEmail',
  INBOUND_STATUSES,
  {
    // `failed` → processing is the queue's retry; `processing` → processing is a job that died
    // mid-flight (worker crash, expired lock) and was handed out again.
    start: { from: ['received', 'failed', 'processing'], to: 'processing' },
    complete: { from: ['processing'], to: 'processed' },
    ignore: { from: ['processing'], to: 'ignored' },
    fail: { from: ['processing'], to: 'failed' },
    reprocess: { from: ['processed', 'ignored', 'failed'], to: 'received' },
  },
);

export function isSettled(status: InboundStatus): boolean {
  return status === 'processed' || status === 'ignored';
}
