/**
 * Inbound settings: one list of secrets per provider endpoint (lists, so secrets rotate
 * without dropping mail); an endpoint whose variable is unset is disabled and answers 404.
 * Sizes are bytes, windows seconds, retention days.
 */
import { z } from 'zod';
import type { InboundProvider, ProviderSecrets } from '../inbound/providers/types.js';
import {
  boolWithDefault,
  csvList,
  intWithDefault,
  optionalString,
  parseSection,
  type Env,
} from './env.js';

const MB = 1024 * 1024;

const schema = z.object({
  INBOUND_DOMAIN: optionalString(),
  MAILGUN_SIGNING_KEYS: csvList(),
  MAILGUN_WEBHOOK_SIGNING_KEYS: csvList(),
  MAILGUN_MAX_AGE_SECONDS: intWithDefault(12 * 3600, 60, 7 * 86400),
  SENDGRID_INBOUND_AUTH: csvList(),
  SENDGRID_INBOUND_ALLOW_IPS: csvList(),
  SENDGRID_EVENT_PUBLIC_KEYS: csvList(),
  SENDGRID_EVENT_MAX_AGE_SECONDS: intWithDefault(25 * 3600, 60, 7 * 86400),
  POSTMARK_INBOUND_AUTH: csvList(),
  POSTMARK_WEBHOOK_AUTH: csvList(),
  SES_TOPIC_ARNS: csvList(),
  SNS_MAX_AGE_SECONDS: intWithDefault(3600, 60, 7 * 86400),
  SES_S3_REGION: optionalString(),
  SES_S3_ACCESS_KEY_ID: optionalString(),
  SES_S3_SECRET_ACCESS_KEY: optionalString(),
  SES_S3_ENDPOINT: optionalString(),
  RELAY_TOKENS: csvList(),
  /** Where `postroom relay` posts (default: PUBLIC_URL + /inbound/relay). */
  RELAY_URL: optionalString(),
  INBOUND_MAX_BYTES: intWithDefault(40 * MB, 1024, 1024 * MB),
  INBOUND_MAX_BYTES_SENDGRID: intWithDefault(0, 0, 1024 * MB),
  INBOUND_MAX_BYTES_MAILGUN: intWithDefault(0, 0, 1024 * MB),
  INBOUND_MAX_BYTES_POSTMARK: intWithDefault(0, 0, 1024 * MB),
  INBOUND_MAX_BYTES_SES: intWithDefault(0, 0, 1024 * MB),
  INBOUND_MAX_BYTES_RELAY: intWithDefault(0, 0, 1024 * MB),
  INBOUND_RETENTION_PROCESSED_DAYS: intWithDefault(30, 1, 3650),
  INBOUND_RETENTION_IGNORED_DAYS: intWithDefault(7, 1, 3650),
  // Past every provider's retry window (SendGrid retries for 72 h), so dedupe never needs them.
  INBOUND_RETENTION_PROVIDER_EVENTS_DAYS: intWithDefault(90, 4, 3650),
  INBOUND_REJECTION_MAIL: boolWithDefault(true),
  INBOUND_REJECTION_FROM: optionalString(),
  INBOUND_PROCESS_RETRIES: intWithDefault(5, 0, 50),
  /** Earlier reply-token secrets still accepted after SECRET_KEY was rotated. */
  REPLY_TOKEN_PREVIOUS_SECRETS: csvList(),
  /** An `inbound.received` payload larger than this is sent thin (no bodies, a signed URL). */
  INBOUND_WEBHOOK_MAX_PAYLOAD_BYTES: intWithDefault(256 * 1024, 4096, 64 * MB),
  /** How long the signed attachment and payload URLs in a payload stay valid. */
  INBOUND_URL_TTL_HOURS: intWithDefault(7 * 24, 1, 90 * 24),
  /** How long a tracked Reply-To (POST /v1/messages reply_tracking) accepts replies. */
  REPLY_TRACKING_DAYS: intWithDefault(90, 1, 3650),
});

export interface InboundConfig extends ProviderSecrets {
  domain: string | undefined;
  ses: {
    topicArns: string[];
    maxAgeSeconds: number;
    s3: {
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      endpoint: string | undefined;
    } | null;
  };
  relay: { tokens: string[]; url: string | undefined };
  /** Body limit per endpoint (413 above it). */
  maxBytes: Record<InboundProvider, number>;
  retention: { processedDays: number; ignoredDays: number; providerEventDays: number };
  rejection: { enabled: boolean; from: string | undefined };
  processRetries: number;
  previousTokenSecrets: string[];
  webhook: { maxPayloadBytes: number; urlTtlSeconds: number };
  replyTrackingDays: number;
}

export function parseInboundConfig(env: Env, problems: string[]): InboundConfig | undefined {
  const v = parseSection(schema, env, problems);
  if (!v) return undefined;
  const limit = (n: number) => (n > 0 ? n : v.INBOUND_MAX_BYTES);
  for (const pair of [
    ...v.SENDGRID_INBOUND_AUTH,
    ...v.POSTMARK_INBOUND_AUTH,
    ...v.POSTMARK_WEBHOOK_AUTH,
  ]) {
    if (!pair.includes(':'))
      problems.push('SENDGRID_INBOUND_AUTH / POSTMARK_*_AUTH: each entry must be user:password');
  }
  for (const arn of v.SES_TOPIC_ARNS) {
    if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(arn))
      problems.push(`SES_TOPIC_ARNS: "${arn}" is not an SNS topic ARN`);
  }
  const s3Vars = [v.SES_S3_REGION, v.SES_S3_ACCESS_KEY_ID, v.SES_S3_SECRET_ACCESS_KEY];
  if (s3Vars.some(Boolean) && !s3Vars.every(Boolean)) {
    problems.push(
      'SES_S3_REGION, SES_S3_ACCESS_KEY_ID, SES_S3_SECRET_ACCESS_KEY: set all three to fetch SES mail from S3',
    );
  }
  const tokenDomain = v.INBOUND_DOMAIN?.trim().toLowerCase();
  return {
    domain: tokenDomain,
    mailgun: {
      signingKeys: v.MAILGUN_SIGNING_KEYS,
      webhookSigningKeys: v.MAILGUN_WEBHOOK_SIGNING_KEYS.length
        ? v.MAILGUN_WEBHOOK_SIGNING_KEYS
        : v.MAILGUN_SIGNING_KEYS,
      maxAgeSeconds: v.MAILGUN_MAX_AGE_SECONDS,
    },
    sendgrid: {
      auth: v.SENDGRID_INBOUND_AUTH,
      allowIps: v.SENDGRID_INBOUND_ALLOW_IPS,
      eventPublicKeys: v.SENDGRID_EVENT_PUBLIC_KEYS,
      eventMaxAgeSeconds: v.SENDGRID_EVENT_MAX_AGE_SECONDS,
    },
    postmark: {
      auth: v.POSTMARK_INBOUND_AUTH,
      webhookAuth: v.POSTMARK_WEBHOOK_AUTH.length
        ? v.POSTMARK_WEBHOOK_AUTH
        : v.POSTMARK_INBOUND_AUTH,
    },
    ses: {
      topicArns: v.SES_TOPIC_ARNS,
      maxAgeSeconds: v.SNS_MAX_AGE_SECONDS,
      s3:
        v.SES_S3_REGION && v.SES_S3_ACCESS_KEY_ID && v.SES_S3_SECRET_ACCESS_KEY
          ? {
              region: v.SES_S3_REGION,
              accessKeyId: v.SES_S3_ACCESS_KEY_ID,
              secretAccessKey: v.SES_S3_SECRET_ACCESS_KEY,
              endpoint: v.SES_S3_ENDPOINT,
            }
          : null,
    },
    relay: { tokens: v.RELAY_TOKENS, url: v.RELAY_URL },
    maxBytes: {
      sendgrid: limit(v.INBOUND_MAX_BYTES_SENDGRID),
      mailgun: limit(v.INBOUND_MAX_BYTES_MAILGUN),
      postmark: limit(v.INBOUND_MAX_BYTES_POSTMARK),
      ses: limit(v.INBOUND_MAX_BYTES_SES),
      relay: limit(v.INBOUND_MAX_BYTES_RELAY),
    },
    retention: {
      processedDays: v.INBOUND_RETENTION_PROCESSED_DAYS,
      ignoredDays: v.INBOUND_RETENTION_IGNORED_DAYS,
      providerEventDays: v.INBOUND_RETENTION_PROVIDER_EVENTS_DAYS,
    },
    rejection: { enabled: v.INBOUND_REJECTION_MAIL, from: v.INBOUND_REJECTION_FROM },
    processRetries: v.INBOUND_PROCESS_RETRIES,
    previousTokenSecrets: v.REPLY_TOKEN_PREVIOUS_SECRETS,
    webhook: {
      maxPayloadBytes: v.INBOUND_WEBHOOK_MAX_PAYLOAD_BYTES,
      urlTtlSeconds: v.INBOUND_URL_TTL_HOURS * 3600,
    },
    replyTrackingDays: v.REPLY_TRACKING_DAYS,
  };
}
