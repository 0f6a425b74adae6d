/**
 * The InboundEmail lifecycle: received → processing → processed | ignored(reason) | failed.
 *
 * `failed` is retried by the queue (back to processing) until the job gives up; `reprocess`
 * moves any settled message back to `received`. Storage persists a transition with
 * `UPDATE … SET status=$next WHERE id=$id AND status=$expected`, so a concurrent worker loses.
 */

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
] as const;
export type IgnoreReason = (typeof IGNORE_REASONS)[number];

export type InboundEvent =
  | { type: 'start' }
  | { type: 'complete' }
  | { type: 'ignore'; reason: IgnoreReason }
  | { type: 'fail'; error: string }
  | { type: 'reprocess' };

const NEXT: Record<InboundEvent['type'], { from: readonly InboundStatus[]; to: InboundStatus }> = {
  // `failed` → processing is the queue's retry; `processing` → processing is a job that died
  // mid-flight (worker crash, expired lock) and was handed out again.
  start: { from: ['received', 'failed', 'processing'], to: 'processing' },
  complete: { from: ['processing'], to: 'processed' },
  ignore: { from: ['processing'], to: 'ignored' },
  fail: { from: ['processing'], to: 'failed' },
  reprocess: { from: ['processed', 'ignored', 'failed'], to: 'received' },
};

export type TransitionResult =
  | { ok: true; from: readonly InboundStatus[]; to: InboundStatus }
  | { ok: false; error: 'invalid_transition'; from: InboundStatus; event: InboundEvent['type'] };

export function transitionInbound(current: InboundStatus, event: InboundEvent): TransitionResult {
  const rule = NEXT[event.type];
  if (!rule.from.includes(current)) {
    return { ok: false, error: 'invalid_transition', from: current, event: event.type };
  }
  return { ok: true, from: rule.from, to: rule.to };
}

/** The statuses a given event may start from; storage puts them in the WHERE clause. */
export function allowedFrom(event: InboundEvent['type']): readonly InboundStatus[] {
  return NEXT[event].from;
}

export function isSettled(status: InboundStatus): boolean {
  return status === 'processed' || status === 'ignored';
}
