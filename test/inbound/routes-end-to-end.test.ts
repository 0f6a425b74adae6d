/**
 * Inbound for any app, end to end, once per provider: a provider POST of a message with two
 * attachments → stored → processed by the worker → a route matches → `inbound.received` through
 * the webhook engine to a local receiver, which verifies the Standard Webhooks signature with an
 * independent verifier, checks the normalised payload, and fetches each attachment by its signed
 * URL, byte for byte. Then: a reply to a /v1/messages message through two providers arrives with
 * `thread` filled, and an in-band reply goes out on the wire in the same thread.
 */
import { createHash, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import {
  mailgunMimeRequest,
  makeSnsCertificate,
  postmarkRequest,
  relayRequest,
  sendgridRawRequest,
  sesReceivedMessage,
  sesRequest,
  snsMessage,
  type HttpRequest,
} from '../../scripts/providers/sign.js';
import { inboundReceivedSchema } from '../../src/services/inbound/schemas.js';
import {
  startReceiver,
  verifyStandardWebhook,
  type Hit,
  type Receiver,
} from '../support/webhook-receiver.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { waitUntil } from './support/harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

const DOMAIN = 'in.apps.test';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:postroom-inbound';
const { certPem, keyPem } = makeSnsCertificate();
const PDF = randomBytes(3000);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(1500)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let h: AppHarness;
let receiver: Receiver;
let secret: string;

const b64 = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');

function support(messageId: string, to = `help@${DOMAIN}`): Buffer {
  return Buffer.from(
    [
      'From: Ana Lima <ana@example.org>',
      `To: ${to}`,
      'Cc: Bo <bo@example.org>',
      'Subject: The invoice will not open',
      `Message-ID: <${messageId}@example.org>`,
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="mix"',
      '',
      '--mix',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The invoice PDF will not open, screenshot attached.',
      '',
      '--',
      'Ana Lima',
      '',
      'On Mon, 23 Nov 2026, Support <help@in.apps.test> wrote:',
      '> How can we help?',
      '--mix',
      'Content-Type: application/pdf; name="invoice.pdf"',
      'Content-Disposition: attachment; filename="invoice.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      b64(PDF),
      '--mix',
      'Content-Type: image/png',
      "Content-Disposition: inline; filename*=UTF-8''screen%20shot%20%C3%A9.png",
      'Content-ID: <shot@ana>',
      'Content-Transfer-Encoding: base64',
      '',
      b64(PNG),
      '--mix--',
      '',
    ].join('\r\n'),
  );
}

const requests: Record<string, (raw: Buffer, to: string) => HttpRequest> = {
  sendgrid: (raw, to) => sendgridRawRequest(raw, { auth: 'sg:pw', to: [to] }),
  mailgun: (raw, to) => mailgunMimeRequest(raw, { key: 'mg-key', recipient: to }),
  postmark: (raw, to) => postmarkRequest(raw, { auth: 'pm:pw', to }),
  ses: (raw, to) =>
    sesRequest(
      snsMessage(sesReceivedMessage(raw, { recipients: [to] }), { keyPem, topicArn: TOPIC }),
    ),
  relay: (raw, to) => relayRequest(raw, { token: 'relay', to: [to] }),
};

/** The receiver's delivery of one inbound email, once it arrived. */
async function deliveryOf(r: Receiver, inboundId: string): Promise<{ hit: Hit; payload: Loose }> {
  const find = () => r.hits.find((x) => JSON.parse(x.body).data?.id === inboundId);
  await waitUntil(async () => !!find(), 20_000);
  const hit = find()!;
  return { hit, payload: JSON.parse(hit.body) as Loose };
}

/** Waits until `n` delivery jobs of one webhook delivery have finished (response handled). */
async function attemptsDone(deliveryId: string, n: number): Promise<void> {
  await waitUntil(async () => {
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM pgboss.job
        WHERE name = 'outbound.webhook' AND data->>'deliveryId' = $1 AND state = 'completed'`,
      [deliveryId],
    );
    return rows[0].n === n;
  });
}

beforeAll(async () => {
  receiver = await startReceiver();
  h = await startAppHarness(
    {
      INBOUND_DOMAIN: DOMAIN,
      SENDGRID_INBOUND_AUTH: 'sg:pw',
      MAILGUN_SIGNING_KEYS: 'mg-key',
      POSTMARK_INBOUND_AUTH: 'pm:pw',
      SES_TOPIC_ARNS: TOPIC,
      RELAY_TOKENS: 'relay',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE: '1,1,1',
    },
    { fetchCert: async () => certPem },
  );
  const created = await h.api('POST', '/v1/routes', {
    name: 'support desk',
    priority: 10,
    match: { recipient: `help@${DOMAIN}` },
    action: { type: 'webhook', url: receiver.url },
  });
  expect(created.status).toBe(201);
  secret = created.body.webhook_secret;
  expect(secret).toMatch(/^whsec_/);
});
afterAll(async () => {
  await h.stop();
  await receiver.close();
});

describe.each(Object.keys(requests))('%s → route → signed inbound.received', (provider) => {
  test('the receiver verifies, reads the normalised payload and fetches both attachments', async () => {
    const res = await h.post(
      requests[provider]!(support(`${provider}-${Date.now()}`), `help@${DOMAIN}`),
    );
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const { hit, payload } = await deliveryOf(receiver, res.body.id);
    expect(
      verifyStandardWebhook(secret, hit.headers, hit.body, Math.floor(Date.now() / 1000)),
    ).toBe(true);
    expect(
      verifyStandardWebhook(secret, hit.headers, `${hit.body} `, Math.floor(Date.now() / 1000)),
    ).toBe(false);
    expect(inboundReceivedSchema.safeParse(payload).success).toBe(true);
    expect(payload).toMatchObject({
      type: 'inbound.received',
      data: {
        id: res.body.id,
        provider,
        from: { address: 'ana@example.org', name: 'Ana Lima' },
        to: [{ address: `help@${DOMAIN}` }],
        cc: [{ address: 'bo@example.org', name: 'Bo' }],
        subject: 'The invoice will not open',
        date: '2026-11-24T10:00:00.000Z',
        reply: { text: 'The invoice PDF will not open, screenshot attached.' },
        route: { name: 'support desk' },
        thread: null,
        thin: false,
      },
    });
    expect(payload.data.text).toContain('screenshot attached');
    const [pdf, png] = payload.data.attachments as Loose[];
    expect(pdf).toMatchObject({
      filename: 'invoice.pdf',
      content_type: 'application/pdf',
      size: PDF.length,
      sha256: sha(PDF),
      inline: false,
    });
    expect(png).toMatchObject({
      filename: 'screen shot é.png',
      content_type: 'image/png',
      sha256: sha(PNG),
      content_id: '<shot@ana>',
      inline: true,
    });
    for (const [a, bytes] of [
      [pdf!, PDF],
      [png!, PNG],
    ] as const) {
      const got = await fetch(a.url);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe(a.content_type);
      expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });
});

test('attachments are stored once per sha256, listed by GET /v1/inbound/:id, and a forged link is refused', async () => {
  const res = await h.post(requests.relay!(support(`dedupe-${Date.now()}`), `help@${DOMAIN}`));
  await deliveryOf(receiver, res.body.id);
  const blobs = await h.db.pool.query(
    'SELECT sha256 FROM inbound_attachment_blobs WHERE sha256 = ANY($1)',
    [[sha(PDF), sha(PNG)]],
  );
  expect(blobs.rows).toHaveLength(2);
  const detail = await h.api('GET', `/v1/inbound/${res.body.id}`);
  expect(detail.body.attachments.map((a: Loose) => [a.n, a.filename])).toEqual([
    [0, 'invoice.pdf'],
    [1, 'screen shot é.png'],
  ]);
  const byKey = await h.api('GET', `/v1/inbound/${res.body.id}/attachments/0`);
  expect(byKey.status).toBe(200);
  const forged = detail.body.attachments[1].url.replace('/attachments/1?', '/attachments/0?');
  expect((await fetch(forged)).status).toBe(403);
  expect((await fetch(`${h.baseUrl}/v1/inbound/${res.body.id}/attachments/0`)).status).toBe(401);
});

describe('replies to a /v1/messages message', () => {
  test('through two providers, each arrives with thread filled, on the timeline and in /replies', async () => {
    const subscriber = await startReceiver();
    try {
      const hook = await h.api('POST', '/v1/webhooks', {
        url: subscriber.url,
        events: ['inbound.received'],
      });
      expect(hook.status).toBe(201);
      const sent = await h.api('POST', '/v1/messages', {
        to: ['cleo@example.org'],
        cc: ['dan@example.org'],
        subject: 'Approve the order?',
        text: 'Reply "yes" to approve order 42.',
        reply_tracking: true,
        tags: ['approvals'],
        metadata: { order_id: 42 },
      });
      expect(sent.status).toBe(202);
      await waitUntil(
        async () => (await h.api('GET', `/v1/messages/${sent.body.id}`)).body.status === 'sent',
      );
      const wire = await simpleParser(h.sink.messages.at(-1)!.raw);
      const replyTo = wire.replyTo!.value[0]!.address!;
      expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{55}@${DOMAIN.replace(/\./g, '\\.')}$`));
      const answer = (
        id: string,
        headers: string,
        body: string,
        from = 'Cleo <cleo@example.org>',
      ) =>
        Buffer.from(
          `From: ${from}\r\nTo: ${replyTo}\r\nSubject: Re: Approve the order?\r\nMessage-ID: <${id}@example.org>\r\n${headers}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n\r\nOn Tue, Postroom wrote:\r\n> Reply "yes" to approve order 42.\r\n`,
        );
      const viaToken = await h.post(
        requests.mailgun!(answer(`r1-${Date.now()}`, '', 'yes'), replyTo),
      );
      const viaThread = await h.post(
        requests.postmark!(
          answer(
            `r2-${Date.now()}`,
            `In-Reply-To: ${sent.body.message_id}\r\n`,
            'yes, and ship it',
          ),
          'someone-else@example.org',
        ),
      );
      // The address is bound to Cleo; Dan, also a recipient, may use it; a stranger may not.
      const fromDan = await h.post(
        requests.relay!(answer(`r3-${Date.now()}`, '', 'fine by me', 'dan@example.org'), replyTo),
      );
      const fromEve = await h.post(
        requests.relay!(answer(`r4-${Date.now()}`, '', 'approve!', 'eve@example.org'), replyTo),
      );
      for (const [res, text] of [
        [viaToken, 'yes'],
        [viaThread, 'yes, and ship it'],
        [fromDan, 'fine by me'],
      ] as const) {
        const { hit, payload } = await deliveryOf(subscriber, res.body.id);
        expect(
          verifyStandardWebhook(
            hook.body.secret,
            hit.headers,
            hit.body,
            Math.floor(Date.now() / 1000),
          ),
        ).toBe(true);
        expect(payload.data).toMatchObject({
          reply: { text },
          thread: {
            message_id: sent.body.id,
            subject: 'Approve the order?',
            metadata: { order_id: 42 },
            tags: ['approvals'],
          },
        });
      }
      const replies = await h.api('GET', `/v1/messages/${sent.body.id}/replies`);
      expect(replies.body.data.map((r: Loose) => r.id)).toEqual([
        viaToken.body.id,
        viaThread.body.id,
        fromDan.body.id,
      ]);
      const timeline = (await h.api('GET', `/v1/messages/${sent.body.id}`)).body.events;
      expect(timeline.filter((e: Loose) => e.type === 'replied')).toHaveLength(3);
      await waitUntil(
        async () =>
          (await h.api('GET', `/v1/inbound/${fromEve.body.id}`)).body.status === 'ignored',
      );
      expect((await h.api('GET', `/v1/inbound/${fromEve.body.id}`)).body).toMatchObject({
        reason: 'unknown_sender',
        reason_detail: 'token_sender_mismatch',
      });
      await h.api('DELETE', `/v1/webhooks/${hook.body.id}`);
    } finally {
      await subscriber.close();
    }
  });
});

test('a 2xx with {"reply": …} sends the reply through outbound in the same thread, once', async () => {
  const answer = {
    status: 200,
    body: JSON.stringify({ reply: { text: 'We are on it.', metadata: { ticket: 7 } } }),
  };
  const app = await startReceiver([answer, answer]);
  try {
    const route = await h.api('POST', '/v1/routes', {
      priority: 5,
      match: { recipient: `desk@${DOMAIN}` },
      action: { type: 'webhook', url: app.url },
    });
    const messageId = `inband-${Date.now()}`;
    const res = await h.post(
      requests.relay!(support(messageId, `desk@${DOMAIN}`), `desk@${DOMAIN}`),
    );
    await deliveryOf(app, res.body.id);
    const toAna = () => h.sink.messages.filter((m) => m.to.includes('ana@example.org'));
    await waitUntil(async () => toAna().length > 0);
    const out = await simpleParser(toAna()[0]!.raw);
    expect(out.subject).toBe('Re: The invoice will not open');
    expect(out.inReplyTo).toBe(`<${messageId}@example.org>`);
    expect(out.text?.trim()).toBe('We are on it.');
    expect(out.replyTo?.value[0]?.address).toMatch(/^reply\+/);
    const sent = await h.db.pool.query(
      `SELECT metadata FROM outbound_messages WHERE 'ana@example.org' = ANY(recipients)`,
    );
    expect(sent.rows[0].metadata).toMatchObject({
      ticket: 7,
      _postroom: {
        inbound_email_id: res.body.id,
        webhook_endpoint_id: route.body.action.endpoint_id,
      },
    });
    // A manual redelivery gets the same answer again: the reply is not sent twice.
    const endpoint = route.body.action.endpoint_id;
    const [delivery] = (await h.api('GET', `/v1/webhooks/${endpoint}/deliveries`)).body.data;
    await h.api('POST', `/v1/webhooks/${endpoint}/deliveries/${delivery.id}/retry`);
    await attemptsDone(delivery.id, 2);
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM outbound_messages WHERE 'ana@example.org' = ANY(recipients)`,
    );
    expect(rows[0].n).toBe(1);
  } finally {
    await app.close();
  }
});

test('an out-of-office answer reaches the app classified auto_reply, is no reply, and is never answered', async () => {
  const answer = { status: 200, body: JSON.stringify({ reply: { text: 'Thanks!' } }) };
  const app = await startReceiver([answer, answer]);
  try {
    const hook = await h.api('POST', '/v1/webhooks', {
      url: app.url,
      events: ['inbound.received'],
    });
    const sent = await h.api('POST', '/v1/messages', {
      to: ['oof@example.org'],
      subject: 'Your order shipped',
      text: 'It is on its way.',
      reply_tracking: true,
    });
    await waitUntil(
      async () => (await h.api('GET', `/v1/messages/${sent.body.id}`)).body.status === 'sent',
    );
    const wire = await simpleParser(
      h.sink.messages.find((m) => m.to.includes('oof@example.org'))!.raw,
    );
    const replyTo = wire.replyTo!.value[0]!.address!;
    const ooo = Buffer.from(
      `From: oof@example.org\r\nTo: ${replyTo}\r\nSubject: Automatic reply: Your order shipped\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo-${Date.now()}@example.org>\r\n\r\nI am away until Monday.\r\n`,
    );
    const res = await h.post(requests.relay!(ooo, replyTo));
    const { payload } = await deliveryOf(app, res.body.id);
    expect(payload.data).toMatchObject({
      classification: { kind: 'auto_reply' },
      thread: { message_id: sent.body.id },
    });
    expect((await h.api('GET', `/v1/inbound/${res.body.id}`)).body).toMatchObject({
      status: 'ignored',
      reason: 'auto_reply',
    });
    expect((await h.api('GET', `/v1/messages/${sent.body.id}/replies`)).body.data).toEqual([]);
    const events = (await h.api('GET', `/v1/messages/${sent.body.id}`)).body.events;
    expect(events.map((e: Loose) => e.type)).not.toContain('replied');
    const [delivery] = (await h.api('GET', `/v1/webhooks/${hook.body.id}/deliveries`)).body.data;
    await attemptsDone(delivery.id, 1);
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM outbound_messages WHERE 'oof@example.org' = ANY(recipients)`,
    );
    expect(rows[0].n).toBe(1);
    await h.api('DELETE', `/v1/webhooks/${hook.body.id}`);
  } finally {
    await app.close();
  }
});
