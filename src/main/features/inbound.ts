/**
 * Wires the inbound engine: provider webhooks → receive (one transaction) → `inbound.process`
 * → parse, classify, store attachments, route to a mailbox (inbound-routing.ts). Later features
 * (check-ins) register their mailbox on `services.registerMailbox`; token kinds nobody claimed
 * go to the generic mailbox, which records the reply.
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
import { createAttachmentService } from '../../services/inbound/attachments.js';
import {
  createInboundEmailsService,
  type InboundEmailsService,
} from '../../services/inbound/emails.js';
import type { Mailbox, MailboxClaims } from '../../services/inbound/mailboxes.js';
import type { RouteService } from '../../services/inbound/routes.js';
import { routesRouter } from '../../http/routes/inbound/routes.js';
import { openApi } from '../../http/openapi/registry.js';
import { RETENTION_QUEUE, SNS_CONFIRM_QUEUE } from '../../services/inbound/job-payloads.js';
import type { S3ObjectFetcher } from '../../services/inbound/ports.js';
import type { OutboundPort, WebhookPort } from '../../services/ports.js';
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
import { countInboundRejections } from '../../http/middleware/metrics.js';
import { instrumentExtractReply, instrumentReceive } from '../../services/inbound/instrumented.js';
import { noTelemetry } from '../../services/telemetry.js';
import type { Feature, FeatureContext } from '../feature.js';
import { inboundRouting, type InboundRouting } from './inbound-routing.js';

export interface InboundDeps {
  /** The outbound feature's services (recordDeliveryEvent, sendMessage); null until it is wired. */
  outbound: OutboundPort | null;
  /** Replaces issue 6's extractReply (tests). */
  extractReply?: ExtractReply;
  /** The outbound webhook engine: `inbound.received` deliveries and in-band replies. */
  webhooks?: WebhookPort;
  /** API-key middleware factory (issue 4); without it the /v1/inbound routes answer 401. */
  apiKeyAuth?: (scope: 'read' | 'send' | 'admin') => RequestHandler;
  /** Tests inject these instead of reaching AWS. */
  fetchCert?: CertFetcher;
  snsGet?: SnsHttpGet;
  fetchS3?: S3ObjectFetcher;
}

export interface InboundServices {
  registerMailbox(mailbox: Mailbox, claims: MailboxClaims): void;
  routes: RouteService;
  /** POST /v1/routes/test's dry run. */
  testRoute: InboundRouting['test'];
  /** The read API's service (GET /v1/inbound…, attachments, payloads, replies). */
  emails: InboundEmailsService;
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
  inboundAttachments,
} = repositories;

/** What the builders below share. */
interface Wiring {
  ctx: FeatureContext;
  c: InboundConfig;
  log: FeatureContext['log'];
  outbound: OutboundPort;
  tokenSecrets: readonly string[];
  telemetry: NonNullable<FeatureContext['telemetry']>;
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

/** parse → classify → route, with rejection mail for what no mailbox took. */
function processing(
  w: Wiring,
  deps: InboundDeps,
  routing: InboundRouting,
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
    registry: routing.registry,
    routes: routing.routes,
    attachments: createAttachmentService({ db, clock, attachments: inboundAttachments }),
    events,
    rejections,
    threads: routing.threads,
    parents: { bodiesOf: (ids) => repositories.outboundMessages.findBodies(db, ids) },
    queue: ctx.queue,
    extractReply: instrumentExtractReply(deps.extractReply ?? extractReply, w.telemetry),
    clock,
    log,
    settings: { inboundDomain: c.domain ?? '', tokenSecrets: w.tokenSecrets },
    telemetry: w.telemetry,
  });
}

function retentionService({ ctx, c }: Wiring): RetentionService {
  return createRetentionService({
    db: ctx.db,
    emails: inboundEmails,
    nonces: webhookNonces,
    providerEvents,
    unmappedEvents: unmappedProviderEvents,
    attachments: inboundAttachments,
    clock: ctx.clock,
    // Nonces outlive every provider's retry window (8 days); the rest is configured.
    settings: { ...c.retention, nonceDays: 8 },
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
    telemetry: ctx.telemetry ?? noTelemetry,
  };
  const routing = inboundRouting(ctx, w.tokenSecrets, deps.outbound, deps.webhooks);
  const events = deliveryEvents(w);
  const receive = instrumentReceive(
    createReceiveService({ db: ctx.db, emails: inboundEmails, queue: ctx.queue, clock: ctx.clock }),
    w.telemetry,
  );
  const process = processing(w, deps, routing, events);
  const retention = retentionService(w);
  const snsConfirm = createSnsConfirmService({
    topicArns: c.ses.topicArns,
    get: deps.snsGet ?? safeSnsGet,
    log: w.log,
  });
  const http = httpDeps(w, deps, receive, events);
  const emails = createInboundEmailsService({
    db: ctx.db,
    clock: ctx.clock,
    emails: inboundEmails,
    attachments: inboundAttachments,
    threads: routing.threads,
    urls: routing.urls,
  });

  return {
    name: 'inbound',
    services: {
      registerMailbox: (mailbox, claims) => routing.registry.registerMailbox(mailbox, claims),
      routes: routing.routes,
      testRoute: routing.test,
      emails,
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
      const requireScope = deps.apiKeyAuth ?? (() => noApiKeys);
      app.use('/inbound', countInboundRejections(w.telemetry));
      app.use(createInboundWebhookRouter(http));
      app.use(createEventWebhookRouter(http));
      app.use(createInboundApiRouter({ emails, authenticate: requireScope('read') }));
      app.use(routesRouter({ routes: routing.routes, test: routing.test }, requireScope, openApi));
    },
  };
}
