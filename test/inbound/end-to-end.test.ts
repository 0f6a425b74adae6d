/**
 * End to end through the whole app as `postroom start` wires it, with the real outbound
 * engine sending to a real SMTP sink: webhook → stored → processed by the worker → reply
 * recorded; a DSN for a message we sent → bounce recorded and the address suppressed; an
 * unknown sender → one rejection mail on the wire with Auto-Submitted.
 */
import { simpleParser } from 'mailparser';
import { createReplyToken } from '../../src/inbound/reply-token.js';
import type { InboundFeature } from '../../src/main/features/inbound.js';
import type { OutboundFeature } from '../../src/main/features/outbound.js';
import { mailgunMimeRequest } from '../../scripts/providers/sign.js';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { waitUntil } from './support/harness.js';

// Rows and JSON bodies are checked with toMatchObject; their shape is the assertion.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const DOMAIN = 'in.postroom.test';
let app: TestApp;
let sink: SmtpSink;
let outbound: OutboundFeature['services'];
let inbound: InboundFeature['services'];

async function post(req: { path: string; headers: Record<string, string>; body: Buffer }) {
  const res = await fetch(app.baseUrl + req.path, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
  });
  return { status: res.status, body: (await res.json()) as Loose };
}
async function row(id: string) {
  return (await app.db.pool.query('SELECT * FROM inbound_emails WHERE id = $1', [id]))
    .rows[0] as Loose;
}
async function settled(id: string) {
  await waitUntil(async () => ['processed', 'ignored'].includes((await row(id)).status));
  return row(id);
}
async function sendAndWait(to: string, subject: string) {
  const sent = await outbound.sendMessage({
    to: [to],
    subject,
    text: 'What did you get done today?',
    stream: 'transactional',
    kind: 'system',
  } as never);
  await waitUntil(
    async () =>
      (await app.db.pool.query('SELECT status FROM outbound_messages WHERE id = $1', [sent.id]))
        .rows[0].status === 'sent',
  );
  return sent as { id: string; message_id: string };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestApp({
    env: {
      SMTP_URL: sink.url,
      SMTP_IGNORE_TLS: 'true',
      MAIL_FROM: 'Postroom <updates@postroom.test>',
      INBOUND_DOMAIN: DOMAIN,
      MAILGUN_SIGNING_KEYS: 'mg-e2e-key',
    },
  });
  outbound = (app.container.features.find((f) => f.name === 'outbound') as OutboundFeature)
    .services;
  inbound = (app.container.features.find((f) => f.name === 'inbound') as InboundFeature).services;
});
afterAll(async () => {
  await app.stop();
  await sink.close();
});

test('a reply to one of our messages: webhook → stored → processed → reply recorded', async () => {
  const sent = await sendAndWait('ana@example.org', 'Daily check-in');
  const token = createReplyToken(TEST_SECRET, {
    kind: 'message',
    id: sent.id,
    email: 'ana@example.org',
    exp: new Date(Date.now() + 86400_000),
  });
  expect(inbound.tokenSecrets[0]).toBe(TEST_SECRET);
  const raw = Buffer.from(
    `From: Ana <Ana@Example.org>\r\nTo: reply+${token}@${DOMAIN}\r\nSubject: Re: Daily check-in\r\nMessage-ID: <e2e-reply-1@example.org>\r\nIn-Reply-To: ${sent.message_id}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nShipped the parser.\r\nFixed two bugs.\r\n\r\nOn Tue, 24 Nov 2026, Postroom <updates@postroom.test> wrote:\r\n> What did you get done today?\r\n`,
  );
  const res = await post(
    mailgunMimeRequest(raw, { key: 'mg-e2e-key', recipient: `reply+${token}@${DOMAIN}` }),
  );
  expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
  const r = await settled(res.body.id);
  expect(r).toMatchObject({
    status: 'processed',
    from_address: 'ana@example.org',
    routed_to: { kind: 'message', id: sent.id, via: 'token' },
  });
  expect(r.reply.text).toBe('Shipped the parser.\nFixed two bugs.');
});

test('a DSN for a message we sent → ignored bounce, the message bounced, the address suppressed, no rejection mail', async () => {
  const sent = await sendAndWait('gone@example.net', 'Digest');
  const before = sink.messages.length;
  const dsn = Buffer.from(
    `Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example.net\r\nTo: bounces@${DOMAIN}\r\nSubject: Undelivered Mail\r\nMessage-ID: <dsn-e2e@mx.example.net>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; gone@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: ${sent.message_id}\r\nTo: gone@example.net\r\n\r\n--b--\r\n`,
  );
  const res = await post(
    mailgunMimeRequest(dsn, { key: 'mg-e2e-key', recipient: `bounces@${DOMAIN}`, sender: '' }),
  );
  const r = await settled(res.body.id);
  expect(r).toMatchObject({ status: 'ignored', reason: 'bounce' });
  const m = (
    await app.db.pool.query('SELECT status FROM outbound_messages WHERE id = $1', [sent.id])
  ).rows[0];
  expect(m.status).toBe('bounced');
  const s = (
    await app.db.pool.query(`SELECT reason FROM suppressions WHERE address = 'gone@example.net'`)
  ).rows;
  expect(s).toEqual([{ reason: 'bounce' }]);
  expect(
    (
      await app.db.pool.query(`SELECT matched FROM provider_events WHERE message_id = $1`, [
        sent.message_id.replace(/^<|>$/g, ''),
      ])
    ).rows,
  ).toEqual([{ matched: true }]);
  expect(sink.messages.length).toBe(before);
});

test('an unknown sender gets exactly one rejection mail, with Auto-Submitted, through the outbound engine', async () => {
  const before = sink.messages.length;
  const mail = (n: number) =>
    Buffer.from(
      `From: stranger@example.com\r\nTo: hello@${DOMAIN}\r\nSubject: hi ${n}\r\nMessage-ID: <stranger-${n}@example.com>\r\n\r\nHello?\r\n`,
    );
  const first = await post(
    mailgunMimeRequest(mail(1), { key: 'mg-e2e-key', recipient: `hello@${DOMAIN}` }),
  );
  expect(await settled(first.body.id)).toMatchObject({ status: 'ignored', reason: 'unroutable' });
  await waitUntil(async () => sink.messages.length > before);
  const second = await post(
    mailgunMimeRequest(mail(2), { key: 'mg-e2e-key', recipient: `hello@${DOMAIN}` }),
  );
  expect(await settled(second.body.id)).toMatchObject({
    status: 'ignored',
    reason: 'unroutable',
    rejection_sent_at: null,
  });
  const rejections = (
    await app.db.pool.query(
      `SELECT id FROM outbound_messages WHERE 'stranger@example.com' = ANY(recipients)`,
    )
  ).rows;
  expect(rejections).toHaveLength(1);
  const wire = sink.messages.slice(before);
  expect(wire).toHaveLength(1);
  const parsed = await simpleParser(wire[0]!.raw);
  expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
  expect(parsed.inReplyTo).toBe('<stranger-1@example.com>');
  expect(wire[0]!.to).toEqual(['stranger@example.com']);
});
