/**
 * Amazon SNS message verification (SES receipts and SES delivery events arrive through it).
 *
 * - The signature (v1 SHA1withRSA, v2 SHA256withRSA) is checked over the canonical string of
 *   the documented keys, in their documented order.
 * - SigningCertURL is pinned to `https://sns.<region of the TopicArn>.amazonaws.com/…pem`:
 *   accepting any amazonaws.com host was a forgery bypass (novu#11056).
 * - TopicArn must be on the allowlist (PostHog#61644) before anything else is trusted.
 * - Certificates are fetched through an injectable fetcher and cached per URL; tests inject
 *   certificates they generate.
 */
import { createPublicKey, createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { BadRequestError, ServiceUnavailableError } from '../../lib/errors.js';
import { guardedRequest, type Resolver } from '../../lib/net/guarded-request.js';
import { WebhookAuthError } from './auth.js';
import { parseJsonBody } from './json.js';

export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  SubscribeURL?: string;
  Token?: string;
  UnsubscribeURL?: string;
}

/** Returns the PEM certificate at a URL that already passed the pin. */
export type CertFetcher = (url: string) => Promise<string>;

export interface SnsVerifierOptions {
  topicArns: readonly string[];
  fetchCert: CertFetcher;
  clock: Clock;
  /** SNS retries for at most an hour; older messages are replays. */
  maxAgeSeconds?: number;
  cacheTtlMs?: number;
}

const NOTIFICATION_KEYS = [
  'Message',
  'MessageId',
  'Subject',
  'Timestamp',
  'TopicArn',
  'Type',
] as const;
const CONFIRMATION_KEYS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
] as const;

export function canonicalString(m: SnsMessage): string {
  const keys = m.Type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  let out = '';
  for (const k of keys) {
    const v = m[k as keyof SnsMessage];
    if (v === undefined || v === null) continue;
    out += `${k}\n${v}\n`;
  }
  return out;
}

export function regionOfArn(arn: string): string | null {
  const m = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_.-]+$/.exec(arn);
  return m ? m[1]! : null;
}

/** The one host a certificate (or SubscribeURL) for this topic may come from. */
export function isPinnedSnsUrl(url: string, topicArn: string, kind: 'cert' | 'subscribe'): boolean {
  const region = regionOfArn(topicArn);
  if (!region) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const hostOk =
    u.hostname === `sns.${region}.amazonaws.com` || u.hostname === `sns.${region}.amazonaws.com.cn`;
  if (u.protocol !== 'https:' || !hostOk || u.port !== '' || u.username !== '' || u.password !== '')
    return false;
  return kind === 'cert' ? u.pathname.endsWith('.pem') && u.search === '' : true;
}

function asSnsMessage(value: unknown): SnsMessage {
  const m = (value ?? {}) as Record<string, unknown>;
  const need = [
    'Type',
    'MessageId',
    'TopicArn',
    'Message',
    'Timestamp',
    'SignatureVersion',
    'Signature',
    'SigningCertURL',
  ];
  const missing = need.filter((k) => typeof m[k] !== 'string');
  if (missing.length > 0) {
    throw new BadRequestError('malformed_sns', `SNS message lacks ${missing.join(', ')}`);
  }
  if (
    !['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'].includes(
      m.Type as string,
    )
  ) {
    throw new BadRequestError('malformed_sns', `Unknown SNS message type ${String(m.Type)}`);
  }
  return m as unknown as SnsMessage;
}

export class SnsVerifier {
  private readonly cache = new Map<string, { key: Promise<KeyObject>; at: number }>();
  constructor(private readonly opts: SnsVerifierOptions) {}

  /** Parses and verifies an SNS POST body; throws 400 (malformed) or 403 (not authentic). */
  async verify(body: Buffer): Promise<SnsMessage> {
    const m = asSnsMessage(parseJsonBody(body));
    if (!this.opts.topicArns.includes(m.TopicArn)) {
      throw new WebhookAuthError(403, 'topic_not_allowed', 'TopicArn is not in SES_TOPIC_ARNS');
    }
    if (!isPinnedSnsUrl(m.SigningCertURL, m.TopicArn, 'cert')) {
      throw new WebhookAuthError(
        403,
        'invalid_cert_url',
        'SigningCertURL is not an SNS certificate URL for this region',
      );
    }
    const algorithm =
      m.SignatureVersion === '1' ? 'RSA-SHA1' : m.SignatureVersion === '2' ? 'RSA-SHA256' : null;
    if (!algorithm)
      throw new WebhookAuthError(403, 'invalid_signature', 'Unsupported SignatureVersion');
    const key = await this.certificate(m.SigningCertURL);
    const ok = createVerify(algorithm)
      .update(canonicalString(m), 'utf8')
      .verify(key, m.Signature, 'base64');
    if (!ok) throw new WebhookAuthError(403, 'invalid_signature', 'SNS signature does not verify');
    const sent = Date.parse(m.Timestamp);
    const maxAge = this.opts.maxAgeSeconds ?? 3600;
    if (!Number.isFinite(sent) || this.opts.clock.now().getTime() - sent > maxAge * 1000) {
      throw new WebhookAuthError(403, 'stale_timestamp', `SNS Timestamp is older than ${maxAge} s`);
    }
    return m;
  }

  private certificate(url: string): Promise<KeyObject> {
    const now = this.opts.clock.now().getTime();
    const hit = this.cache.get(url);
    if (hit && now - hit.at < (this.opts.cacheTtlMs ?? 24 * 3600_000)) return hit.key;
    const key = this.opts.fetchCert(url).then(publicKeyOf, (err: Error) => {
      // We cannot verify now; SNS retries a 5xx, so a genuine message is not lost.
      throw new ServiceUnavailableError(
        'sns_certificate_unavailable',
        `The SNS signing certificate could not be fetched: ${err.message}`,
        60,
      );
    });
    // A failed fetch must not poison the cache.
    key.catch(() => this.cache.delete(url));
    if (this.cache.size > 64) this.cache.clear();
    this.cache.set(url, { key, at: now });
    return key;
  }
}

/** The key of a PEM certificate; a body that is not one cannot verify anything (403). */
function publicKeyOf(pem: string): KeyObject {
  try {
    return new X509Certificate(pem).publicKey;
  } catch {
    try {
      return createPublicKey(pem);
    } catch {
      throw new WebhookAuthError(
        403,
        'invalid_signature',
        'The SNS signing certificate is unreadable',
      );
    }
  }
}

/**
 * The production certificate fetcher: HTTPS only (the pin already said so), through the SSRF
 * guard, no redirects, small and quick.
 */
export function httpsCertFetcher(timeoutMs = 5000, resolve?: Resolver): CertFetcher {
  return async (url) => {
    const res = await guardedRequest(url, {
      timeoutMs,
      maxResponseBytes: 16_384,
      ...(resolve ? { resolve } : {}),
    });
    if (res.status < 200 || res.status >= 300)
      throw new Error(`certificate fetch failed: HTTP ${res.status}`);
    const text = res.body.toString('utf8');
    if (!text.includes('BEGIN CERTIFICATE')) throw new Error('not a PEM certificate');
    return text;
  };
}
