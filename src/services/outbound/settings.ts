/** What the outbound services are told by main/ (built from config; services never read config). */
import type { RetryPolicy } from '../../domain/outbound/backoff.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Database, JobQueue } from '../ports.js';
import type { Telemetry } from '../telemetry.js';
import type {
  ApiKeyRepository,
  IdempotencyKeyRepository,
  OutboundMessageRepository,
  RateLimitRepository,
  SuppressionRepository,
  TemplateRepository,
  WebhookEndpointRepository,
} from './ports/index.js';

export interface OutboundSettings {
  mailFrom: string;
  publicUrl: string;
  secret: string;
  messageIdDomain: string | null;
  unsubscribeMailto: string | null;
  retry: RetryPolicy;
  leaseSeconds: number;
  /**
   * Messages a worker process has between "handed to the transport" and "outcome committed":
   * at most this many can be sent twice after a crash. Twice the SMTP pool size by default.
   */
  sendConcurrency: number;
  ratePerSecond: number;
  domainRates: Record<string, number>;
  /** Rate-limited messages due within this window wait in the worker; later ones are deferred. */
  inlineRateWindowMs: number;
  jobMode: 'message' | 'batch';
  jobGroupSize: number;
  apiKeyDailyQuota: number;
  maxScheduleDays: number;
  /** Days kept: raw MIME and timeline rows of settled messages, finished webhook deliveries. */
  retention: { rawDays: number; eventsDays: number; webhookDays: number };
  /** Signed Reply-To addresses for POST /v1/messages `reply_tracking`; null without INBOUND_DOMAIN. */
  replyTracking: { inboundDomain: string; secret: string; days: number } | null;
  webhooks: {
    allowPrivate: boolean;
    timeoutMs: number;
    retryScheduleSeconds: number[];
    disableAfter: number;
  };
}

/**
 * What main/ hands createOutboundServices: the shared handles and every outbound repository.
 * Each service takes only the part of it that it names in its own deps.
 */
export interface OutboundDeps {
  db: Database;
  /** Where the send worker commits its outcomes (storage/db.ts, createGenericPlanPool, says why). */
  commitDb: Database;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  settings: OutboundSettings;
  outboundMessages: OutboundMessageRepository;
  suppressions: SuppressionRepository;
  templates: TemplateRepository;
  apiKeys: ApiKeyRepository;
  webhookEndpoints: WebhookEndpointRepository;
  idempotencyKeys: IdempotencyKeyRepository;
  rateLimits: RateLimitRepository;
  /** Metrics the repositories cannot see (inline rate-limit waits); absent: not counted. */
  telemetry?: Pick<Telemetry, 'rateLimitWaited'>;
}
