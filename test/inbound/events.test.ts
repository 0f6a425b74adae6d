/**
 * Delivery-event webhooks → one taxonomy → recordDeliveryEvent; unknown messages are stored,
 * retries are deduped, each provider's bad credentials get its status.
 */
import {
  basicAuth,
  mailgunEventRequest,
  makeSendgridEventKeys,
  makeSnsCertificate,
  postmarkEventRequest,
  sendgridEventRequest,
  sesRequest,
  snsMessage,
} from '../../scripts/providers/sign.js';
import { startHarness, type Harness } from './support/harness.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-events';
const { certPem, keyPem } = makeSnsCertificate();
const sg = makeSendgridEventKeys();
let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    {
      SENDGRID_EVENT_PUBLIC_KEYS: sg.publicKeyBase64,
      MAILGUN_WEBHOOK_SIGNING_KEYS: 'mg-hook-key',
      POSTMARK_WEBHOOK_AUTH: 'hooks:pm-pass',
      SES_TOPIC_ARNS: TOPIC,
    },
    { fetchCert: async () => certPem },
  );
  h.outbound.known.add('known-1@postroom.test');
});
afterAll(async () => h.stop());
beforeEach(() => {
  h.outbound.events = [];
});

const stored = async (where: string) =>
  (
    await h.db.pool.query(
      `SELECT provider, type, bounce, recipient, matched FROM provider_events WHERE ${where} ORDER BY occurred_at, id`,
    )
  ).rows;

describe('SendGrid /events/sendgrid', () => {
  test('signed batch → mapped events; the known message is matched, the unknown one stored', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const events = [
      {
        email: 'a@example.org',
        event: 'delivered',
        sg_event_id: 'sg-1',
        'smtp-id': '<known-1@postroom.test>',
        timestamp: ts,
      },
      {
        email: 'B@example.org',
        event: 'bounce',
        status: '5.1.1',
        reason: 'no such user',
        sg_event_id: 'sg-2',
        'smtp-id': '<unknown-9@postroom.test>',
        timestamp: ts + 1,
      },
      {
        email: 'a@example.org',
        event: 'spamreport',
        sg_event_id: 'sg-3',
        sg_message_id: 'abc.filter1',
        timestamp: ts + 2,
      },
      {
        email: 'a@example.org',
        event: 'group_resubscribe',
        sg_event_id: 'sg-4',
        timestamp: ts + 3,
      },
    ];
    const res = await h.post(sendgridEventRequest(events, sg.privateKey));
    expect(res).toMatchObject({ status: 200, body: { received: 3, stored: 3, matched: 1 } });
    expect(h.outbound.events.map((e) => [e.ref, e.event.type, e.event.bounce])).toEqual([
      [{ messageId: 'known-1@postroom.test' }, 'delivered', undefined],
      [{ messageId: 'unknown-9@postroom.test' }, 'bounced', 'hard'],
      [{ providerMessageId: 'abc' }, 'complained', undefined],
    ]);
    expect(await stored(`provider = 'sendgrid'`)).toEqual([
      {
        provider: 'sendgrid',
        type: 'delivered',
        bounce: null,
        recipient: 'a@example.org',
        matched: true,
      },
      {
        provider: 'sendgrid',
        type: 'bounced',
        bounce: 'hard',
        recipient: 'b@example.org',
        matched: false,
      },
      {
        provider: 'sendgrid',
        type: 'complained',
        bounce: null,
        recipient: 'a@example.org',
        matched: false,
      },
    ]);
    // SendGrid retries the batch: nothing is handed on twice.
    h.outbound.events = [];
    expect(await h.post(sendgridEventRequest(events, sg.privateKey))).toMatchObject({
      status: 200,
      body: { stored: 0 },
    });
    expect(h.outbound.events).toEqual([]);
  });
  test('a tampered body or another key → 403', async () => {
    const req = sendgridEventRequest([{ event: 'open' }], sg.privateKey);
    expect(await h.post({ ...req, body: Buffer.from('[{"event":"click"}]') })).toMatchObject({
      status: 403,
      body: { error: { code: 'invalid_signature' } },
    });
    const other = makeSendgridEventKeys();
    expect((await h.post(sendgridEventRequest([], other.privateKey))).status).toBe(403);
  });
  test('a stale timestamp → 403', async () => {
    const res = await h.post(
      sendgridEventRequest([], sg.privateKey, Math.floor(Date.now() / 1000) - 3 * 86400),
    );
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'stale_timestamp' } } });
  });
});

describe('Mailgun /events/mailgun', () => {
  const data = {
    event: 'failed',
    severity: 'permanent',
    recipient: 'c@example.org',
    timestamp: Date.now() / 1000,
    message: { headers: { 'message-id': 'known-1@postroom.test' } },
    'delivery-status': { code: 550, description: 'mailbox unavailable' },
  };
  test('HMAC-signed event → bounced hard; the same token again is a no-op', async () => {
    const req = mailgunEventRequest(data, { key: 'mg-hook-key', token: 'tok-123' });
    expect(await h.post(req)).toMatchObject({ status: 200, body: { stored: 1, matched: 1 } });
    expect(h.outbound.events[0]!.event).toMatchObject({
      type: 'bounced',
      bounce: 'hard',
      recipient: 'c@example.org',
      reason: 'mailbox unavailable',
    });
    expect(await h.post(req)).toMatchObject({ status: 200, body: { stored: 0 } });
    expect(h.outbound.events).toHaveLength(1);
  });
  test('bad signature → 406; stale → 406', async () => {
    expect(await h.post(mailgunEventRequest(data, { key: 'wrong' }))).toMatchObject({
      status: 406,
      body: { error: { code: 'invalid_signature' } },
    });
    expect(
      await h.post(
        mailgunEventRequest(data, {
          key: 'mg-hook-key',
          timestamp: Math.floor(Date.now() / 1000) - 20 * 3600,
        }),
      ),
    ).toMatchObject({
      status: 406,
      body: { error: { code: 'stale_timestamp' } },
    });
  });
});

describe('Postmark /events/postmark', () => {
  test('Basic auth; SpamComplaint → complained; bad auth → 403; bad JSON → 400', async () => {
    const res = await h.post(
      postmarkEventRequest(
        {
          RecordType: 'Bounce',
          Type: 'SpamComplaint',
          ID: 42,
          MessageID: 'pm-1',
          Email: 'd@example.org',
          BouncedAt: new Date().toISOString(),
        },
        'hooks:pm-pass',
      ),
    );
    expect(res).toMatchObject({ status: 200, body: { stored: 1 } });
    expect(h.outbound.events[0]).toMatchObject({
      ref: { providerMessageId: 'pm-1' },
      event: { type: 'complained' },
    });
    expect(
      (await h.post(postmarkEventRequest({ RecordType: 'Delivery' }, 'hooks:wrong'))).status,
    ).toBe(403);
    expect(
      await h.post({
        path: '/events/postmark',
        headers: { authorization: basicAuth('hooks:pm-pass') },
        body: Buffer.from('nope'),
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'malformed_json' } },
    });
  });
});

describe('SES /events/ses', () => {
  test('an SNS-signed bounce → one event per recipient', async () => {
    const message = JSON.stringify({
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        timestamp: new Date().toISOString(),
        bouncedRecipients: [
          { emailAddress: 'e@example.org', diagnosticCode: '550 5.1.1' },
          { emailAddress: 'f@example.org' },
        ],
      },
      mail: { messageId: 'ses-out-1', commonHeaders: { messageId: '<known-1@postroom.test>' } },
    });
    const res = await h.post(
      sesRequest(snsMessage(message, { keyPem, topicArn: TOPIC }), '/events/ses'),
    );
    expect(res).toMatchObject({ status: 200, body: { stored: 2, matched: 2 } });
    expect(h.outbound.events.map((e) => [e.event.recipient, e.event.bounce])).toEqual([
      ['e@example.org', 'hard'],
      ['f@example.org', 'hard'],
    ]);
  });
  test('a topic not allowed → 403', async () => {
    const res = await h.post(
      sesRequest(
        snsMessage('{}', { keyPem, topicArn: 'arn:aws:sns:us-east-1:123456789012:other' }),
        '/events/ses',
      ),
    );
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'topic_not_allowed' } } });
  });
});
