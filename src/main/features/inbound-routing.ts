/**
 * The inbound router's parts, wired: the mailbox registry with the mailboxes the inbound feature
 * serves itself (route actions `webhook`, `forward`, `store`, `reject`; reply tracking for
 * `message` tokens and threads), the routes (stored in PostgreSQL, cached per process), the
 * signed URLs payloads link to, the dry run, and the in-band reply a webhook answer may carry.
 * Other features register their own mailbox on the registry (check-ins).
 */
import type { InboundConfig } from '../../config/inbound.js';
import {
  createWebhookMailbox,
  rejectMailbox,
  storeMailbox,
} from '../../services/inbound/actions.js';
import { createForwardMailbox } from '../../services/inbound/forward.js';
import { handleInbandReply } from '../../services/inbound/inband-reply.js';
import {
  createMailboxRegistry,
  genericMailbox,
  type MailboxRegistry,
} from '../../services/inbound/mailboxes.js';
import { createMessageRepliesMailbox } from '../../services/inbound/message-replies.js';
import { INBOUND_RECEIVED } from '../../services/inbound/payload.js';
import type { ThreadLookup } from '../../services/inbound/ports.js';
import { testRoute } from '../../services/inbound/route-test.js';
import { createRouteService, type RouteService } from '../../services/inbound/routes.js';
import { createInboundUrls, type InboundUrls } from '../../services/inbound/signed-urls.js';
import type { Database, OutboundPort, WebhookPort } from '../../services/ports.js';
import { repositories } from '../../storage/index.js';
import type { FeatureContext } from '../feature.js';

export interface InboundRouting {
  registry: MailboxRegistry;
  routes: RouteService;
  urls: InboundUrls;
  threads: ThreadLookup;
  test(body: unknown): ReturnType<typeof testRoute>;
}

/** Our outbound messages as replies see them, through the outbound repository. */
export function threadLookup(db: Database): ThreadLookup {
  const r = repositories.outboundMessages;
  return {
    findByMessageIds: (ids) => r.findThreadByMessageIds(db, ids),
    findById: (id) => r.findThreadById(db, id),
    recordReply: (tx, messageId, inboundEmailId, at) =>
      r.recordReply(tx, messageId, inboundEmailId, at),
  };
}

/** The route actions and reply tracking need the outbound engine and its webhooks. */
function registerOwnMailboxes(
  ctx: FeatureContext,
  c: InboundConfig,
  parts: Pick<InboundRouting, 'registry' | 'urls' | 'threads'>,
  outbound: OutboundPort | null,
  webhooks: WebhookPort | undefined,
): void {
  const { registry, urls, threads } = parts;
  registry.registerMailbox(storeMailbox, { actions: ['store'] });
  registry.registerMailbox(rejectMailbox, { actions: ['reject'] });
  if (outbound)
    registry.registerMailbox(createForwardMailbox({ outbound }), { actions: ['forward'] });
  if (!webhooks) return;
  const settings = { payloadMaxBytes: c.webhook.maxPayloadBytes };
  const shared = { clock: ctx.clock, webhooks, urls, settings };
  registry.registerMailbox(createWebhookMailbox(shared), { actions: ['webhook'] });
  registry.registerMailbox(createMessageRepliesMailbox({ ...shared, threads }), {
    tokenKinds: ['message'],
  });
  if (outbound) {
    const log = ctx.log.child({ feature: 'inbound' });
    const replyTracking = !!c.domain;
    webhooks.onResponse(INBOUND_RECEIVED, (d, body) =>
      handleInbandReply({ outbound, log, settings: { replyTracking } }, d, body),
    );
  }
}

export function inboundRouting(
  ctx: FeatureContext,
  tokenSecrets: readonly string[],
  outbound: OutboundPort | null,
  webhooks: WebhookPort | undefined,
): InboundRouting {
  const c = ctx.config.inbound;
  const registry = createMailboxRegistry(genericMailbox);
  const urls = createInboundUrls({
    publicUrl: ctx.config.http.publicUrl,
    secrets: tokenSecrets,
    ttlSeconds: c.webhook.urlTtlSeconds,
  });
  const threads = threadLookup(ctx.db);
  registerOwnMailboxes(ctx, c, { registry, urls, threads }, outbound, webhooks);
  const routes = createRouteService({
    db: ctx.db,
    clock: ctx.clock,
    routes: repositories.inboundRoutes,
    targets: {
      ...(webhooks
        ? {
            createEndpoint: (url: string) => webhooks.createEndpoint({ url, events: [] }),
            endpointExists: (id: string) => webhooks.endpointExists(id),
          }
        : {}),
      mailboxFor: (type) => registry.forAction(type),
    },
    settings: { inboundDomain: c.domain },
  });
  const test = (body: unknown) =>
    testRoute({ registry, threads, routes, settings: { inboundDomain: c.domain } }, body);
  return { registry, routes, urls, threads, test };
}
