/**
 * The router: an ordered list of rules, as in Action Mailbox. The first rule with an answer
 * names the mailbox (mailboxes.ts) and the target in it:
 *
 *   1. reply token   `reply+<token>@INBOUND_DOMAIN` (or `team+`), verified for the From address:
 *                    the feature that minted it, whatever the routes say. A token that is present
 *                    but fails is never routed another way.
 *   2. thread        In-Reply-To/References naming one of our outbound messages, with From among
 *                    its recipients.
 *   3. inbound routes the first enabled route, by priority, whose match holds (route-match.ts).
 *   4. default       the configured default action; without one, today's rejection (`unroutable`).
 *
 * The mailbox is opened once (its lookups serve the member check, the reading hints and the
 * hand-over), the reply is extracted once with what correlation learned, then received.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { safeJson } from '../../lib/safe-text.js';
import type { InboundRoute } from '../../domain/inbound/route.js';
import type { ParsedInbound } from '../../inbound/parse-mail.js';
import { firstMatchingRoute, type MailFacts } from '../../inbound/route-match.js';
import type { ExtractReply, ReplyContext, ReplyResult } from '../../reply/index.js';
import { byThread, byToken, recipientsOf, type Destination, type Refusal } from './correlate.js';
import type { MailboxRegistry, MailboxResult, RoutedInbound } from './mailboxes.js';
import type { InboundEmailRow, ParentBodies, ThreadLookup } from './ports.js';

export type { Refusal } from './correlate.js';

/** The routes as the router reads them: cached, seen by every process within seconds. */
export interface RouteSource {
  current(): Promise<{ routes: readonly InboundRoute[]; fallback: InboundRoute }>;
}

export interface RoutingDeps {
  registry: MailboxRegistry;
  threads: Pick<ThreadLookup, 'findByMessageIds' | 'findById'>;
  parents: ParentBodies;
  routes: RouteSource;
  extractReply: ExtractReply;
  clock: Clock;
  log?: Logger;
  settings: { inboundDomain: string; tokenSecrets: readonly string[] };
}

/** How the mail was correlated; kept on the row as `correlation`. */
export interface Routing {
  tokens: string[];
  threadIds: string[];
  via?: Destination['via'];
  target?: Record<string, unknown>;
  handler?: string;
  route?: { id: string; name: string };
  regex_timed_out?: boolean;
}

export interface Decision {
  result: MailboxResult | Refusal;
  routing: Routing;
  reply: ReplyResult;
  threadMessageId?: string;
}

type Found = { destination: Destination } | { refused: Refusal };

/** Rules 3 and 4: the first matching route, else the default. */
async function byRoute(
  deps: RoutingDeps,
  row: InboundEmailRow,
  mail: ParsedInbound,
  routing: Routing,
): Promise<Found> {
  const { routes, fallback } = await deps.routes.current();
  const facts: MailFacts = {
    recipients: recipientsOf(row, mail),
    sender: mail.from?.address ?? null,
    subject: mail.subject,
    headers: mail.headers,
  };
  const verdict = firstMatchingRoute(routes, facts);
  if (verdict.regexTimedOut) {
    routing.regex_timed_out = true;
    deps.log?.warn(
      { inboundEmailId: row.id },
      'a route regex ran out of time; treated as no match',
    );
  }
  const route = verdict.route ?? fallback;
  const mailbox = deps.registry.forAction(route.action.type);
  if (!mailbox) {
    return {
      refused: {
        status: 'ignored',
        reason: 'unroutable',
        detail: `no_mailbox_${route.action.type}`,
      },
    };
  }
  routing.route = { id: route.id, name: route.name };
  const via = verdict.route ? 'route' : 'default';
  const target = { kind: 'route' as const, id: route.id, route };
  const recorded = { kind: 'route', id: route.id, action: route.action.type };
  return { destination: { mailbox, target, via, recorded, parentMessageIds: [] } };
}

/** The rules in order; a rule answers with a destination or a refusal, or passes (null). */
async function decide(
  deps: RoutingDeps,
  row: InboundEmailRow,
  mail: ParsedInbound,
  from: string,
  routing: Routing,
): Promise<Found> {
  const tokens = await byToken(deps, row, mail, from, routing);
  if (tokens) return tokens;
  const thread = await byThread(deps, mail, from, routing);
  if (thread) return thread;
  return byRoute(deps, row, mail, routing);
}

/** The reply as the person wrote it, read with what we know of the sender and the thread. */
async function extract(
  deps: RoutingDeps,
  mail: ParsedInbound,
  parentIds: readonly string[],
  senderNames: readonly string[],
): Promise<ReplyResult> {
  const context: ReplyContext = {
    sender: {
      name: mail.from?.name || null,
      address: mail.from?.address ?? null,
      otherNames: senderNames,
    },
    parents: parentIds.length > 0 ? await deps.parents.bodiesOf([...new Set(parentIds)]) : [],
  };
  const input = { text: mail.text, html: mail.html, headers: { 'content-type': mail.contentType } };
  // Stored as jsonb, which refuses NUL and lone surrogates that mail may carry.
  return safeJson(await deps.extractReply(input, context));
}

/** Correlates the mail, extracts the reply, then hands both to the destination's mailbox. */
export async function route(
  deps: RoutingDeps,
  row: InboundEmailRow,
  mail: ParsedInbound,
  known: { raw: Buffer; classification: unknown; autoReply?: boolean },
): Promise<Decision> {
  const from = mail.from?.address ?? null;
  const routing: Routing = { tokens: [], threadIds: [] };
  if (!from) {
    const reply = await extract(deps, mail, [], []);
    return {
      result: { status: 'ignored', reason: 'unknown_sender', detail: 'no_from' },
      routing,
      reply,
    };
  }
  const found = await decide(deps, row, mail, from, routing);
  if ('refused' in found) {
    return { result: found.refused, routing, reply: await extract(deps, mail, [], []) };
  }
  const d = found.destination;
  if (known.autoReply && !d.mailbox.takesAutoReplies) {
    return {
      result: { status: 'ignored', reason: 'auto_reply' },
      routing,
      reply: await extract(deps, mail, [], []),
    };
  }
  routing.via = d.via;
  routing.target = d.recorded;
  const opened = d.opened ?? (await d.mailbox.open(d.target, from));
  const hints = opened.hints ?? {};
  const parentIds = [...d.parentMessageIds, ...(hints.parentMessageIds ?? [])];
  const reply = await extract(deps, mail, parentIds, hints.senderNames ?? []);
  const message: RoutedInbound = {
    inboundEmailId: row.id,
    from,
    parsed: mail,
    email: row,
    raw: known.raw,
    classification: known.classification,
    receivedAt: row.receivedAt,
    verdicts: row.verdicts,
    reply,
    kind: d.target.kind,
    targetId: d.target.id,
    target: d.target,
    ...(d.memberId ? { memberId: d.memberId } : {}),
    ...(d.threadMessageId ? { threadMessageId: d.threadMessageId } : {}),
    via: d.via,
  };
  const result = await opened.receive(message);
  return {
    result,
    routing: { ...routing, handler: d.mailbox.name },
    reply,
    ...(d.threadMessageId ? { threadMessageId: d.threadMessageId } : {}),
  };
}
