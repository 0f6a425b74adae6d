/**
 * Correlate, extract, then route: where a person's mail goes, what they wrote, and the handler
 * that takes it.
 *
 * A reply token in a recipient (`reply+<token>@<INBOUND_DOMAIN>`), verified for the From
 * address, names the target; without a token, In-Reply-To/References matching one of our own
 * Message-IDs does, with From among that message's recipients. A token that is present but
 * fails is never routed another way. Either way exactly one registered handler gets the mail.
 *
 * The reply is extracted here, once, with what correlation learned: the sender's names and the
 * bodies of our own messages it answers (docs/reply-extraction.md). Handlers receive it.
 */
import type { Clock } from '../../lib/clock.js';
import type { IgnoreReason } from '../../domain/state/inbound-email.js';
import { findTokenAddresses, threadIds, type TokenAddress } from '../../inbound/correlation.js';
import type { ParsedInbound } from '../../inbound/parse-mail.js';
import {
  decodeReplyToken,
  verifyReplyToken,
  type ReplyTokenKind,
} from '../../inbound/reply-token.js';
import type { ExtractReply, ReplyContext, ReplyResult } from '../../reply/index.js';
import type {
  HandlerRegistry,
  HandlerResult,
  InboundHandler,
  ReplyHints,
  RoutedInbound,
} from './handler-registry.js';
import type { InboundEmailRow, ParentBodies, ThreadLookup, ThreadMatch } from './ports.js';

export interface RoutingDeps {
  registry: HandlerRegistry;
  threads: ThreadLookup;
  parents: ParentBodies;
  extractReply: ExtractReply;
  clock: Clock;
  settings: { inboundDomain: string; tokenSecrets: readonly string[] };
}

/** How the mail was correlated; kept on the row as `correlation`. */
export interface Routing {
  tokens: string[];
  threadIds: string[];
  via?: 'token' | 'thread';
  target?: Record<string, unknown>;
  handler?: string;
}

export interface Refusal {
  status: 'ignored';
  reason: IgnoreReason;
  detail?: string;
}

export interface Decision {
  result: HandlerResult | Refusal;
  routing: Routing;
  reply: ReplyResult;
}

/** The target a token or thread names, and the handler registered for its kind. */
interface Target {
  kind: ReplyTokenKind;
  targetId: string;
  memberId?: string;
  via: 'token' | 'thread';
  handler: InboundHandler;
  /** What `routing.target` records. */
  recorded: Record<string, unknown>;
  /** Our message the correlation found (a thread match, or a `message` token). */
  parentMessageIds: string[];
}

type Correlation = { target: Target } | { refused: Refusal };

const refuse = (reason: IgnoreReason, detail: string): { refused: Refusal } => ({
  refused: { status: 'ignored', reason, detail },
});

/** Envelope recipients first (they survive Bcc and forwarding), then headers that name one. */
function recipientsOf(row: InboundEmailRow, mail: ParsedInbound): string[] {
  return [
    ...row.envelopeTo,
    ...mail.to,
    ...mail.cc,
    ...['delivered-to', 'x-original-to', 'x-forwarded-to', 'envelope-to'].flatMap(
      (h) => mail.headers.get(h) ?? [],
    ),
  ];
}

/** Null for a token that does not decode: it says nothing about why the mail was refused. */
async function correlateToken(
  deps: RoutingDeps,
  token: string,
  from: string,
): Promise<Correlation | null> {
  const decoded = decodeReplyToken(token);
  if (!decoded) return null;
  const handler = deps.registry.handlerFor(decoded.kind);
  if (!handler) return refuse('unroutable', `no_handler_${decoded.kind}`);
  let memberId: string | undefined;
  if (decoded.memberBound) {
    memberId =
      (await handler.resolveMemberId?.({ kind: decoded.kind, id: decoded.id }, from)) ?? undefined;
    if (!memberId) return refuse('unknown_sender', 'not_a_member');
  }
  const verdict = verifyReplyToken(deps.settings.tokenSecrets, token, {
    email: from,
    memberId,
    now: deps.clock.now(),
  });
  if (!verdict.ok) {
    return verdict.reason === 'sender_mismatch' || verdict.reason === 'member_required'
      ? refuse('unknown_sender', 'token_sender_mismatch')
      : refuse('unroutable', `token_${verdict.reason}`);
  }
  const { kind, id } = decoded;
  const parentMessageIds = kind === 'message' ? [id] : [];
  const recorded = { kind, id };
  return {
    target: { kind, targetId: id, memberId, via: 'token', handler, recorded, parentMessageIds },
  };
}

/** The first token that verifies wins; otherwise the last token's reason is the refusal. */
async function correlateByToken(
  deps: RoutingDeps,
  tokens: readonly TokenAddress[],
  from: string,
): Promise<Correlation> {
  let failure = refuse('unroutable', 'token_invalid');
  for (const t of tokens) {
    const found = await correlateToken(deps, t.token, from);
    if (!found) continue;
    if ('target' in found) return found;
    failure = found;
  }
  return failure;
}

/**
 * A reminder is sent in its prompt's thread and names the prompt too, so a reply to either
 * reaches the prompt's handler. Any other message of ours is its own target.
 */
function threadTarget(match: ThreadMatch): { kind: ReplyTokenKind; targetId: string } {
  const promptId =
    typeof match.metadata.promptId === 'string'
      ? match.metadata.promptId
      : typeof match.metadata.prompt_id === 'string'
        ? match.metadata.prompt_id
        : null;
  return (match.kind === 'prompt' || match.kind === 'reminder') && promptId
    ? { kind: 'prompt', targetId: promptId }
    : { kind: 'message', targetId: match.outboundMessageId };
}

async function correlateByThread(
  deps: RoutingDeps,
  ids: readonly string[],
  from: string,
): Promise<Correlation> {
  const match = ids.length > 0 ? await deps.threads.findByMessageIds(ids) : null;
  if (!match) return refuse('unroutable', 'no_token_or_thread');
  if (!match.recipients.some((r) => r.toLowerCase() === from)) {
    return refuse('unknown_sender', 'thread_sender_mismatch');
  }
  const { kind, targetId } = threadTarget(match);
  const handler = deps.registry.handlerFor(kind);
  if (!handler) return refuse('unroutable', `no_handler_${kind}`);
  const recorded = { kind, id: targetId, outboundMessageId: match.outboundMessageId };
  const parentMessageIds = [match.outboundMessageId];
  return { target: { kind, targetId, via: 'thread', handler, recorded, parentMessageIds } };
}

/** The reply as the person wrote it, read with what we know of the sender and the thread. */
async function extract(
  deps: RoutingDeps,
  mail: ParsedInbound,
  target: Target | null,
): Promise<ReplyResult> {
  const from = mail.from?.address ?? null;
  const hints: ReplyHints =
    target && from && target.handler.replyHints
      ? await target.handler.replyHints(
          { kind: target.kind, id: target.targetId, memberId: target.memberId },
          from,
        )
      : {};
  const parentIds = [...(target?.parentMessageIds ?? []), ...(hints.parentMessageIds ?? [])];
  const context: ReplyContext = {
    sender: { name: mail.from?.name || null, address: from, otherNames: hints.senderNames ?? [] },
    parents: parentIds.length > 0 ? await deps.parents.bodiesOf([...new Set(parentIds)]) : [],
  };
  const input = { text: mail.text, html: mail.html, headers: { 'content-type': mail.contentType } };
  return deps.extractReply(input, context);
}

/** Correlates the mail, extracts the reply, then hands both to the target's handler. */
export async function route(
  deps: RoutingDeps,
  row: InboundEmailRow,
  mail: ParsedInbound,
): Promise<Decision> {
  const from = mail.from?.address ?? null;
  const tokens = findTokenAddresses(recipientsOf(row, mail), deps.settings.inboundDomain);
  const routing: Routing = { tokens: tokens.map((t) => t.address), threadIds: [] };
  if (!from) {
    const reply = await extract(deps, mail, null);
    return { result: refuse('unknown_sender', 'no_from').refused, routing, reply };
  }
  if (tokens.length === 0) routing.threadIds = threadIds(mail.inReplyTo, mail.references);
  const found =
    tokens.length > 0
      ? await correlateByToken(deps, tokens, from)
      : await correlateByThread(deps, routing.threadIds, from);
  if ('refused' in found) {
    return { result: found.refused, routing, reply: await extract(deps, mail, null) };
  }
  const { target } = found;
  routing.via = target.via;
  routing.target = target.recorded;
  const reply = await extract(deps, mail, target);
  const message: RoutedInbound = {
    inboundEmailId: row.id,
    from,
    parsed: mail,
    receivedAt: row.receivedAt,
    verdicts: row.verdicts,
    reply,
    kind: target.kind,
    targetId: target.targetId,
    ...(target.memberId ? { memberId: target.memberId } : {}),
    via: target.via,
  };
  const result = await target.handler.handle(message);
  return { result, routing: { ...routing, handler: target.handler.name }, reply };
}
