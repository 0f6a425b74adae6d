/**
 * The router's first two rules: a reply token in a recipient, then a thread match. Both name a
 * target (a prompt, an outbound message, a team) in the mailbox that claimed its kind.
 *
 * Token: verified for the From address (and, for member-bound tokens, the member the mailbox
 * finds for that sender). A token that is present but fails refuses the mail: it is never
 * routed another way. Thread: In-Reply-To/References matching one of our Message-IDs, with From
 * among that message's recipients; no match passes to the routes.
 */
import type { IgnoreReason } from '../../domain/state/inbound-email.js';
import { findTokenAddresses, threadIds, type TokenAddress } from '../../inbound/correlation.js';
import type { ParsedInbound } from '../../inbound/parse-mail.js';
import {
  decodeReplyToken,
  verifyReplyToken,
  type ReplyTokenKind,
} from '../../inbound/reply-token.js';
import type { Clock } from '../../lib/clock.js';
import type { Mailbox, MailboxRegistry, MailboxTarget, OpenedMailbox, Via } from './mailboxes.js';
import type { InboundEmailRow, ThreadLookup, ThreadMatch } from './ports.js';

export interface CorrelateDeps {
  registry: Pick<MailboxRegistry, 'forToken'>;
  threads: Pick<ThreadLookup, 'findByMessageIds' | 'findById'>;
  clock: Clock;
  settings: { inboundDomain: string; tokenSecrets: readonly string[] };
}

export interface Refusal {
  status: 'ignored';
  reason: IgnoreReason;
  detail?: string;
}

/** Where a rule sends the mail. */
export interface Destination {
  mailbox: Mailbox;
  target: MailboxTarget;
  via: Via;
  /** Already opened by the rule (a member-bound token needed its lookup). */
  opened?: OpenedMailbox;
  memberId?: string;
  /** What `routing.target` records. */
  recorded: Record<string, unknown>;
  /** Our messages the correlation found (a thread match, or a `message` token). */
  parentMessageIds: string[];
  /** The outbound message the mail answers, kept on the row for /v1/messages/:id/replies. */
  threadMessageId?: string;
}

type Found = { destination: Destination } | { refused: Refusal };

/** The correlation record each rule fills in. */
interface Recording {
  tokens: string[];
  threadIds: string[];
}

const refuse = (reason: IgnoreReason, detail: string): { refused: Refusal } => ({
  refused: { status: 'ignored', reason, detail },
});

/** Envelope recipients first (they survive Bcc and forwarding), then headers that name one. */
export function recipientsOf(row: InboundEmailRow, mail: ParsedInbound): string[] {
  return [
    ...row.envelopeTo,
    ...mail.to,
    ...mail.cc,
    ...['delivered-to', 'x-original-to', 'x-forwarded-to', 'envelope-to'].flatMap(
      (h) => mail.headers.get(h) ?? [],
    ),
  ];
}

/**
 * A message's reply address is bound to its first recipient; another recipient of the same
 * message who replies to it is accepted when the token verifies for one of the message's
 * recipients (so it is genuine) and the sender is one of them too.
 */
async function verifiedForRecipients(
  deps: CorrelateDeps,
  token: string,
  messageId: string,
  from: string,
): Promise<boolean> {
  const message = await deps.threads.findById(messageId);
  const recipients = (message?.recipients ?? []).map((r) => r.toLowerCase());
  if (!recipients.includes(from)) return false;
  const now = deps.clock.now();
  return recipients.some(
    (email) => verifyReplyToken(deps.settings.tokenSecrets, token, { email, now }).ok,
  );
}

/** Null for a token that does not decode: it says nothing about why the mail was refused. */
async function correlateToken(
  deps: CorrelateDeps,
  token: string,
  from: string,
): Promise<Found | null> {
  const decoded = decodeReplyToken(token);
  if (!decoded) return null;
  const { kind, id } = decoded;
  const mailbox = deps.registry.forToken(kind);
  if (!mailbox) return refuse('unroutable', `no_handler_${kind}`);
  const target = { kind, id };
  const opened = await mailbox.open(target, from);
  const memberId = decoded.memberBound ? (opened.memberId ?? undefined) : undefined;
  if (decoded.memberBound && !memberId) return refuse('unknown_sender', 'not_a_member');
  const verdict = verifyReplyToken(deps.settings.tokenSecrets, token, {
    email: from,
    memberId,
    now: deps.clock.now(),
  });
  const coRecipient =
    !verdict.ok &&
    verdict.reason === 'sender_mismatch' &&
    kind === 'message' &&
    (await verifiedForRecipients(deps, token, id, from));
  if (!verdict.ok && !coRecipient) {
    return verdict.reason === 'sender_mismatch' || verdict.reason === 'member_required'
      ? refuse('unknown_sender', 'token_sender_mismatch')
      : refuse('unroutable', `token_${verdict.reason}`);
  }
  const message = kind === 'message' ? { threadMessageId: id, parentMessageIds: [id] } : null;
  return {
    destination: {
      mailbox,
      target,
      via: 'token',
      opened,
      ...(memberId ? { memberId } : {}),
      recorded: { kind, id },
      parentMessageIds: message?.parentMessageIds ?? [],
      ...(message ? { threadMessageId: id } : {}),
    },
  };
}

/** Rule 1. Null when the mail carries no token; otherwise the first that verifies wins. */
export async function byToken(
  deps: CorrelateDeps,
  row: InboundEmailRow,
  mail: ParsedInbound,
  from: string,
  routing: Recording,
): Promise<Found | null> {
  const tokens: TokenAddress[] = findTokenAddresses(
    recipientsOf(row, mail),
    deps.settings.inboundDomain,
  );
  routing.tokens = tokens.map((t) => t.address);
  if (tokens.length === 0) return null;
  let failure: Found = refuse('unroutable', 'token_invalid');
  for (const t of tokens) {
    const found = await correlateToken(deps, t.token, from);
    if (!found) continue;
    if ('destination' in found) return found;
    failure = found;
  }
  return failure;
}

/**
 * A reminder is sent in its prompt's thread and names the prompt too, so a reply to either
 * reaches the prompt's mailbox. Any other message of ours is its own target.
 */
export function threadTarget(match: ThreadMatch): { kind: ReplyTokenKind; id: string } {
  const promptId =
    typeof match.metadata.promptId === 'string'
      ? match.metadata.promptId
      : typeof match.metadata.prompt_id === 'string'
        ? match.metadata.prompt_id
        : null;
  return (match.kind === 'prompt' || match.kind === 'reminder') && promptId
    ? { kind: 'prompt', id: promptId }
    : { kind: 'message', id: match.outboundMessageId };
}

/** Rule 2. Null when no Message-ID of ours is named: the routes decide. */
export async function byThread(
  deps: CorrelateDeps,
  mail: ParsedInbound,
  from: string,
  routing: Recording,
): Promise<Found | null> {
  routing.threadIds = threadIds(mail.inReplyTo, mail.references);
  const ids = routing.threadIds;
  const match = ids.length > 0 ? await deps.threads.findByMessageIds(ids) : null;
  if (!match) return null;
  if (!match.recipients.some((r) => r.toLowerCase() === from)) {
    return refuse('unknown_sender', 'thread_sender_mismatch');
  }
  const target = threadTarget(match);
  const mailbox = deps.registry.forToken(target.kind);
  if (!mailbox) return refuse('unroutable', `no_handler_${target.kind}`);
  const messageId = match.outboundMessageId;
  return {
    destination: {
      mailbox,
      target,
      via: 'thread',
      recorded: { kind: target.kind, id: target.id, outboundMessageId: messageId },
      parentMessageIds: [messageId],
      threadMessageId: messageId,
    },
  };
}
