/**
 * Per-recipient delivery over the wire (issue 14, holes 1 and 8): a real SMTP server answers each
 * RCPT TO on its own, so one recipient can be accepted while another is deferred or refused. Only
 * the deferred recipients are tried again, in a later SMTP transaction; a 550 bounces that
 * recipient (and suppresses it) exactly as a provider's bounce report does; the message's status
 * derives from its recipients; the API, the timeline and the status webhooks show them.
 */
import { messageIdOf, startOutboundApp, type OutboundTestApp } from './support/outbound-app.js';
import { receiver, until } from './support/webhook-receiver.js';

/** Response bodies are read loosely; each assertion states the shape it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('per-recipient delivery', () => {
  let t: OutboundTestApp;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hook = await receiver([]);
    t = await startOutboundApp({
      env: { OUTBOUND_MAX_ATTEMPTS: '3', WEBHOOK_ALLOW_PRIVATE: 'true' },
    });
    const created = await t.api('POST', '/v1/webhooks', {
      url: hook.url,
      events: ['message.deferred', 'message.sent', 'message.partially_sent', 'message.bounced'],
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await t.stop();
    await hook.close();
  });
  beforeEach(() => t.sink.clear());

  /** The status webhooks posted for one message, in order. */
  const hooksFor = (id: string): Json[] =>
    hook.hits.map((h) => JSON.parse(h.body)).filter((b) => b.data.message_id === id);

  test('451 for one recipient and 250 for the other: only the deferred one goes again, in a later transaction', async () => {
    t.sink.rejectRecipients(/^later@/, 451, '4.2.1 Mailbox busy, try again later', 1);
    const res = await t.api('POST', '/v1/messages', {
      to: ['now@example.org', 'later@example.org'],
      subject: 'two',
      text: 'x',
    });
    const msg = await t.waitForStatus(res.body.id, ['sent']);
    expect(msg.attempts).toBe(2);
    // Two SMTP transactions: the first reached now@ only, the second later@ only.
    expect(t.sink.messages.map((m) => m.to)).toEqual([['now@example.org'], ['later@example.org']]);
    expect(messageIdOf(t.sink.messages[1]!.raw)).toBe(messageIdOf(t.sink.messages[0]!.raw));
    expect(t.sink.messages[1]!.raw.toString()).toMatch(/^To: now@example.org, later@example.org/m);
    expect(msg.deliveries).toMatchObject([
      { address: 'now@example.org', status: 'accepted', attempts: 1, smtp_code: 250 },
      { address: 'later@example.org', status: 'accepted', attempts: 2, smtp_code: 250 },
    ]);
    const deferred = msg.events.find((e: Json) => e.to === 'deferred');
    expect(deferred).toMatchObject({ attempt: 1, smtp_code: 451 });
    expect(deferred.reason).toMatch(/1 of 2 recipients deferred: later@example.org/);
    expect(deferred.recipients).toEqual([
      {
        address: 'now@example.org',
        status: 'accepted',
        smtp_code: 250,
        smtp_response: expect.any(String),
      },
      {
        address: 'later@example.org',
        status: 'deferred',
        smtp_code: 451,
        smtp_response: '451 4.2.1 Mailbox busy, try again later',
      },
    ]);
    await until(() => hooksFor(res.body.id).length === 2);
    const [first, last] = hooksFor(res.body.id);
    expect(first.type).toBe('message.deferred');
    expect(first.data.deliveries.map((d: Json) => [d.address, d.status])).toEqual([
      ['now@example.org', 'accepted'],
      ['later@example.org', 'deferred'],
    ]);
    expect(last.type).toBe('message.sent');
    // The webhook's `recipients` stays the list of addresses it always was.
    expect(last.data.recipients).toEqual(['now@example.org', 'later@example.org']);
  });

  test('550 for one recipient bounces it and suppresses it; the message ends partially_sent; a provider bounce of the other ends it bounced', async () => {
    t.sink.rejectRecipients(/^gone@/, 550, '5.1.1 No such user');
    const res = await t.api('POST', '/v1/messages', {
      to: ['here@example.org'],
      cc: ['gone@example.org'],
      subject: 'one of two',
      text: 'x',
    });
    const msg = await t.waitForStatus(res.body.id, ['partially_sent']);
    expect(msg.attempts).toBe(1);
    expect(msg.deliveries).toMatchObject([
      { address: 'here@example.org', status: 'accepted' },
      { address: 'gone@example.org', status: 'bounced', smtp_code: 550 },
    ]);
    expect(msg.last_error).toMatch(/1 of 2 recipients did not get it: gone@example.org/);
    expect(
      (await t.api('GET', '/v1/suppressions?address=gone@example.org')).body.data,
    ).toMatchObject([{ reason: 'bounce', source_message_id: res.body.id }]);
    expect(t.sink.messages.map((m) => m.to)).toEqual([['here@example.org']]);
    await until(() => hooksFor(res.body.id).length === 1);
    expect(hooksFor(res.body.id)[0]).toMatchObject({
      type: 'message.partially_sent',
      data: { status: 'partially_sent', previous_status: 'sending' },
    });

    // A provider's bounce for the other recipient: the same state as the 550 at RCPT.
    const after = await t.services.recordDeliveryEvent(
      { messageId: res.body.message_id },
      { type: 'bounced', bounce: 'hard', recipient: 'Here@Example.org', at: new Date() },
    );
    expect(after).toMatchObject({ found: true, status: 'bounced' });
    const bounced = (await t.api('GET', `/v1/messages/${res.body.id}`)).body;
    expect(bounced.deliveries.map((d: Json) => d.status)).toEqual(['bounced', 'bounced']);
    expect(bounced.events.at(-1)).toMatchObject({
      type: 'provider.bounced',
      from: 'partially_sent',
      to: 'bounced',
      recipients: [{ address: 'Here@Example.org' }],
    });
  });

  test('a 550 at RCPT and a provider bounce end in one state, for the message and the recipient', async () => {
    t.sink.rejectRecipients(/^nobody@/, 550, '5.1.1 No such user');
    const atRcpt = await t.api('POST', '/v1/messages', {
      to: ['nobody@example.org'],
      subject: 'r',
      text: 'x',
    });
    const reported = await t.api('POST', '/v1/messages', {
      to: ['later-bounce@example.org'],
      subject: 'p',
      text: 'x',
    });
    await t.waitForStatus(reported.body.id, ['sent']);
    await t.services.recordDeliveryEvent(
      { messageId: reported.body.message_id },
      { type: 'bounced', bounce: 'hard', at: new Date(), reason: '5.1.1 user unknown' },
    );
    const a = await t.waitForStatus(atRcpt.body.id, ['bounced']);
    const b = await t.waitForStatus(reported.body.id, ['bounced']);
    expect([a.status, a.deliveries[0].status]).toEqual([b.status, b.deliveries[0].status]);
  });

  test('a recipient deferred until the attempts run out ends failed, the message partially_sent; a retry sends to that recipient only', async () => {
    t.sink.rejectRecipients(/^busy@/, 450, '4.2.1 Mailbox busy', 3);
    const res = await t.api('POST', '/v1/messages', {
      to: ['ok@example.org', 'busy@example.org'],
      subject: 'busy',
      text: 'x',
    });
    const msg = await t.waitForStatus(res.body.id, ['partially_sent'], 20000);
    expect(msg.attempts).toBe(3);
    expect(msg.deliveries).toMatchObject([
      { address: 'ok@example.org', status: 'accepted', attempts: 1 },
      { address: 'busy@example.org', status: 'failed', attempts: 3, smtp_code: 450 },
    ]);
    expect(msg.deliveries[1].smtp_response).toMatch(/^attempts exhausted; last error: 450/);
    expect(t.sink.messages.map((m) => m.to)).toEqual([['ok@example.org']]);

    t.sink.clear();
    expect((await t.api('POST', `/v1/messages/${res.body.id}/retry`)).status).toBe(202);
    const again = await t.waitForStatus(res.body.id, ['sent']);
    expect(t.sink.messages.map((m) => m.to)).toEqual([['busy@example.org']]);
    expect(again.deliveries.map((d: Json) => [d.status, d.attempts])).toEqual([
      ['accepted', 1],
      ['accepted', 4],
    ]);
  });

  test('a 4xx to the whole transaction (after DATA) defers every recipient; one retry sends to both', async () => {
    t.sink.failNext(451, '4.3.0 Queue full', 1, 'data');
    const res = await t.api('POST', '/v1/messages', {
      to: ['d1@example.org'],
      bcc: ['d2@example.org'],
      subject: 'd',
      text: 'x',
    });
    const msg = await t.waitForStatus(res.body.id, ['sent']);
    const deferred = msg.events.find((e: Json) => e.to === 'deferred');
    expect(deferred.recipients.map((r: Json) => r.status)).toEqual(['deferred', 'deferred']);
    expect(t.sink.messages.map((m) => m.to)).toEqual([['d1@example.org', 'd2@example.org']]);
    // Bcc never shows in the bytes.
    expect(t.sink.messages[0]!.raw.toString()).not.toMatch(/d2@example.org/);
  });
});

describe('what only the product may set, and attachment headers', () => {
  let t: OutboundTestApp;
  beforeAll(async () => {
    t = await startOutboundApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  test('an API key cannot pick a priority lane: kind is refused with its own code', async () => {
    const res = await t.api('POST', '/v1/messages', {
      to: ['lane@example.org'],
      subject: 's',
      text: 'x',
      kind: 'prompt',
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'kind_not_allowed', details: { field: 'kind' } });
    const batch = await t.api('POST', '/v1/messages/batch', {
      messages: [
        { to: ['a@example.org'], subject: 's', text: 'x' },
        { to: ['b@example.org'], subject: 's', text: 'x', kind: 'system' },
      ],
    });
    expect(batch.status).toBe(202);
    expect(batch.body.accepted.map((a: Json) => a.index)).toEqual([0]);
    expect(batch.body.errors).toMatchObject([{ index: 1, error: { code: 'kind_not_allowed' } }]);
    // The product's own code still names its lane.
    const own = await t.services.sendMessage({
      to: ['lane@example.org'],
      subject: 's',
      text: 'x',
      kind: 'prompt',
    });
    expect(own.status).toBe('queued');
  });

  test.each([
    ['content_type', 'text/plain\r\nBcc: victim@example.org', 'header_injection'],
    ['content_id', 'logo\r\nX-Injected: 1', 'header_injection'],
    ['content_type', 'not a media type', 'invalid_content_type'],
  ])('an attachment %s of %j is 422 %s', async (field, value, code) => {
    const res = await t.api('POST', '/v1/messages', {
      to: ['att@example.org'],
      subject: 's',
      text: 'x',
      attachments: [{ filename: 'a.txt', content: 'aGk=', [field]: value }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe(code);
  });
});
