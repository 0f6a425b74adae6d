/**
 * Wires the inbound engine: provider webhooks → receive (one transaction) → `inbound.process`
 * → parse, classify, route to a registered handler. Later features (check-ins) register their
 * handlers on `services.registerHandler`; until then the generic handler records the reply.
 */
import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../lib/errors.js';
import { createReplyToken, type ReplyTokenClaims } from '../../inbound/reply-token.js';
import { extractReply } from '../../reply/index.js';
import { createS3Fetcher } from '../../inbound/providers/s3-fetch.js';
import { httpsCertFetcher, SnsVerifier, type CertFetcher } from '../../inbound/providers/sns.js';
import { createEventWebhookRouter } from '../../http/routes/inbound/events.js';
import { createInboundApiRouter } from '../../http/routes/inbound/api.js';
import { createInboundWebhookRouter } from '../../http/routes/inbound/webhooks.js';
import { processQueue, retentionQueue, snsConfirmQueue } from '../../jobs/inbound/queues.js';
import { createDeliveryEventsService } from '../../services/inbound/delivery-events-service.js';
import { createGenericHandler } from '../../services/inbound/generic-handler.js';
import {
  createHandlerRegistry,
  type InboundHandler,
} from '../../services/inbound/handler-registry.js';
import { RETENTION_QUEUE, SNS_CONFIRM_QUEUE } from '../../services/inbound/job-payloads.js';
import type { InboundStore, S3ObjectFetcher } from '../../services/inbound/ports.js';
import type { OutboundPort } from '../../services/ports.js';
import type { ExtractReply } from '../../reply/index.js';
import {
  createProcessService,
  type ProcessService,
} from '../../services/inbound/process-service.js';
import {
  createReceiveService,
  type ReceiveService,
} from '../../services/inbound/receive-service.js';
import { createRejectionService } from '../../services/inbound/rejection-service.js';
import {
  createRetentionService,
  type RetentionService,
} from '../../services/inbound/retention-service.js';
import {
  createSnsConfirmService,
  safeSnsGet,
  type SnsHttpGet,
} from '../../services/inbound/sns-confirm-service.js';
import { createInboundStore } from '../../storage/inbound/inbound-emails-sql.js';
import { findThreadByMessageIds } from '../../storage/repositories/outbound-messages/index.js';
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
  store: InboundStore;
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

export function createInboundFeature(ctx: FeatureContext, deps: InboundDeps): InboundFeature {
  const { config, db, queue, clock } = ctx;
  const c = config.inbound;
  const log = ctx.log.child({ feature: 'inbound' });
  const store = createInboundStore(db);
  const tokenSecrets = [ctx.secretKey, ...c.previousTokenSecrets];
  const registry = createHandlerRegistry(createGenericHandler());
  const outbound = deps.outbound ?? noOutbound;
  const events = createDeliveryEventsService({ store, sink: outbound, clock, log });
  const rejections = createRejectionService({
    store,
    mailer: outbound,
    clock,
    log,
    settings: {
      enabled: c.rejection.enabled,
      inboundDomain: c.domain ?? '',
      from: c.rejection.from,
    },
  });
  const receive = createReceiveService({ db, store, queue, clock });
  const process = createProcessService({
    store,
    registry,
    events,
    rejections,
    threads: { findByMessageIds: (ids) => findThreadByMessageIds(db, ids) },
    queue,
    extractReply: deps.extractReply ?? extractReply,
    clock,
    log,
    settings: { inboundDomain: c.domain ?? '', tokenSecrets },
  });
  const retention = createRetentionService({
    store,
    clock,
    settings: {
      processedDays: c.retention.processedDays,
      ignoredDays: c.retention.ignoredDays,
      nonceDays: 8,
    },
  });
  const snsConfirm = createSnsConfirmService({
    topicArns: c.ses.topicArns,
    get: deps.snsGet ?? safeSnsGet,
    log,
  });
  const sns =
    c.ses.topicArns.length > 0
      ? new SnsVerifier({
          topicArns: c.ses.topicArns,
          fetchCert: deps.fetchCert ?? httpsCertFetcher(),
          clock,
          maxAgeSeconds: c.ses.maxAgeSeconds,
        })
      : null;

  const httpDeps = {
    settings: c,
    receive,
    events,
    sns,
    confirmSubscription: async (p: {
      topicArn: string;
      subscribeUrl: string;
      messageId: string;
    }) => {
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

  const services: InboundServices = {
    registerHandler: (kind, handler) => registry.registerHandler(kind, handler),
    receive,
    process,
    retention,
    store,
    tokenSecrets,
    inboundDomain: c.domain,
    replyAddress(claims) {
      if (!c.domain) throw new ForbiddenError('inbound_domain_unset', 'INBOUND_DOMAIN is not set');
      const prefix = claims.kind === 'team' ? 'team' : 'reply';
      return `${prefix}+${createReplyToken(tokenSecrets[0]!, claims)}@${c.domain}`;
    },
    async reprocess(id) {
      await process.reprocess({ ids: [id] });
    },
  };

  return {
    name: 'inbound',
    services,
    queues: [
      processQueue(process, c.processRetries),
      snsConfirmQueue(snsConfirm),
      retentionQueue(retention),
    ],
    schedules: [{ name: RETENTION_QUEUE, cron: '17 3 * * *', data: {} }],
    mount(app) {
      app.use(createInboundWebhookRouter(httpDeps));
      app.use(createEventWebhookRouter(httpDeps));
      app.use(
        createInboundApiRouter({ store, authenticate: deps.apiKeyAuth?.('read') ?? noApiKeys }),
      );
    },
  };
}
