/**
 * A message's status derives from its recipients. After an attempt (or a provider's report, or
 * the deadline), the recipients' statuses decide which event the message takes:
 *
 * - some still open (pending or deferred)      → `defer`: tried again, only those
 * - every recipient accepted                    → `accept`  (sent)
 * - some accepted, the others not               → `partial` (partially_sent)
 * - none accepted, every one bounced            → `bounce`
 * - none accepted, every one expired            → `expire`
 * - none accepted, a mix or a permanent failure → `fail`
 * - every one suppressed                        → `suppress`
 *
 * A recipient the suppression list stopped before we ever tried it does not count: the caller
 * asked us not to mail it, so its absence does not make the message partial. Pure.
 */
import type { OutboundEvent } from '../state/outbound-message.js';
import { isOpen, wasAccepted, type RecipientStatus } from '../state/recipient-delivery.js';

export interface RecipientState {
  address: string;
  status: RecipientStatus;
  /** SMTP transactions this recipient was part of. */
  attempts: number;
}

export type MessageVerdict =
  'defer' | 'accept' | 'partial' | 'bounce' | 'expire' | 'fail' | 'suppress';

/** The message's transition (outboundMachine) for a verdict. */
export function verdictEvent(v: MessageVerdict): OutboundEvent {
  return v;
}

/** The recipients that count: all but those suppressed before any attempt. */
function counted(rs: readonly RecipientState[]): RecipientState[] {
  return rs.filter((r) => !(r.status === 'suppressed' && r.attempts === 0));
}

export function messageVerdict(rs: readonly RecipientState[]): MessageVerdict {
  if (rs.some((r) => isOpen(r.status))) return 'defer';
  const tried = counted(rs);
  const missed = tried.filter((r) => !wasAccepted(r.status));
  if (missed.length === 0 && tried.length > 0) return 'accept';
  if (missed.length < tried.length) return 'partial';
  const failures = missed.filter((r) => r.status !== 'suppressed');
  if (failures.length === 0) return 'suppress';
  if (failures.every((r) => r.status === 'bounced')) return 'bounce';
  if (failures.every((r) => r.status === 'expired')) return 'expire';
  return 'fail';
}

/**
 * After a provider's report about a message we already handed over: `deliver` once every
 * recipient that got it is delivered, `partial` when some of them bounced since, `bounce` when
 * none has it any more; null when the message's status stays as it is.
 */
export function reportedVerdict(
  rs: readonly RecipientState[],
): 'deliver' | 'partial' | 'bounce' | null {
  const v = messageVerdict(rs);
  if (v === 'defer') return null;
  if (v === 'partial') return 'partial';
  if (v !== 'accept') return 'bounce';
  const got = counted(rs).filter((r) => wasAccepted(r.status));
  return got.every((r) => r.status === 'delivered') ? 'deliver' : null;
}
