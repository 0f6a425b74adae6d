/**
 * Bad bytes never get a 5xx (issue 14, hole 3), end to end on the whole app:
 * - inbound: NUL, lone surrogates and invalid UTF-8 in every provider's fields are made safe,
 *   the raw bytes are kept exactly as sent, and the message is processed once, normally, with
 *   the repaired fields named;
 * - the API refuses such text with 422 `invalid_characters` naming the field, nesting past the
 *   documented depth with 400 `json_too_deep`, broken multipart with 400 `malformed_multipart`.
 */
import { adminKey, startTestApp, type TestApp } from '../support/app.js';
import {
  basicAuth,
  encodeMultipart,
  mailgunMimeRequest,
  postmarkEventRequest,
  postmarkRequest,
  relayRequest,
  sendgridRawRequest,
  type HttpRequest,
} from '../../scripts/providers/sign.js';

/** Response bodies are read loosely here; each assertion states the shape it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let app: TestApp;
let key: string;

beforeAll(async () => {
  app = await startTestApp({
    env: {
      INBOUND_DOMAIN: 'in.bytes.test',
      INBOUND_REJECTION_MAIL: 'false',
      RELAY_TOKENS: 'relay',
      SENDGRID_INBOUND_AUTH: 'sg:pw',
      MAILGUN_SIGNING_KEYS: 'mg-key',
      POSTMARK_INBOUND_AUTH: 'pm:pw',
      POSTMARK_WEBHOOK_AUTH: 'hooks:pw',
      MAIL_FROM: 'Postroom <noreply@bytes.test>',
    },
  });
  key = await adminKey(app, 'bytes');
});
afterAll(() => app.stop());

async function post(req: HttpRequest) {
  const res = await fetch(app.baseUrl + req.path, {
    method: 'POST',
    headers: req.headers,
    body: req.body,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const api = (path: string, body: string | Buffer, type = 'application/json') =>
  post({
    path,
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    body: Buffer.from(body),
  });

async function settled(id: string) {
  for (let i = 0; i < 300; i++) {
    const { rows } = await app.db.pool.query('SELECT * FROM inbound_emails WHERE id = $1', [id]);
    if (['processed', 'ignored', 'failed'].includes(rows[0]?.status)) return rows[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('not settled');
}

describe('inbound: repaired, stored as sent, processed once', () => {
  test('a relay message with NUL in Subject, body and Message-ID, and bytes that are not UTF-8', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        'From: Ana <ana@example.org>\r\nTo: hello@in.bytes.test\r\nSubject: Re: pay\u0000ment ',
      ),
      Buffer.from([0xff, 0xc3]),
      Buffer.from(
        '\r\nMessage-ID: <nul\u0000id@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSent \u0000 it.\r\n',
      ),
    ]);
    const res = await post(relayRequest(raw, { token: 'relay', to: ['hello@in.bytes.test'] }));
    expect(res.status).toBe(200);
    const row = await settled(res.body.id);
    expect(row).toMatchObject({ attempts: 1, last_error: null, message_id: 'nulid@example.org' });
    expect(['processed', 'ignored']).toContain(row.status);
    expect(row.repaired_fields).toEqual(expect.arrayContaining(['message_id', 'subject', 'text']));
    expect(row.subject).not.toContain('\u0000');
    const stored = await app.db.pool.query(
      'SELECT raw FROM inbound_email_raw WHERE inbound_email_id = $1',
      [res.body.id],
    );
    expect(stored.rows[0].raw.equals(raw)).toBe(true);
  });

  test('Postmark OriginalRecipient and StrippedTextReply, a signed Mailgun recipient: NUL and lone surrogates', async () => {
    const eml = (n: number) =>
      Buffer.from(
        `From: a@example.org\r\nTo: b@in.bytes.test\r\nMessage-ID: <p${n}@example.org>\r\nSubject: s\r\n\r\nhi\r\n`,
      );
    const pm = postmarkRequest(eml(1), { auth: 'pm:pw', to: 'b\u0000@in.bytes.test' });
    const pmBody = JSON.parse(pm.body.toString()) as Record<string, string>;
    pmBody.StrippedTextReply = 'half an emoji \ud83d';
    const results = [
      await post({ ...pm, body: Buffer.from(JSON.stringify(pmBody)) }),
      await post(
        mailgunMimeRequest(eml(3), {
          key: 'mg-key',
          recipient: 'b\u0000@in.bytes.test, c\ud800@in.bytes.test',
        }),
      ),
    ];
    expect(results.map((r) => [r.status, r.body.status])).toEqual([
      [200, 'accepted'],
      [200, 'accepted'],
    ]);
    const { rows } = await app.db.pool.query(
      `SELECT provider, envelope_to, extras, repaired_fields FROM inbound_emails WHERE id = ANY($1) ORDER BY provider`,
      [results.map((r) => r.body.id)],
    );
    expect(rows.map((r) => [r.provider, r.repaired_fields])).toEqual([
      ['mailgun', ['envelope.to']],
      ['postmark', ['envelope.to', 'extras']],
    ]);
    expect(rows[0].envelope_to).toEqual(['b@in.bytes.test', 'c\ufffd@in.bytes.test']);
    expect(rows[1].extras).toEqual({ stripped_text: 'half an emoji \ufffd' });
  });

  test('SendGrid SPF holding a NUL byte is stored repaired', async () => {
    const req = sendgridRawRequest(
      Buffer.from('From: a@example.org\r\nMessage-ID: <spf@x>\r\n\r\nhi\r\n'),
      {
        auth: 'sg:pw',
        to: ['b@in.bytes.test'],
      },
    );
    const body = Buffer.from(
      req.body.toString('latin1').replace('\r\n\r\npass\r\n', '\r\n\r\npa\u0000ss\r\n'),
      'latin1',
    );
    const res = await post({ ...req, body });
    expect(res.status).toBe(200);
    const { rows } = await app.db.pool.query(
      'SELECT verdicts, repaired_fields FROM inbound_emails WHERE id = $1',
      [res.body.id],
    );
    expect(rows[0]).toEqual({
      verdicts: expect.objectContaining({ spf: 'pass' }),
      repaired_fields: ['verdicts'],
    });
  });

  test('a delivery event with NUL and lone surrogates is stored, 200', async () => {
    const res = await post(
      postmarkEventRequest(
        {
          RecordType: 'Bounce',
          Type: 'HardBounce',
          ID: 77,
          MessageID: 'x\u0000',
          Email: 'e\u0000@example.net',
          Description: 'bad \ud800',
          BouncedAt: new Date().toISOString(),
        },
        'hooks:pw',
      ),
    );
    expect(res).toMatchObject({ status: 200, body: { stored: 1 } });
    const { rows } = await app.db.pool.query(
      `SELECT recipient, reason FROM provider_events WHERE event_id = '77'`,
    );
    expect(rows).toEqual([{ recipient: 'e@example.net', reason: 'bad \ufffd' }]);
  });

  test('JSON nested past the documented depth: 400 json_too_deep', async () => {
    const deep = `{"RecordType":"Bounce","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const res = await post({
      path: '/events/postmark',
      headers: { 'content-type': 'application/json', authorization: basicAuth('hooks:pw') },
      body: Buffer.from(deep),
    });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'json_too_deep' } } });
  });
});

describe('a Postmark Unsubscribe bounce is an unsubscribe with a suppression', () => {
  test('the message gets provider.unsubscribed and the address a suppression', async () => {
    const sent = await api(
      '/v1/messages',
      JSON.stringify({
        to: 'leaver@example.net',
        subject: 'News',
        text: 'hello',
        stream: 'broadcast',
      }),
    );
    expect(sent.status).toBe(202);
    await app.db.pool.query(
      `UPDATE outbound_messages SET provider_message_id = 'pm-unsub-1' WHERE id = $1`,
      [sent.body.id],
    );
    const res = await post(
      postmarkEventRequest(
        {
          RecordType: 'Bounce',
          Type: 'Unsubscribe',
          ID: 4242,
          MessageID: 'pm-unsub-1',
          Email: 'leaver@example.net',
          BouncedAt: new Date().toISOString(),
        },
        'hooks:pw',
      ),
    );
    expect(res).toMatchObject({ status: 200, body: { received: 1, stored: 1, matched: 1 } });
    const events = await app.db.pool.query(
      `SELECT type FROM message_events WHERE message_id = $1 AND type LIKE 'provider.%'`,
      [sent.body.id],
    );
    expect(events.rows).toEqual([{ type: 'provider.unsubscribed' }]);
    const sup = await app.db.pool.query(
      `SELECT reason, scope FROM suppressions WHERE address = 'leaver@example.net'`,
    );
    expect(sup.rows).toEqual([{ reason: 'unsubscribe', scope: 'broadcast' }]);
  });
});

describe('API: 422 invalid_characters naming the field, 400 for depth and broken multipart', () => {
  const message = (extra: string) => `{"to":"ana@example.org","subject":"hi","text":"ok"${extra}}`;
  test.each([
    ['text', message(',"text":"a\\u0000b"')],
    ['metadata.order', message(',"metadata":{"order":"\\u0000"}')],
    ['metadata.a\\u0000', message(',"metadata":{"a\\u0000":1}').replace('a\\\\u0000', 'a\\u0000')],
    ['tags[1]', message(',"tags":["ok","\\ud800"]')],
    ['idempotency_key', message(',"idempotency_key":"k\\u0000"')],
    ['subject', message('').replace('"hi"', '"lone \\udc00 surrogate"')],
  ])('%s', async (field, body) => {
    const res = await api('/v1/messages', body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_characters');
    if (!field.includes('\\u0000')) expect(res.body.error.details).toEqual({ field });
  });

  test('bytes that are not UTF-8 name the field they are in', async () => {
    const body = Buffer.concat([
      Buffer.from('{"to":"ana@example.org","subject":"x'),
      Buffer.from([0xff]),
      Buffer.from('","text":"t"}'),
    ]);
    const res = await api('/v1/messages', body);
    expect(res).toMatchObject({
      status: 422,
      body: { error: { code: 'invalid_characters', details: { field: 'subject' } } },
    });
  });

  test('metadata nested 10,000 levels: 400 json_too_deep, not a RangeError', async () => {
    const res = await api(
      '/v1/messages',
      message(`,"metadata":{"a":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_001)}`),
    );
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: 'json_too_deep', details: { max_depth: 64 } } },
    });
  });

  test('broken multipart: 400 malformed_multipart', async () => {
    const form = encodeMultipart([['message', message('')]]);
    const cases = [
      [form.contentType, form.body.subarray(0, form.body.length - 20)], // Unexpected end of form
      ['multipart/form-data', form.body], // Boundary not found
      [
        form.contentType,
        Buffer.from(form.body.toString().replace('Content-Disposition:', 'Content-Disposition')),
      ], // Malformed part header
    ] as const;
    for (const [type, body] of cases) {
      const res = await api('/v1/messages', body, type);
      expect([res.status, res.body.error.code]).toEqual([400, 'malformed_multipart']);
    }
  });

  test('a wrong or missing content type is a 415 with a code', async () => {
    expect(await api('/v1/messages', message(''), 'text/plain')).toMatchObject({
      status: 415,
      body: { error: { code: 'unsupported_media_type' } },
    });
    const res = await fetch(`${app.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: message(''),
    });
    expect(res.status).toBe(415);
  });

  test('a NUL in the query string: 422 naming the parameter', async () => {
    const res = await fetch(`${app.baseUrl}/v1/messages?tag=a%00b`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_characters', details: { field: 'query.tag' } },
    });
  });

  test('a webhook at an IPv4-mapped loopback address is refused when registered', async () => {
    for (const url of [
      'http://[::ffff:127.0.0.1]:8080/',
      'http://[::ffff:7f00:1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[::127.0.0.1]/',
    ]) {
      const res = await api('/v1/webhooks', JSON.stringify({ url, events: ['message.sent'] }));
      expect([url, res.status, res.body.error?.code]).toEqual([url, 422, 'webhook_url_refused']);
    }
  });
});

test('the OpenAPI document names these answers on every operation', async () => {
  type Operation = { requestBody?: unknown; responses: Record<string, { description: string }> };
  const doc = (await (await fetch(`${app.baseUrl}/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
  expect(operations.length).toBeGreaterThan(30);
  for (const op of operations) {
    expect(op.responses['422']?.description).toContain('invalid_characters');
    expect(op.responses['503']).toMatchObject({ headers: { 'Retry-After': expect.anything() } });
    if (op.requestBody) expect(op.responses['400']?.description).toContain('json_too_deep');
  }
});
