/**
 * The mailboxes behind the route actions the inbound feature serves itself:
 * - `webhook`: the normalised `inbound.received` payload to the route's endpoint, queued in the
 *   transaction that settles the message (webhook engine: signed, retried, attempt log).
 * - `forward`: re-sent through our outbound engine (forward.ts).
 * - `store`: kept and shown, nothing else.
 * - `reject`: a rejection mail from the route's template, rate-limited as every rejection is.
 * (`checkins` is the check-in feature's mailbox.)
 */
import type { InboundRoute } from '../../domain/inbound/route.js';
import { compileTemplate, renderTemplate } from '../../templates/user-template.js';
import type { Clock } from '../../lib/clock.js';
import type { WebhookPort } from '../ports.js';
import { simpleMailbox, type Mailbox, type RoutedInbound } from './mailboxes.js';
import { attachmentFacts, inboundPayload, INBOUND_RECEIVED } from './payload.js';
import { BUILT_IN_DEFAULT } from './routes.js';
import type { InboundUrls } from './signed-urls.js';

export interface ActionDeps {
  clock: Clock;
  webhooks: Pick<WebhookPort, 'enqueueEvent'>;
  urls: InboundUrls;
  settings: { payloadMaxBytes: number };
}

/** The route a `route` target names (the router only sends route targets here). */
export function routeOf(m: RoutedInbound): InboundRoute {
  if (m.target.kind !== 'route') throw new Error(`${m.kind} target sent to a route action`);
  return m.target.route;
}

const routeRef = (r: InboundRoute) => ({ id: r.id, name: r.name });

export const storeMailbox: Mailbox = simpleMailbox('store', async (m) => ({
  status: 'processed',
  routedTo: { action: 'store', route: routeRef(routeOf(m)) },
}));

/** Renders a route's reject template with what the sender wrote to; null for the default text. */
function rejectionText(route: InboundRoute, m: RoutedInbound) {
  const a = route.action;
  if (a.type !== 'reject' || (a.subject === undefined && a.message === undefined)) return null;
  const data = {
    subject: m.parsed.subject,
    from: m.from,
    recipient: m.email.envelopeTo[0] ?? m.parsed.to[0] ?? '',
  };
  const compiled = compileTemplate({
    subject: a.subject ?? 'Your email was not accepted',
    html: null,
    text: a.message ?? 'Your email reached us, but this address does not accept mail.',
  });
  const out = renderTemplate(compiled, data);
  return { subject: out.subject, body: out.text ?? '', key: `route:${route.id}` };
}

/**
 * Mail no route matched is `unroutable` (as before routes existed); a route that rejects on
 * purpose makes it `rejected`. Either way the sender gets at most one rejection per 24 h.
 */
export const rejectMailbox: Mailbox = simpleMailbox('reject', async (m) => {
  const route = routeOf(m);
  if (route.id === BUILT_IN_DEFAULT.id) {
    return { status: 'ignored', reason: 'unroutable', detail: 'no_token_or_thread' };
  }
  const text = rejectionText(route, m);
  return {
    status: 'ignored',
    reason: route.isDefault ? 'unroutable' : 'rejected',
    detail: route.isDefault ? 'default_route' : `route:${route.name}`.slice(0, 200),
    ...(text ? { rejection: text } : {}),
  };
});

export function createWebhookMailbox(deps: ActionDeps): Mailbox {
  const mailbox = simpleMailbox('webhook', async (m) => {
    const route = routeOf(m);
    if (route.action.type !== 'webhook') throw new Error('not a webhook route');
    const endpointId = route.action.endpoint_id;
    const now = deps.clock.now();
    const { payload, thin } = inboundPayload(
      {
        email: m.email,
        mail: m.parsed,
        reply: m.reply,
        classification: m.classification,
        attachments: attachmentFacts(m.parsed),
        thread: null,
        route: routeRef(route),
      },
      deps.urls,
      now,
      deps.settings.payloadMaxBytes,
    );
    return {
      status: 'processed',
      routedTo: { action: 'webhook', route: routeRef(route), endpoint_id: endpointId, thin },
      commit: async (tx) => {
        await deps.webhooks.enqueueEvent(tx, {
          eventType: INBOUND_RECEIVED,
          payload,
          endpointIds: [endpointId],
          subscribers: false,
          inboundEmailId: m.inboundEmailId,
        });
      },
    };
  });
  return { ...mailbox, takesAutoReplies: true };
}
