/**
 * SES receipt rules → SNS → POST /inbound/ses. A verified SNS message is one of:
 * a subscription confirmation (confirmed later by a job, only for allowed topics), a `Received`
 * notification carrying the MIME in `content` (SNS action, ≤150 KB), or one pointing at an S3
 * object (S3 action), which the service fetches when S3 fetching is configured.
 */
import { AppError, BadRequestError } from '../../lib/errors.js';
import type { SnsMessage } from './sns.js';
import type { RawInbound } from './types.js';

export type SesInbound =
  | { kind: 'mail'; inbound: RawInbound }
  | { kind: 's3'; bucket: string; key: string; template: Omit<RawInbound, 'raw'> }
  | { kind: 'subscribe'; topicArn: string; subscribeUrl: string; messageId: string }
  | { kind: 'ignore'; why: string };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};

export function parseSnsInner(m: SnsMessage): Json {
  try {
    return obj(JSON.parse(m.Message));
  } catch {
    throw new BadRequestError('malformed_sns', 'SNS Message is not JSON');
  }
}

export function sesInbound(m: SnsMessage): SesInbound {
  if (m.Type === 'SubscriptionConfirmation') {
    if (!m.SubscribeURL) throw new BadRequestError('malformed_sns', 'SubscribeURL is missing');
    return {
      kind: 'subscribe',
      topicArn: m.TopicArn,
      subscribeUrl: m.SubscribeURL,
      messageId: m.MessageId,
    };
  }
  if (m.Type === 'UnsubscribeConfirmation')
    return { kind: 'ignore', why: 'unsubscribe_confirmation' };
  const inner = parseSnsInner(m);
  if (inner.notificationType !== 'Received')
    return { kind: 'ignore', why: `notification ${String(inner.notificationType)}` };
  const receipt = obj(inner.receipt);
  const mail = obj(inner.mail);
  const action = obj(receipt.action);
  const verdicts: Record<string, string> = {};
  for (const [field, name] of [
    ['spamVerdict', 'spam'],
    ['virusVerdict', 'virus'],
    ['spfVerdict', 'spf'],
    ['dkimVerdict', 'dkim'],
    ['dmarcVerdict', 'dmarc'],
  ] as const) {
    const status = obj(receipt[field]).status;
    if (typeof status === 'string') verdicts[name] = status;
  }
  const template: Omit<RawInbound, 'raw'> = {
    provider: 'ses',
    providerEventId: typeof mail.messageId === 'string' ? mail.messageId : m.MessageId,
    envelope: {
      from: typeof mail.source === 'string' ? mail.source : null,
      to: Array.isArray(receipt.recipients)
        ? receipt.recipients.filter((r): r is string => typeof r === 'string')
        : [],
    },
    verdicts,
    extras: {},
  };
  if (typeof inner.content === 'string') {
    const encoding = String(action.encoding ?? 'UTF8').toUpperCase();
    const raw =
      encoding === 'BASE64'
        ? Buffer.from(inner.content, 'base64')
        : Buffer.from(inner.content, 'utf8');
    return { kind: 'mail', inbound: { ...template, raw } };
  }
  if (
    action.type === 'S3' &&
    typeof action.bucketName === 'string' &&
    typeof action.objectKey === 'string'
  ) {
    return { kind: 's3', bucket: action.bucketName, key: action.objectKey, template };
  }
  throw new AppError(
    422,
    'raw_missing',
    'SES notification has neither content (SNS action) nor an S3 object',
  );
}
