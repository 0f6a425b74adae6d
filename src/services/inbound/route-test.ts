/**
 * POST /v1/routes/test: which rule a message with these addresses and headers would take, and
 * what would happen, without storing or sending anything. The rules are the router's own, in
 * its order: a reply token for our inbound domain names the feature that minted it; a Message-ID
 * of ours in In-Reply-To/References names the thread; else the first matching route; else the
 * default. A token is decoded, not verified (no mail, no sender check): it shows where a
 * genuine one goes.
 */
import { headerMap } from '../../domain/inbound/headers.js';
import type { InboundRoute } from '../../domain/inbound/route.js';
import { normalizeMessageId } from '../../domain/inbound/dsn.js';
import { findTokenAddresses, threadIds } from '../../inbound/correlation.js';
import { decodeReplyToken } from '../../inbound/reply-token.js';
import { firstMatchingRoute } from '../../inbound/route-match.js';
import { ValidationError } from '../../lib/errors.js';
import { threadTarget } from './correlate.js';
import type { MailboxRegistry } from './mailboxes.js';
import type { ThreadLookup } from './ports.js';
import { refuseUnstorable } from './routes.js';
import type { RouteSource } from './routing.js';
import { routeTestSchema } from './schemas.js';

export interface RouteTestDeps {
  registry: Pick<MailboxRegistry, 'forToken' | 'forAction'>;
  threads: Pick<ThreadLookup, 'findByMessageIds'>;
  routes: RouteSource;
  settings: { inboundDomain: string | undefined };
}

export interface RouteTestResult {
  decision: 'reply_token' | 'thread' | 'route' | 'default';
  mailbox: string | null;
  route: InboundRoute | null;
  token: { kind: string; id: string } | null;
  thread: { message_id: string } | null;
  regexTimedOut: boolean;
}

const ids = (v: readonly string[]) =>
  v.flatMap((x) => x.match(/<[^<>\s]+>/g) ?? []).map(normalizeMessageId);

export async function testRoute(deps: RouteTestDeps, body: unknown): Promise<RouteTestResult> {
  refuseUnstorable(body);
  const r = routeTestSchema.safeParse(body);
  if (!r.success) {
    throw new ValidationError('Invalid route test', {
      issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const input = r.data;
  const none = { token: null, thread: null, regexTimedOut: false, route: null };
  const domain = deps.settings.inboundDomain;
  const token = domain ? findTokenAddresses(input.to, domain)[0] : undefined;
  const decoded = token ? decodeReplyToken(token.token) : null;
  if (decoded) {
    const mailbox = deps.registry.forToken(decoded.kind)?.name ?? null;
    const t = { kind: decoded.kind, id: decoded.id };
    return { ...none, decision: 'reply_token', mailbox, token: t };
  }
  const headers = headerMap(
    Object.entries(input.headers ?? {}).flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((x) => [k, x] as const),
    ),
  );
  const refs = threadIds(
    ids(headers.get('in-reply-to') ?? []),
    ids(headers.get('references') ?? []),
  );
  const match = refs.length > 0 ? await deps.threads.findByMessageIds(refs) : null;
  if (match) {
    const mailbox = deps.registry.forToken(threadTarget(match).kind)?.name ?? null;
    const thread = { message_id: match.outboundMessageId };
    return { ...none, decision: 'thread', mailbox, thread };
  }
  const { routes, fallback } = await deps.routes.current();
  const facts = {
    recipients: input.to,
    sender: input.from ?? null,
    subject: input.subject,
    headers,
  };
  const verdict = firstMatchingRoute(routes, facts);
  const route = verdict.route ?? fallback;
  return {
    ...none,
    decision: verdict.route ? 'route' : 'default',
    mailbox: deps.registry.forAction(route.action.type)?.name ?? null,
    route,
    regexTimedOut: verdict.regexTimedOut,
  };
}
