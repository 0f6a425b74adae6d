/**
 * Wires the outbound engine: transport (SMTP pool, or the Postgres outbox when SMTP_URL is
 * unset), MIME builder (with DKIM when configured), the outbound repositories from
 * storage/index.ts, services, queues, routes. Other features get `services`: sendMessage,
 * recordDeliveryEvent, suppressions, apiKeys (and requireScope for their own /v1 routes).
 */
import type { ApiScope } from '../../domain/outbound/message.js';
import { createRequireScope, type RequireScope } from '../../http/middleware/api-key-auth.js';
import { openApi } from '../../http/openapi/registry.js';
import { mountOutboundRoutes } from '../../http/routes/v1/index.js';
import { createOutboundQueues } from '../../jobs/outbound/queues.js';
import type { QueueSpec } from '../../jobs/registry.js';
import { MimeBuilder } from '../../outbound/transports/mime.js';
import { createOutboxTransport } from '../../outbound/transports/outbox.js';
import { createSmtpTransport } from '../../outbound/transports/smtp.js';
import type { Transport } from '../../outbound/composed-message.js';
import {
  createOutboundServices,
  type OutboundServices,
  type OutboundSettings,
} from '../../services/outbound/index.js';
import type { QueueName, WebhookPort } from '../../services/ports.js';
import {
  instrumentOutboundMessages,
  instrumentSuppressions,
  instrumentTransport,
  instrumentWebhookEndpoints,
} from '../../services/outbound/instrumented.js';
import { noTelemetry } from '../../services/telemetry.js';
import '../../services/outbound/job-payloads.js';
import { repositories } from '../../storage/index.js';
import type { Feature, FeatureContext } from '../feature.js';

export interface OutboundFeatureServices {
  sendMessage: OutboundServices['sendMessage'];
  sendBatch: OutboundServices['sendBatch'];
  recordDeliveryEvent: OutboundServices['recordDeliveryEvent'];
  suppressions: OutboundServices['suppressions'];
  apiKeys: OutboundServices['apiKeys'];
  /** Middleware factory for /v1 routes of other features: requireScope('read'). */
  requireScope: RequireScope;
  /** The webhook delivery engine for other features' events (`inbound.received`). */
  webhooks: WebhookPort;
  /** Everything, for tests and the dashboard. */
  all: OutboundServices;
}

export interface OutboundFeature extends Feature {
  services: OutboundFeatureServices;
  transport: Transport;
}

export interface OutboundFeatureOptions {
  /** Replace the transport (tests). */
  transport?: Transport;
}

/** The outbound services' settings, from config (services never read config). */
function outboundSettings(ctx: FeatureContext): OutboundSettings {
  const c = ctx.config.outbound;
  return {
    mailFrom: c.mailFrom,
    publicUrl: ctx.config.http.publicUrl,
    secret: ctx.secretKey,
    messageIdDomain: c.messageIdDomain,
    unsubscribeMailto: c.unsubscribeMailto,
    retry: c.retry,
    leaseSeconds: c.leaseSeconds,
    sendConcurrency: c.sendConcurrency,
    ratePerSecond: c.ratePerSecond,
    domainRates: c.domainRates,
    inlineRateWindowMs: Math.min(5000, (c.leaseSeconds * 1000) / 4),
    jobMode: c.jobMode,
    jobGroupSize: c.jobGroupSize,
    apiKeyDailyQuota: c.apiKeyDailyQuota,
    maxScheduleDays: 30,
    retention: c.retention,
    webhooks: c.webhooks,
    // Reply tokens verify in the inbound engine, which mints and checks with SECRET_KEY first.
    replyTracking: ctx.config.inbound.domain
      ? {
          inboundDomain: ctx.config.inbound.domain,
          secret: ctx.secretKey,
          days: ctx.config.inbound.replyTrackingDays,
        }
      : null,
  };
}

export function createOutboundFeature(
  ctx: FeatureContext,
  options: OutboundFeatureOptions = {},
): OutboundFeature {
  const c = ctx.config.outbound;
  const log = ctx.log.child({ feature: 'outbound' });
  const t = ctx.telemetry ?? noTelemetry;
  const transport = instrumentTransport(
    options.transport ?? (c.smtp ? createSmtpTransport(c.smtp) : createOutboxTransport()),
    t,
  );
  const settings = outboundSettings(ctx);
  const r = repositories;
  const services = createOutboundServices(
    {
      db: ctx.db,
      commitDb: ctx.commitDb ?? ctx.db,
      queue: ctx.queue,
      clock: ctx.clock,
      log,
      settings,
      outboundMessages: instrumentOutboundMessages(r.outboundMessages, t),
      suppressions: instrumentSuppressions(r.suppressions, t),
      templates: r.templates,
      apiKeys: r.apiKeys,
      webhookEndpoints: instrumentWebhookEndpoints(r.webhookEndpoints, t),
      idempotencyKeys: r.idempotencyKeys,
      rateLimits: r.rateLimits,
      telemetry: t,
    },
    transport,
    new MimeBuilder(c.dkim),
  );
  const { queues, schedules } = createOutboundQueues(services, ctx.queue, {
    workerBatchSize: c.workerBatchSize,
    workerConcurrency: c.workerConcurrency,
    sweepSeconds: c.sweepSeconds,
  });
  const requireScope = createRequireScope(services.apiKeys);
  log.info({ transport: transport.name }, 'outbound transport');
  return {
    name: 'outbound',
    queues: queues as unknown as QueueSpec<QueueName>[],
    schedules,
    transport,
    mount(app) {
      mountOutboundRoutes(app, services, openApi, {
        version: '1',
        publicUrl: ctx.config.http.publicUrl,
      });
    },
    close: () => transport.close(),
    services: {
      sendMessage: services.sendMessage,
      sendBatch: services.sendBatch,
      recordDeliveryEvent: services.recordDeliveryEvent,
      suppressions: services.suppressions,
      apiKeys: services.apiKeys,
      requireScope: (scope: ApiScope) => requireScope(scope),
      webhooks: { ...services.webhooks, createEndpoint: (i) => services.webhooks.create(i) },
      all: services,
    },
  };
}
