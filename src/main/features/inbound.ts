/**
 * Wires the inbound engine: provider webhooks → receive (one transaction) → `inbound.process`
 * → parse, classify, route to a registered handler. Later features (check-ins) register their
 * handlers on `services.registerHandler`; until then the generic handler records the reply.
 */
import type { RequestHandler } from 'express';
import type { InboundConfig } from '../../config/inbound.js';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import { createReplyToken, type ReplyTokenClaims } from '../../inbound/reply-token.js';
import { extractReply } from '../../reply/index.js';
import { createS3Fetcher } from '../../inbound/providers/s3-fetch.js';
import { httpsCertFetcher, SnsVerifier, type CertFetcher } from '../../inbound/providers/sns.js';
import { createEventWebhookRouter } from '../../http/routes/inbound/events.js';
import { createInboundApiRouter } from '../../http/routes/inbound/api.js';
import type { InboundHttpDeps } from '../../http/routes/inbound/deps.js';
import { createInboundWebhookRouter } from '../../http/routes/inbound/webhooks.js';
import { processQueue, retentionQueue, snsConfirmQueue } from '../../jobs/inbound/queues.js';
import {
  createDeliveryEventsService,
  type DeliveryEventsService,
} from '../../services/inbound/delivery-events.js';
import { createInboundEmailsService } from '../../services/inbound/emails.js';
import { createGenericHandler } from '../../services/inbound/generic-handler.js';
import {
  createHandlerRegistry,
  type HandlerRegistry,
  type InboundHandler,
} from '../../services/inbound/handler-registry.js';
import { RETENTION_QUEUE, SNS_CONFIRM_QUEUE } from '../../services/inbound/job-payloads.js';
import type { S3ObjectFetcher } from '../../services/inbound/ports.js';
import type { OutboundPort } from '../../services/ports.js';
import type { ExtractReply } from '../../reply/index.js';
import { createProcessService, type ProcessService } from '../../services/inbound/process.js';
import { createReceiveService, type ReceiveService } from '../../services/inbound/receive.js';
import { createRejectionService } from '../../services/inbound/rejections.js';
import { createRetentionService, type RetentionService } from '../../services/inbound/retention.js';
import {
  createSnsConfirmService,
  safeSnsGet,
  type SnsHttpGet,
} from '../../services/inbound/sns-confirm.js';
import { repositories } from '../../storage/index.js';
import type { Feature, FeatureContext } from '../feature.js';

export interface InboundDeps {
  /** The outbound feature's services (recordDeliveryEvent, sendMessage); null until it is wired. */
  outbound: OutboundPort | null;
  /** Replaces issue 6's extractReply (tests). */
  extractReply?: ExtractReply;
  /** API-key middleware factory (issue 4); without it the /v1/inbound routes answer 401. */
  apiKeyAuth?: (scope: 'read') => RequestHandler;
  /** Tests inject these instead of reaching AWS. */
  fetchCert?: CertFetcher;
  snsGet?: SnsHttpGet;
  fetchS3?: S3ObjectFetcher;
}

export interface InboundServices {
  registerHandler(kind: 'prompt' | 'message' | 'team', handler: InboundHandler): void;
  receive: ReceiveService;
  process: ProcessService;
  retention: RetentionService;
  /** Secrets reply tokens verify against (the first one mints). */
  tokenSecrets: readonly string[];
  inboundDomain: string | undefined;
  /** `reply+<token>@<INBOUND_DOMAIN>` (or `team+…`) for the given claims. */
  replyAddress(claims: ReplyTokenClaims): string;
  reprocess(id: string): Promise<void>;
}

export interface InboundFeature extends Feature {
  services: InboundServices;
}

/** Without the outbound engine: events are stored unmatched and no rejection mail goes out. */
const noOutbound: OutboundPort = {
  recordDeliveryEvent: async () => ({ found: false }),
  sendMessage: async () => {
    throw new Error('the outbound engine is not wired');
  },
};

const noApiKeys: RequestHandler = () => {
  throw new UnauthorizedError('api_key_required', 'API keys are not available in this build');
};

const {
  inboundEmails,
  webhookNonces,
  providerEvents,
  unmappedProviderEvents,
  inboundRejectionLimits,
} = repositories;

/** What the builders below share. */
interface Wiring {
  ctx: FeatureContext;
  c: InboundConfig;
  log: FeatureContext['log'];
  outbound: OutboundPort;
  tokenSecrets: readonly string[];
}

function deliveryEvents({ ctx, log, outbound }: Wiring): DeliveryEventsService {
  return createDeliveryEventsService({
    db: ctx.db,
    nonces: webhookNonces,
    providerEvents,
    unmappedEvents: unmappedProviderEvents,
    sink: outbound,
    clock: ctx.clock,
    log,
  });
}

/** parse → classify → route, with rejection mail for what no handler took. */
function processing(
  w: Wiring,
  deps: InboundDeps,
  registry: HandlerRegistry,
  events: DeliveryEventsService,
): ProcessService {
  const { ctx, c, log } = w;
  const { db, clock } = ctx;
  const rejections = createRejectionService({
    db,
    emails: inboundEmails,
    limits: inboundRejectionLimits,
    mailer: w.outbound,
    clock,
    log,
    settings: {
      enabled: c.rejection.enabled,
      inboundDomain: c.domain ?? '',
      from: c.rejection.from,
    },
  });
  return createProcessService({
    db,
    emails: inboundEmails,
    registry,
    events,
    rejections,
    threads: {
      findByMessageIds: (ids) => repositories.outboundMessages.findThreadByMessageIds(db, ids),
    },
    parents: { bodiesOf: (ids) => repositories.outboundMessages.findBodies(db, ids) },
    queue: ctx.queue,
    extractReply: deps.extractReply ?? extractReply,
    clock,
    log,
    settings: { inboundDomain: c.domain ?? '', tokenSecrets: w.tokenSecrets },
  });
}

function retentionService({ ctx, c }: Wiring): RetentionService {
  return createRetentionService({
    db: ctx.db,
    emails: inboundEmails,
    nonces: webhookNonces,
    unmappedEvents: unmappedProviderEvents,
    clock: ctx.clock,
    settings: {
      processedDays: c.retention.processedDays,
      ignoredDays: c.retention.ignoredDays,
      nonceDays: 8,
    },
  });
}

/** The webhook endpoints' needs: SNS verification only when SES topics are configured. */
function httpDeps(
  { ctx, c, log }: Wiring,
  deps: InboundDeps,
  receive: ReceiveService,
  events: DeliveryEventsService,
): InboundHttpDeps {
  const { queue, clock } = ctx;
  const sns =
    c.ses.topicArns.length > 0
      ? new SnsVerifier({
          topicArns: c.ses.topicArns,
          fetchCert: deps.fetchCert ?? httpsCertFetcher(),
          clock,
          maxAgeSeconds: c.ses.maxAgeSeconds,
        })
      : null;
  return {
    settings: c,
    receive,
    events,
    sns,
    confirmSubscription: async (p) => {
      await queue.send(SNS_CONFIRM_QUEUE, {
        topicArn: p.topicArn,
        subscribeUrl: p.subscribeUrl,
        messageId: p.messageId,
      });
    },
    fetchS3:
      deps.fetchS3 ??
      (c.ses.s3 ? createS3Fetcher({ ...c.ses.s3, maxBytes: c.maxBytes.ses }) : null),
    clock,
    log,
  };
}

function replyAddressFor(w: Wiring) {
  return (claims: ReplyTokenClaims): string => {
    const domain = w.c.domain;
    if (!domain) throw new ForbiddenError('inbound_domain_unset', 'INBOUND_DOMAIN is not set');
    const prefix = claims.kind === 'team' ? 'team' : 'reply';
    return `${prefix}+${createReplyToken(w.tokenSecrets[0]!, claims)}@${domain}`;
  };
}

export function createInboundFeature(ctx: FeatureContext, deps: InboundDeps): InboundFeature {
  const c = ctx.config.inbound;
  const w: Wiring = {
    ctx,
    c,
    log: ctx.log.child({ feature: 'inbound' }),
    outbound: deps.outbound ?? noOutbound,
    tokenSecrets: [ctx.secretKey, ...c.previousTokenSecrets],
  };
  const registry = createHandlerRegistry(createGenericHandler());
  const events = deliveryEvents(w);
  const receive = createReceiveService({
    db: ctx.db,
    emails: inboundEmails,
    queue: ctx.queue,
    clock: ctx.clock,
  });
  const process = processing(w, deps, registry, events);
  const retention = retentionService(w);
  const snsConfirm = createSnsConfirmService({
    topicArns: c.ses.topicArns,
    get: deps.snsGet ?? safeSnsGet,
    log: w.log,
  });
  const http = httpDeps(w, deps, receive, events);
  const emails = createInboundEmailsService({ db: ctx.db, emails: inboundEmails });

  return {
    name: 'inbound',
    services: {
      registerHandler: (kind, handler) => registry.registerHandler(kind, handler),
      receive,
      process,
      retention,
      tokenSecrets: w.tokenSecrets,
      inboundDomain: c.domain,
      replyAddress: replyAddressFor(w),
      reprocess: async (id) => {
        await process.reprocess({ ids: [id] });
      },
    },
    queues: [
      processQueue(process, c.processRetries),
      snsConfirmQueue(snsConfirm),
      retentionQueue(retention),
    ],
    schedules: [{ name: RETENTION_QUEUE, cron: '17 3 * * *', data: {} }],
    mount(app) {
      app.use(createInboundWebhookRouter(http));
      app.use(createEventWebhookRouter(http));
      app.use(
        createInboundApiRouter({ emails, authenticate: deps.apiKeyAuth?.('read') ?? noApiKeys }),
      );
    },
  };
}
