/**
 * Outbound settings: the transport (SMTP_URL, or the Postgres outbox when unset), the default
 * sender, retry policy, rate limits, quotas, DKIM and outgoing webhooks. Every variable is
 * listed in the README; durations are in seconds unless the name says otherwise.
 */
import { z } from 'zod';
import type { SmtpTransportSettings } from '../outbound/transports/smtp.js';
import {
  boolWithDefault,
  csvList,
  intWithDefault,
  numberWithDefault,
  optionalString,
  parseSection,
  stringWithDefault,
  type Env,
} from './env.js';

const schema = z.object({
  SMTP_URL: optionalString().pipe(
    z
      .string()
      .regex(/^smtps?:\/\/[^/]+/, 'must be smtp://host:port or smtps://host:port')
      .optional(),
  ),
  MAIL_FROM: stringWithDefault('Postroom <postroom@localhost>'),
  SMTP_POOL_CONNECTIONS: intWithDefault(5, 1, 100),
  SMTP_POOL_MAX_MESSAGES: intWithDefault(1000, 1, 1_000_000),
  SMTP_REQUIRE_TLS: boolWithDefault(false),
  SMTP_IGNORE_TLS: boolWithDefault(false),
  SMTP_TLS_REJECT_UNAUTHORIZED: boolWithDefault(true),
  SMTP_CONNECTION_TIMEOUT_SECONDS: intWithDefault(30, 1, 600),
  SMTP_SOCKET_TIMEOUT_SECONDS: intWithDefault(60, 1, 3600),
  MESSAGE_ID_DOMAIN: optionalString(),
  UNSUBSCRIBE_MAILTO: optionalString(),
  DKIM_DOMAIN: optionalString(),
  DKIM_SELECTOR: optionalString(),
  DKIM_PRIVATE_KEY: optionalString(),
  OUTBOUND_RETRY_BASE_SECONDS: numberWithDefault(30, 0),
  OUTBOUND_RETRY_CAP_SECONDS: numberWithDefault(3600, 0),
  OUTBOUND_MAX_ATTEMPTS: intWithDefault(8, 1, 100),
  OUTBOUND_EXPIRE_HOURS: numberWithDefault(24, 0),
  OUTBOUND_LEASE_SECONDS: intWithDefault(300, 1, 86400),
  OUTBOUND_SEND_CONCURRENCY: intWithDefault(0, 0, 1000),
  OUTBOUND_RATE_PER_SECOND: numberWithDefault(0, 0),
  OUTBOUND_DOMAIN_RATES: csvList(),
  OUTBOUND_JOB_MODE: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['message', 'batch']).default('batch'),
  ),
  OUTBOUND_JOB_GROUP_SIZE: intWithDefault(50, 1, 1000),
  OUTBOUND_WORKER_BATCH_SIZE: intWithDefault(20, 1, 1000),
  OUTBOUND_WORKER_CONCURRENCY: intWithDefault(2, 1, 64),
  OUTBOUND_SWEEP_SECONDS: intWithDefault(15, 1, 3600),
  API_KEY_DAILY_QUOTA: intWithDefault(0, 0),
  WEBHOOK_ALLOW_PRIVATE: boolWithDefault(false),
  WEBHOOK_TIMEOUT_SECONDS: intWithDefault(10, 1, 120),
  WEBHOOK_RETRY_SCHEDULE: stringWithDefault('5,300,1800,7200,18000,36000,21600'),
  WEBHOOK_DISABLE_AFTER: intWithDefault(30, 1, 10000),
  OUTBOUND_RETENTION_RAW_DAYS: intWithDefault(30, 1, 3650),
  OUTBOUND_RETENTION_EVENTS_DAYS: intWithDefault(90, 1, 3650),
  WEBHOOK_RETENTION_DAYS: intWithDefault(30, 1, 3650),
});

export interface OutboundConfig {
  smtp: SmtpTransportSettings | null;
  mailFrom: string;
  messageIdDomain: string | null;
  unsubscribeMailto: string | null;
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  retry: { baseMs: number; capMs: number; maxAttempts: number; maxAgeMs: number };
  leaseSeconds: number;
  /** Messages in flight per worker process (sent, outcome not yet committed). */
  sendConcurrency: number;
  /** Messages per second through the transport; 0 = no limit. */
  ratePerSecond: number;
  /** Recipient domain → messages per second. */
  domainRates: Record<string, number>;
  /** One pg-boss job per message, or one job per group of messages (see docs/performance.md, Outbound). */
  jobMode: 'message' | 'batch';
  jobGroupSize: number;
  workerBatchSize: number;
  workerConcurrency: number;
  sweepSeconds: number;
  /** Default daily message quota of an API key; 0 = none. */
  apiKeyDailyQuota: number;
  /** Days kept by the daily outbound retention job. */
  retention: { rawDays: number; eventsDays: number; webhookDays: number };
  webhooks: {
    allowPrivate: boolean;
    timeoutMs: number;
    /** Delays before retry n (seconds); its length is the number of retries. */
    retryScheduleSeconds: number[];
    disableAfter: number;
  };
}

export const outboundSchema = schema;

export function parseOutboundConfig(env: Env, problems: string[]): OutboundConfig | undefined {
  const v = parseSection(schema, env, problems);
  if (!v) return undefined;
  const domainRates: Record<string, number> = {};
  for (const item of v.OUTBOUND_DOMAIN_RATES) {
    const m = /^([a-z0-9.-]+)[=:](\d+(?:\.\d+)?)$/i.exec(item);
    if (!m) {
      problems.push(`OUTBOUND_DOMAIN_RATES: "${item}" is not domain=rate (e.g. gmail.com=10)`);
      continue;
    }
    domainRates[m[1]!.toLowerCase()] = Number(m[2]);
  }
  const schedule = v.WEBHOOK_RETRY_SCHEDULE.split(',').map((s) => Number(s.trim()));
  if (schedule.some((n) => !Number.isFinite(n) || n < 0)) {
    problems.push('WEBHOOK_RETRY_SCHEDULE: must be comma-separated seconds, e.g. 5,300,1800');
  }
  const dkimParts = [v.DKIM_DOMAIN, v.DKIM_SELECTOR, v.DKIM_PRIVATE_KEY].filter(Boolean).length;
  if (dkimParts !== 0 && dkimParts !== 3) {
    problems.push('DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: set all three or none');
  }
  if (v.SMTP_REQUIRE_TLS && v.SMTP_IGNORE_TLS) {
    problems.push('SMTP_REQUIRE_TLS, SMTP_IGNORE_TLS: cannot both be true');
  }
  return {
    smtp: v.SMTP_URL
      ? {
          url: v.SMTP_URL,
          maxConnections: v.SMTP_POOL_CONNECTIONS,
          maxMessagesPerConnection: v.SMTP_POOL_MAX_MESSAGES,
          requireTls: v.SMTP_REQUIRE_TLS,
          ignoreTls: v.SMTP_IGNORE_TLS,
          tlsRejectUnauthorized: v.SMTP_TLS_REJECT_UNAUTHORIZED,
          connectionTimeoutMs: v.SMTP_CONNECTION_TIMEOUT_SECONDS * 1000,
          socketTimeoutMs: v.SMTP_SOCKET_TIMEOUT_SECONDS * 1000,
        }
      : null,
    mailFrom: v.MAIL_FROM,
    messageIdDomain: v.MESSAGE_ID_DOMAIN ?? null,
    unsubscribeMailto: v.UNSUBSCRIBE_MAILTO ?? null,
    dkim:
      dkimParts === 3
        ? {
            domainName: v.DKIM_DOMAIN!,
            keySelector: v.DKIM_SELECTOR!,
            // .env files cannot hold newlines; accept "\n" escapes in the PEM.
            privateKey: v.DKIM_PRIVATE_KEY!.replace(/\\n/g, '\n'),
          }
        : null,
    retry: {
      baseMs: v.OUTBOUND_RETRY_BASE_SECONDS * 1000,
      capMs: v.OUTBOUND_RETRY_CAP_SECONDS * 1000,
      maxAttempts: v.OUTBOUND_MAX_ATTEMPTS,
      maxAgeMs: v.OUTBOUND_EXPIRE_HOURS * 3600 * 1000,
    },
    leaseSeconds: v.OUTBOUND_LEASE_SECONDS,
    // One message on each pooled connection and one more each waiting for its commit: the
    // connections stay busy while outcomes are written (docs/performance.md, Outbound).
    sendConcurrency: v.OUTBOUND_SEND_CONCURRENCY || 2 * v.SMTP_POOL_CONNECTIONS,
    ratePerSecond: v.OUTBOUND_RATE_PER_SECOND,
    domainRates,
    jobMode: v.OUTBOUND_JOB_MODE,
    jobGroupSize: v.OUTBOUND_JOB_GROUP_SIZE,
    workerBatchSize: v.OUTBOUND_WORKER_BATCH_SIZE,
    workerConcurrency: v.OUTBOUND_WORKER_CONCURRENCY,
    sweepSeconds: v.OUTBOUND_SWEEP_SECONDS,
    apiKeyDailyQuota: v.API_KEY_DAILY_QUOTA,
    retention: {
      rawDays: v.OUTBOUND_RETENTION_RAW_DAYS,
      eventsDays: v.OUTBOUND_RETENTION_EVENTS_DAYS,
      webhookDays: v.WEBHOOK_RETENTION_DAYS,
    },
    webhooks: {
      allowPrivate: v.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: v.WEBHOOK_TIMEOUT_SECONDS * 1000,
      retryScheduleSeconds: schedule.filter((n) => Number.isFinite(n)),
      disableAfter: v.WEBHOOK_DISABLE_AFTER,
    },
  };
}
