/**
 * Writes fixtures/providers/shapes/: the provider payload shapes issue 14 found mishandled,
 * built by our own fake provider (sign.ts), never copied from elsewhere.
 * - sendgrid-parsed(-retry): one parsed-mode post and SendGrid's retry of it (same fields, a new
 *   multipart boundary), with attachment names that need RFC 2231: backslashes from a Windows
 *   share, quotes, non-ASCII; and an inline image.
 * - mailgun-verdict-headers: a `/mime` route post whose verdicts travel only in the headers of
 *   `body-mime`, signed at FIXTURE_TIME.
 * - event-types.json: one event of every type each provider documents (Postmark: every bounce
 *   `Type`), plus one type nobody documents, for the mapping tests.
 * Run: npx tsx scripts/providers/generate-shapes.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mailgunMimeRequest, sendgridParsedRequest, type HttpRequest } from './sign.js';
import { FIXTURE_KEYS, FIXTURE_TIME } from './fixture-keys.js';

const root = new URL('../../fixtures/providers/shapes/', import.meta.url);
const eml = readFileSync(new URL('../../fixtures/inbound/utf8-reply.eml', import.meta.url));
const ts = Math.floor(FIXTURE_TIME.getTime() / 1000);
mkdirSync(root, { recursive: true });

function write(name: string, req: HttpRequest): void {
  writeFileSync(new URL(`${name}.body`, root), req.body);
  writeFileSync(
    new URL(`${name}.json`, root),
    `${JSON.stringify({ path: req.path, headers: req.headers }, null, 2)}\n`,
  );
}

// ---------------------------------------------------------------- SendGrid parsed mode

const PARSED_ATTACHMENTS = [
  { filename: '\\share\\mail\\forwarded.msg', contentType: 'application/vnd.ms-outlook' },
  { filename: 'Résumé "final" (2).pdf', contentType: 'application/pdf' },
  { filename: 'logo.png', contentType: 'image/png', contentId: 'logo@sg' },
];
const parsed = () =>
  sendgridParsedRequest({
    auth: FIXTURE_KEYS.sendgrid,
    headers:
      'From: Ana Lima <ana@example.org>\nTo: updates@in.postroom.test\nSubject: Forwarded: the files\n' +
      'Date: Tue, 24 Nov 2026 17:04:00 +0000\n',
    text: Buffer.from('Here are the files from the share.\n'),
    html: Buffer.from('<p>Here are the files from the share.</p><img src="cid:logo@sg">'),
    to: ['updates@in.postroom.test'],
    attachments: PARSED_ATTACHMENTS.map((a, i) => ({ ...a, content: Buffer.from(`file ${i}`) })),
  });
write('sendgrid-parsed', parsed());
write('sendgrid-parsed-retry', parsed());

// ---------------------------------------------------------------- Mailgun verdicts in body-mime

const withVerdicts = Buffer.concat([
  Buffer.from(
    'X-Mailgun-Sflag: Yes\r\nX-Mailgun-Sscore: 7.2\r\nX-Mailgun-Spf: Pass\r\n' +
      'X-Mailgun-Dkim-Check-Result: Fail\r\n',
  ),
  eml,
]);
write(
  'mailgun-verdict-headers',
  mailgunMimeRequest(withVerdicts, {
    key: FIXTURE_KEYS.mailgun,
    recipient: 'updates@in.postroom.test',
    timestamp: ts,
    token: 'd'.repeat(50),
  }),
);

// ---------------------------------------------------------------- every documented event type

const POSTMARK_BOUNCE_TYPES = [
  'HardBounce',
  'Transient',
  'Unsubscribe',
  'Subscribe',
  'AutoResponder',
  'AddressChange',
  'DnsError',
  'SpamNotification',
  'OpenRelayTest',
  'Unknown',
  'SoftBounce',
  'VirusNotification',
  'ChallengeVerification',
  'BadEmailAddress',
  'SpamComplaint',
  'ManuallyDeactivated',
  'Unconfirmed',
  'Blocked',
  'SMTPApiError',
  'InboundError',
  'DMARCPolicy',
  'TemplateRenderingFailed',
];
const at = FIXTURE_TIME.toISOString();
const eventTypes = {
  postmark: [
    ...POSTMARK_BOUNCE_TYPES.map((Type, i) => ({
      RecordType: 'Bounce',
      Type,
      ID: 1000 + i,
      MessageID: 'pm-shapes-1',
      Email: `bounce-${i}@example.net`,
      BouncedAt: at,
    })),
    {
      RecordType: 'SpamComplaint',
      ID: 2000,
      MessageID: 'pm-shapes-1',
      Email: 'c@example.net',
      BouncedAt: at,
    },
    {
      RecordType: 'Delivery',
      MessageID: 'pm-shapes-1',
      Recipient: 'd@example.net',
      DeliveredAt: at,
    },
    { RecordType: 'Open', MessageID: 'pm-shapes-1', Recipient: 'd@example.net', ReceivedAt: at },
    { RecordType: 'Click', MessageID: 'pm-shapes-1', Recipient: 'd@example.net', ReceivedAt: at },
    {
      RecordType: 'SubscriptionChange',
      MessageID: 'pm-shapes-1',
      Recipient: 'u@example.net',
      SuppressSending: true,
      ChangedAt: at,
    },
    {
      RecordType: 'SubscriptionChange',
      MessageID: 'pm-shapes-1',
      Recipient: 'u@example.net',
      SuppressSending: false,
      ChangedAt: at,
    },
  ],
  sendgrid: [
    'processed',
    'dropped',
    'delivered',
    'deferred',
    'bounce',
    'open',
    'click',
    'spamreport',
    'unsubscribe',
    'group_unsubscribe',
    'group_resubscribe',
  ].map((event, i) => ({
    email: `sg-${i}@example.net`,
    event,
    sg_event_id: `sg-shapes-${i}`,
    'smtp-id': '<shapes-1@postroom.test>',
    timestamp: ts,
  })),
  mailgun: [
    'accepted',
    'rejected',
    'delivered',
    'failed',
    'opened',
    'clicked',
    'unsubscribed',
    'complained',
    'stored',
    'list_member_uploaded',
    'list_member_upload_error',
    'list_uploaded',
  ].map((event, i) => ({
    event,
    severity: 'permanent',
    recipient: `mg-${i}@example.net`,
    timestamp: ts,
    message: { headers: { 'message-id': 'shapes-1@postroom.test' } },
  })),
  ses: [
    'Bounce',
    'Complaint',
    'Delivery',
    'Send',
    'Reject',
    'Open',
    'Click',
    'Rendering Failure',
    'DeliveryDelay',
    'Subscription',
  ].map((eventType) => ({
    eventType,
    mail: {
      messageId: 'ses-shapes-1',
      timestamp: at,
      destination: ['s@example.net'],
      commonHeaders: { messageId: '<shapes-1@postroom.test>' },
    },
    bounce: {
      bounceType: 'Permanent',
      timestamp: at,
      bouncedRecipients: [{ emailAddress: 's@example.net' }],
    },
    complaint: { timestamp: at, complainedRecipients: [{ emailAddress: 's@example.net' }] },
    delivery: { timestamp: at, recipients: ['s@example.net'] },
    deliveryDelay: { timestamp: at, delayedRecipients: [{ emailAddress: 's@example.net' }] },
    reject: { reason: 'Bad content' },
    open: { timestamp: at },
    click: { timestamp: at, link: 'https://example.org' },
  })),
  /** A type no provider documents: stored, counted as unknown, never dropped. */
  novel: {
    RecordType: 'Bounce',
    Type: 'QuantumEntanglement',
    ID: 9999,
    MessageID: 'pm-shapes-1',
    Email: 'q@example.net',
    BouncedAt: at,
  },
};
writeFileSync(new URL('event-types.json', root), `${JSON.stringify(eventTypes, null, 2)}\n`);
console.log(`wrote ${root.pathname}`);
