/**
 * Settling a processed InboundEmail: one conditional UPDATE (`complete` or `ignore`), and when
 * the mailbox has work that must commit with it (a webhook delivery, a forward, a `replied`
 * event) that work joins the same transaction, only if the UPDATE won. Person mail that did
 * nothing gets a rejection mail; an auto-reply never does.
 */
import { isNullSender } from '../../domain/inbound/auto-reply.js';
import type { IgnoreReason } from '../../domain/state/inbound-email.js';
import type { ParsedInbound } from '../../inbound/parse-mail.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import type { Commit, RejectionText } from './mailboxes.js';
import type { InboundEmailRepository, InboundEmailRow, SettlePatch } from './ports.js';
import type { RejectionService } from './rejections.js';
import type { Decision } from './routing.js';

export interface SettleDeps {
  db: Database;
  clock: Clock;
  emails: Pick<InboundEmailRepository, 'transition'>;
  rejections: Pick<RejectionService, 'maybeReject'>;
}

export type ProcessOutcome =
  | { status: 'processed' | 'ignored'; reason?: IgnoreReason }
  | { status: 'skipped' }
  | { status: 'failed'; error: string; stack?: string | undefined };

/** What every settled message records about the mail itself, whatever became of it. */
export type MailFacts = Pick<
  SettlePatch,
  'fromAddress' | 'subject' | 'classification' | 'repairedFields'
>;

/** The UPDATE alone, or with the mailbox's work in one transaction. */
async function settle(deps: SettleDeps, id: string, patch: SettlePatch, commit?: Commit) {
  if (!commit) return void (await deps.emails.transition(deps.db, id, patch, deps.clock.now()));
  await deps.db.transaction(async (tx) => {
    if (await deps.emails.transition(tx, id, patch, deps.clock.now())) await commit(tx);
  });
}

export async function ignore(
  deps: SettleDeps,
  id: string,
  patch: Omit<SettlePatch, 'event' | 'reason'> & { reason: IgnoreReason },
  commit?: Commit,
): Promise<ProcessOutcome> {
  await settle(deps, id, { ...patch, event: 'ignore' }, commit);
  return { status: 'ignored', reason: patch.reason };
}

/** Tells the sender why their mail did nothing, unless it came from a robot (null sender). */
async function rejectToSender(
  deps: SettleDeps,
  row: InboundEmailRow,
  mail: ParsedInbound,
  reason: IgnoreReason,
  text: RejectionText | undefined,
): Promise<void> {
  const nullSender = isNullSender({ headers: mail.headers, envelopeFrom: row.envelopeFrom });
  if (nullSender || !mail.from) return;
  await deps.rejections.maybeReject({
    inboundEmailId: row.id,
    to: mail.from.address,
    reason,
    subject: mail.subject,
    messageId: mail.messageId,
    ...(text ? { text } : {}),
  });
}

/** Settles person mail with what its mailbox made of it (or why none took it). */
export async function settleRouted(
  deps: SettleDeps,
  row: InboundEmailRow,
  mail: ParsedInbound,
  facts: MailFacts,
  { result, routing, reply, threadMessageId }: Decision,
): Promise<ProcessOutcome> {
  const thread = { threadMessageId: threadMessageId ?? null };
  if (result.status === 'processed') {
    const routedTo = result.routedTo ?? routing.target ?? null;
    const patch = { ...facts, ...thread, event: 'complete' as const, routedTo, reply };
    await settle(deps, row.id, { ...patch, correlation: routing }, result.commit);
    return { status: 'processed' };
  }
  const outcome = await ignore(deps, row.id, {
    ...facts,
    ...thread,
    reason: result.reason,
    reasonDetail: result.detail,
    correlation: routing,
    reply,
  });
  const text = 'rejection' in result ? result.rejection : undefined;
  await rejectToSender(deps, row, mail, result.reason, text);
  return outcome;
}

/**
 * An auto-reply stays `ignored` (`auto_reply`) and is never answered; when it answers an app's
 * message or matches an app's webhook route, the mailbox's delivery (classified `auto_reply`)
 * commits with it. It is not a reply to the message: not in GET /v1/messages/:id/replies.
 */
export function settleAutoReply(
  deps: SettleDeps,
  id: string,
  facts: MailFacts,
  { result, routing, reply }: Decision,
): Promise<ProcessOutcome> {
  const delivered = result.status === 'processed' && result.commit ? result : null;
  if (!delivered) return ignore(deps, id, { ...facts, reason: 'auto_reply', correlation: null });
  return ignore(
    deps,
    id,
    {
      ...facts,
      reason: 'auto_reply',
      correlation: routing,
      routedTo: delivered.routedTo ?? null,
      reply,
    },
    delivered.commit,
  );
}
