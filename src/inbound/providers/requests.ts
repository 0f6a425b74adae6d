/**
 * What each provider sends us, built and signed as the provider would: SendGrid Inbound Parse,
 * Mailgun's MIME route, Postmark inbound JSON, an SES notification in an SNS envelope, and our
 * relay. `postroom replay` posts a .eml file through them with the configured secrets; the
 * tests and the fixture generator use the same builders, so all agree on the wire format.
 */
import { createHmac, createSign, randomBytes } from 'node:crypto';

export interface HttpRequest {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export type FormValue =
  string | Buffer | { filename: string; contentType: string; content: Buffer };

/** A name or file name in a part header, escaped as browsers do (WHATWG: `"` CR LF → %22 %0D %0A). */
const partParam = (v: string) => v.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** multipart/form-data with values written byte for byte (no re-encoding). */
export function encodeMultipart(fields: ReadonlyArray<readonly [string, FormValue]>): {
  body: Buffer;
  contentType: string;
} {
  const boundary = `----postroom${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if (typeof value === 'object' && !Buffer.isBuffer(value)) {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${partParam(name)}"; filename="${partParam(value.filename)}"\r\nContent-Type: ${value.contentType}\r\n\r\n`,
        ),
        value.content,
      );
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${partParam(name)}"\r\n\r\n`));
      chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function basicAuth(pair: string): string {
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

export function mailgunSignature(key: string, timestamp: string, token: string): string {
  return createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
}

export function mailgunMimeRequest(
  raw: Buffer,
  opts: { key: string; recipient: string; sender?: string; timestamp?: number; token?: string },
): HttpRequest {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const token = opts.token ?? randomBytes(25).toString('hex');
  const form = encodeMultipart([
    ['recipient', opts.recipient],
    ['sender', opts.sender ?? 'sender@example.org'],
    ['timestamp', timestamp],
    ['token', token],
    ['signature', mailgunSignature(opts.key, timestamp, token)],
    ['body-mime', raw],
  ]);
  return {
    path: '/inbound/mailgun/mime',
    headers: { 'content-type': form.contentType },
    body: form.body,
  };
}

export function sendgridRawRequest(
  raw: Buffer,
  opts: { auth: string; to: string[]; from?: string },
): HttpRequest {
  const form = encodeMultipart([
    ['envelope', JSON.stringify({ to: opts.to, from: opts.from ?? 'sender@example.org' })],
    ['charsets', JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'UTF-8' })],
    ['SPF', 'pass'],
    ['dkim', '{@example.org : pass}'],
    ['spam_score', '0.1'],
    ['email', raw],
  ]);
  return {
    path: '/inbound/sendgrid',
    headers: { 'content-type': form.contentType, authorization: basicAuth(opts.auth) },
    body: form.body,
  };
}

export function sendgridParsedRequest(opts: {
  auth: string;
  headers: string;
  text?: Buffer;
  html?: Buffer;
  charsets?: Record<string, string>;
  to: string[];
  attachments?: Array<{
    filename: string;
    contentType: string;
    content: Buffer;
    contentId?: string;
  }>;
}): HttpRequest {
  const info: Record<string, unknown> = {};
  const files: Array<[string, FormValue]> = [];
  (opts.attachments ?? []).forEach((a, i) => {
    const field = `attachment${i + 1}`;
    info[field] = {
      filename: a.filename,
      name: a.filename,
      type: a.contentType,
      ...(a.contentId ? { 'content-id': a.contentId } : {}),
    };
    files.push([field, { filename: a.filename, contentType: a.contentType, content: a.content }]);
  });
  const form = encodeMultipart([
    ['headers', opts.headers],
    ...(opts.text ? ([['text', opts.text]] as const) : []),
    ...(opts.html ? ([['html', opts.html]] as const) : []),
    ['envelope', JSON.stringify({ to: opts.to, from: 'sender@example.org' })],
    [
      'charsets',
      JSON.stringify({
        to: 'UTF-8',
        subject: 'UTF-8',
        text: 'utf-8',
        html: 'utf-8',
        ...opts.charsets,
      }),
    ],
    ['attachments', String(files.length)],
    ...(files.length > 0 ? ([['attachment-info', JSON.stringify(info)]] as const) : []),
    ...files,
  ]);
  return {
    path: '/inbound/sendgrid',
    headers: { 'content-type': form.contentType, authorization: basicAuth(opts.auth) },
    body: form.body,
  };
}

export function postmarkRequest(
  raw: Buffer | null,
  opts: { auth: string; to: string; messageId?: string },
): HttpRequest {
  const payload = {
    From: 'sender@example.org',
    To: opts.to,
    OriginalRecipient: opts.to,
    Subject: 'inbound',
    MessageID:
      opts.messageId ??
      `${randomBytes(4).toString('hex')}-0000-4000-8000-${randomBytes(6).toString('hex')}`,
    Headers: [
      { Name: 'X-Spam-Status', Value: 'No' },
      { Name: 'Return-Path', Value: '<sender@example.org>' },
    ],
    StrippedTextReply: '',
    ...(raw ? { RawEmail: raw.toString('utf8') } : {}),
  };
  return {
    path: '/inbound/postmark',
    headers: { 'content-type': 'application/json', authorization: basicAuth(opts.auth) },
    body: Buffer.from(JSON.stringify(payload)),
  };
}

export function relayRequest(
  raw: Buffer,
  opts: { token: string; to?: string[]; from?: string },
): HttpRequest {
  return {
    path: '/inbound/relay',
    headers: {
      'content-type': 'message/rfc822',
      authorization: `Bearer ${opts.token}`,
      ...(opts.to ? { 'x-envelope-to': opts.to.join(',') } : {}),
      ...(opts.from !== undefined ? { 'x-envelope-from': opts.from } : {}),
    },
    body: raw,
  };
}

export interface SnsSignOptions {
  keyPem: string;
  topicArn: string;
  certUrl?: string;
  version?: '1' | '2';
  type?: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId?: string;
  timestamp?: Date;
  subject?: string;
}

export function snsMessage(message: string, opts: SnsSignOptions): Record<string, string> {
  const region = opts.topicArn.split(':')[3];
  const type = opts.type ?? 'Notification';
  const m: Record<string, string> = {
    Type: type,
    MessageId: opts.messageId ?? crypto.randomUUID(),
    TopicArn: opts.topicArn,
    Message: message,
    Timestamp: (opts.timestamp ?? new Date()).toISOString(),
    SignatureVersion: opts.version ?? '2',
    SigningCertURL:
      opts.certUrl ?? `https://sns.${region}.amazonaws.com/SimpleNotificationService-test.pem`,
  };
  if (opts.subject) m.Subject = opts.subject;
  if (type !== 'Notification') {
    m.Token = randomBytes(16).toString('hex');
    m.SubscribeURL = `https://sns.${region}.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(opts.topicArn)}&Token=${m.Token}`;
  } else {
    m.UnsubscribeURL = `https://sns.${region}.amazonaws.com/?Action=Unsubscribe`;
  }
  const keys =
    type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const canonical = keys
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}\n${m[k]}\n`)
    .join('');
  m.Signature = createSign(m.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
    .update(canonical)
    .sign(opts.keyPem, 'base64');
  return m;
}

export function sesReceivedMessage(
  raw: Buffer,
  opts: { recipients: string[]; source?: string; base64?: boolean; messageId?: string },
): string {
  return JSON.stringify({
    notificationType: 'Received',
    receipt: {
      timestamp: new Date().toISOString(),
      recipients: opts.recipients,
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'PASS' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'PASS' },
      dmarcVerdict: { status: 'PASS' },
      action: { type: 'SNS', topicArn: 'arn', encoding: opts.base64 ? 'BASE64' : 'UTF8' },
    },
    mail: {
      timestamp: new Date().toISOString(),
      source: opts.source ?? 'sender@example.org',
      messageId: opts.messageId ?? randomBytes(16).toString('hex'),
      destination: opts.recipients,
    },
    content: opts.base64 ? raw.toString('base64') : raw.toString('utf8'),
  });
}

export function sesRequest(sns: Record<string, string>, path = '/inbound/ses'): HttpRequest {
  return {
    path,
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': sns.Type!,
      'x-amz-sns-message-id': sns.MessageId!,
      'x-amz-sns-topic-arn': sns.TopicArn!,
    },
    body: Buffer.from(JSON.stringify(sns)),
  };
}
