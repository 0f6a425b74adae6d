/**
 * Rejection mail: tells a person why their message did nothing (unknown sender, empty reply,
 * unroutable address). Sent through the outbound engine with `Auto-Submitted: auto-replied`
 * (RFC 3834) so well-behaved responders do not answer it, at most once per address per reason
 * per 24 h (Discourse's rule), and never to our own inbound domain, null senders, auto-replies
 * or bounces (the process service does not call it for those).
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { IgnoreReason } from '../../domain/state/inbound-email.js';
import type { Database, OutboundPort } from '../ports.js';
import type { InboundEmailRepository, InboundRejectionLimitRepository } from './ports.js';

export interface RejectionDeps {
  db: Database;
  emails: Pick<InboundEmailRepository, 'markRejectionSent'>;
  limits: InboundRejectionLimitRepository;
  mailer: Pick<OutboundPort, 'sendMessage'>;
  clock: Clock;
  log: Logger;
  settings: { enabled: boolean; inboundDomain: string; from?: string };
}

export interface RejectionInput {
  inboundEmailId: string;
  to: string;
  reason: IgnoreReason;
  subject: string;
  messageId: string | null;
  /** A route's own text (its `reject` template) and the key its 24 h limit counts under. */
  text?: { subject: string; body: string; key: string };
}

const TEXT: Partial<Record<IgnoreReason, { subject: string; body: string }>> = {
  unknown_sender: {
    subject: 'We could not accept your email',
    body:
      'Your email reached Postroom, but it came from an address that is not allowed to reply here.\n\n' +
      'Reply from the address the original email was sent to, and it will be recorded.',
  },
  empty: {
    subject: 'Your reply was empty',
    body:
      'Your email reached Postroom, but we found nothing above the quoted text.\n\n' +
      'Write your reply at the top of the email and send it again.',
  },
  rejected: {
    subject: 'Your email was not accepted',
    body: 'Your email reached Postroom, but the address it was sent to does not accept mail.',
  },
  unroutable: {
    subject: 'We could not tell what your email is for',
    body:
      'Your email reached Postroom, but the address it was sent to is not one we recognise, or the link ' +
      'in it has expired.\n\nReply directly to the most recent email you received from us instead.',
  },
};

/** Our own domain and robot mailboxes never get one: that is how mail loops start. */
function isOwnOrRobot(deps: RejectionDeps, to: string): boolean {
  const domain = to.slice(to.lastIndexOf('@') + 1);
  return (
    domain === deps.settings.inboundDomain.toLowerCase() ||
    /^(no-?reply|mailer-daemon|postmaster)@/.test(to)
  );
}

async function send(
  deps: RejectionDeps,
  input: RejectionInput,
  to: string,
  text: { subject: string; body: string },
): Promise<void> {
  await deps.mailer.sendMessage({
    ...(deps.settings.from ? { from: deps.settings.from } : {}),
    to: [to],
    subject: text.subject,
    text: `${text.body}\n\n(Original subject: ${input.subject || '(none)'})\n`,
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    stream: 'transactional',
    kind: 'system',
    ...(input.messageId
      ? { in_reply_to: `<${input.messageId}>`, references: [`<${input.messageId}>`] }
      : {}),
  });
}

async function maybeReject(deps: RejectionDeps, input: RejectionInput): Promise<boolean> {
  const text = input.text ?? TEXT[input.reason];
  if (!deps.settings.enabled || !text) return false;
  const to = input.to.toLowerCase();
  if (isOwnOrRobot(deps, to)) return false;
  const key = input.text?.key ?? input.reason;
  if (!(await deps.limits.claimRejectionSlot(deps.db, to, key, deps.clock.now()))) return false;
  try {
    await send(deps, input, to, text);
    await deps.emails.markRejectionSent(deps.db, input.inboundEmailId, deps.clock.now());
    return true;
  } catch (err) {
    // A lost rejection notice is not worth failing (and re-running) the message for.
    deps.log.warn({ err, inboundEmailId: input.inboundEmailId }, 'rejection mail not sent');
    return false;
  }
}

export function createRejectionService(deps: RejectionDeps) {
  return { maybeReject: (input: RejectionInput) => maybeReject(deps, input) };
}

export type RejectionService = ReturnType<typeof createRejectionService>;
