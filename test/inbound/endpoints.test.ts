/**
 * Every provider endpoint against real Postgres: valid → 2xx and stored, and each way a
 * request can be wrong gets that provider's status and a machine-readable code.
 */
import { randomBytes } from 'node:crypto';
import {
  basicAuth,
  encodeMultipart,
  mailgunMimeRequest,
  makeSnsCertificate,
  postmarkRequest,
  relayRequest,
  sendgridParsedRequest,
  sendgridRawRequest,
  sesReceivedMessage,
  sesRequest,
  snsMessage,
  type HttpRequest,
} from '../../scripts/providers/sign.js';
import { startHarness, type Harness } from './support/harness.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:postroom-inbound';
const MAX = 64 * 1024;
const { certPem, keyPem } = makeSnsCertificate();
let h: Harness;
const fetchedCerts: string[] = [];
const snsGets: string[] = [];
const s3Objects = new Map<string, Buffer>();

let n = 0;
function eml(extra = ''): Buffer {
  n++;
  return Buffer.from(
    `From: Ana <ana@example.org>\r\nTo: updates@in.postroom.test\r\nSubject: test ${n}\r\nMessage-ID: <m${n}.${randomBytes(4).toString('hex')}@example.org>\r\n\r\nhello ${n}${extra}\r\n`,
  );
}
const big = () => eml('x'.repeat(MAX + 10));

async function storedRaw(id: unknown): Promise<Buffer> {
  const { rows } = await h.db.pool.query<{ raw: Buffer }>(
    'SELECT raw FROM inbound_email_raw WHERE inbound_email_id = $1',
    [id],
  );
  return rows[0]!.raw;
}

beforeAll(async () => {
  h = await startHarness(
    {
      MAILGUN_SIGNING_KEYS: 'mg-old-key,mg-key',
      SENDGRID_INBOUND_AUTH: 'sg:secret-1,sg:secret-2',
      POSTMARK_INBOUND_AUTH: 'pm:secret',
      SES_TOPIC_ARNS: TOPIC,
      RELAY_TOKENS: 'relay-token-1',
      INBOUND_MAX_BYTES: String(MAX),
    },
    {
      fetchCert: async (url) => {
        fetchedCerts.push(url);
        return certPem;
      },
      fetchS3: async (bucket, key) => {
        const body = s3Objects.get(`${bucket}/${key}`);
        if (!body) throw new Error('NoSuchKey');
        return body;
      },
      snsGet: async (url) => {
        snsGets.push(url);
        return { status: 200 };
      },
    },
  );
});
afterAll(async () => h.stop());

describe('SendGrid /inbound/sendgrid', () => {
  test('raw mode → 200 and the exact bytes are stored', async () => {
    const raw = eml();
    const res = await h.post(
      sendgridRawRequest(raw, { auth: 'sg:secret-2', to: ['updates@in.postroom.test'] }),
    );
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect((await storedRaw(res.body.id)).equals(raw)).toBe(true);
    const { rows } = await h.db.pool.query(
      'SELECT provider, status, envelope_to, verdicts FROM inbound_emails WHERE id = $1',
      [res.body.id],
    );
    expect(rows[0]).toMatchObject({
      provider: 'sendgrid',
      status: 'received',
      envelope_to: ['updates@in.postroom.test'],
      verdicts: { spf: 'pass', spam_score: '0.1' },
    });
  });
  test('parsed mode is rebuilt into MIME with its attachment', async () => {
    const res = await h.post(
      sendgridParsedRequest({
        auth: 'sg:secret-1',
        headers:
          'From: ana@example.org\r\nTo: updates@in.postroom.test\r\nSubject: parsed\r\nMessage-ID: <parsed-1@example.org>\r\n',
        text: Buffer.from('Caf\xe9 ouvert', 'latin1'),
        charsets: { text: 'iso-8859-1' },
        to: ['updates@in.postroom.test'],
        attachments: [
          { filename: 'notes.txt', contentType: 'text/plain', content: Buffer.from('attached') },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const raw = (await storedRaw(res.body.id)).toString('latin1');
    expect(raw).toContain('Message-ID: <parsed-1@example.org>');
    expect(raw).toContain('charset="iso-8859-1"');
    expect(raw).toContain('filename="notes.txt"');
  });
  test('bad credentials → 401', async () => {
    const res = await h.post(sendgridRawRequest(eml(), { auth: 'sg:wrong', to: [] }));
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
  });
  test('no raw and no headers → 400 raw_missing', async () => {
    const form = encodeMultipart([
      ['envelope', '{"to":[]}'],
      ['SPF', 'pass'],
    ]);
    const res = await h.post({
      path: '/inbound/sendgrid',
      headers: { 'content-type': form.contentType, authorization: basicAuth('sg:secret-1') },
      body: form.body,
    });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'raw_missing' } } });
  });
  test('oversize → 413', async () => {
    const res = await h.post(sendgridRawRequest(big(), { auth: 'sg:secret-1', to: [] }));
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });
  test('malformed multipart → 400 malformed_multipart', async () => {
    const res = await h.post({
      path: '/inbound/sendgrid',
      headers: {
        'content-type': 'multipart/form-data; boundary=zzz',
        authorization: basicAuth('sg:secret-1'),
      },
      body: Buffer.from(
        '--zzz\r\nContent-Disposition: form-data; name="email"\r\n\r\nunterminated',
      ),
    });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'malformed_multipart' } } });
  });
});

describe('Mailgun /inbound/mailgun/mime', () => {
  test('valid → 200, stored, envelope kept', async () => {
    const raw = eml();
    const res = await h.post(
      mailgunMimeRequest(raw, { key: 'mg-key', recipient: 'updates@in.postroom.test' }),
    );
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect((await storedRaw(res.body.id)).equals(raw)).toBe(true);
  });
  test('bad signature → 406', async () => {
    const res = await h.post(
      mailgunMimeRequest(eml(), { key: 'not-the-key', recipient: 'x@in.postroom.test' }),
    );
    expect(res).toMatchObject({ status: 406, body: { error: { code: 'invalid_signature' } } });
  });
  test('a timestamp 13 h old → 406 stale_timestamp; 8 h old is still accepted', async () => {
    const old = Math.floor(Date.now() / 1000);
    expect(
      await h.post(
        mailgunMimeRequest(eml(), {
          key: 'mg-key',
          recipient: 'x@in.postroom.test',
          timestamp: old - 13 * 3600,
        }),
      ),
    ).toMatchObject({
      status: 406,
      body: { error: { code: 'stale_timestamp' } },
    });
    expect(
      (
        await h.post(
          mailgunMimeRequest(eml(), {
            key: 'mg-key',
            recipient: 'x@in.postroom.test',
            timestamp: old - 8 * 3600,
          }),
        )
      ).status,
    ).toBe(200);
  });
  test('a replayed token with another body → 200 duplicate, no second row', async () => {
    const token = randomBytes(25).toString('hex');
    const first = await h.post(
      mailgunMimeRequest(eml(), { key: 'mg-key', recipient: 'x@in.postroom.test', token }),
    );
    const before = await h.count();
    const replay = await h.post(
      mailgunMimeRequest(eml('forged'), { key: 'mg-key', recipient: 'x@in.postroom.test', token }),
    );
    expect(replay).toMatchObject({ status: 200, body: { status: 'duplicate', id: first.body.id } });
    expect(await h.count()).toBe(before);
  });
  test('no body-mime → 406 raw_missing', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const req = mailgunMimeRequest(eml(), {
      key: 'mg-key',
      recipient: 'x@in.postroom.test',
      timestamp: Number(ts),
    });
    const stripped = Buffer.from(
      req.body
        .toString('latin1')
        .replace(/name="body-mime"[\s\S]*?\r\n--/, 'name="body-plain"\r\n\r\nhi\r\n--'),
      'latin1',
    );
    const res = await h.post({ ...req, body: stripped });
    expect(res).toMatchObject({ status: 406, body: { error: { code: 'raw_missing' } } });
  });
  test('oversize → 413', async () => {
    expect(
      (await h.post(mailgunMimeRequest(big(), { key: 'mg-key', recipient: 'x@in.postroom.test' })))
        .status,
    ).toBe(413);
  });
  test('not a form → 415; broken multipart → 400', async () => {
    expect(
      await h.post({
        path: '/inbound/mailgun/mime',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{}'),
      }),
    ).toMatchObject({
      status: 415,
      body: { error: { code: 'unsupported_media_type' } },
    });
    expect(
      await h.post({
        path: '/inbound/mailgun/mime',
        headers: { 'content-type': 'multipart/form-data; boundary=q' },
        body: Buffer.from('--q\r\nbroken'),
      }),
    ).toMatchObject({ status: 400, body: { error: { code: 'malformed_multipart' } } });
  });
});

describe('Postmark /inbound/postmark', () => {
  test('valid → 200; the same Postmark MessageID again → duplicate', async () => {
    const raw = eml();
    const req = postmarkRequest(raw, { auth: 'pm:secret', to: 'updates@in.postroom.test' });
    const res = await h.post(req);
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect((await storedRaw(res.body.id)).equals(raw)).toBe(true);
    expect(await h.post(req)).toMatchObject({
      status: 200,
      body: { status: 'duplicate', id: res.body.id },
    });
  });
  test('bad credentials → 403 (stops Postmark retries)', async () => {
    expect(
      await h.post(postmarkRequest(eml(), { auth: 'pm:nope', to: 'x@in.postroom.test' })),
    ).toMatchObject({
      status: 403,
      body: { error: { code: 'invalid_credentials' } },
    });
  });
  test('no RawEmail → 422 with a hint', async () => {
    const res = await h.post(
      postmarkRequest(null, { auth: 'pm:secret', to: 'x@in.postroom.test' }),
    );
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'raw_email_missing' } } });
    expect(String((res.body.error as { message: string }).message)).toContain(
      'Include raw email content',
    );
  });
  test('malformed JSON → 400 malformed_json', async () => {
    const res = await h.post({
      path: '/inbound/postmark',
      headers: { 'content-type': 'application/json', authorization: basicAuth('pm:secret') },
      body: Buffer.from('{"RawEmail":'),
    });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'malformed_json' } } });
  });
  test('oversize → 413', async () => {
    expect(
      (await h.post(postmarkRequest(big(), { auth: 'pm:secret', to: 'x@in.postroom.test' })))
        .status,
    ).toBe(413);
  });
});

describe('SES /inbound/ses', () => {
  const sns = (
    raw: Buffer,
    over: Parameters<typeof snsMessage>[1] extends infer O ? Partial<O> : never = {},
    mailId?: string,
  ) =>
    sesRequest(
      snsMessage(
        sesReceivedMessage(raw, { recipients: ['updates@in.postroom.test'], messageId: mailId }),
        { keyPem, topicArn: TOPIC, ...over },
      ),
    );

  test.each(['1', '2'] as const)('signature v%s → 200 and stored', async (version) => {
    const raw = eml();
    const res = await h.post(sns(raw, { version }));
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect((await storedRaw(res.body.id)).equals(raw)).toBe(true);
    expect(fetchedCerts.length).toBe(1);
  });
  test('a wrong certificate host → 403 invalid_cert_url', async () => {
    expect(
      await h.post(sns(eml(), { certUrl: 'https://s3.amazonaws.com/bucket/cert.pem' })),
    ).toMatchObject({
      status: 403,
      body: { error: { code: 'invalid_cert_url' } },
    });
  });
  test('a topic not on the list → 403 topic_not_allowed', async () => {
    expect(
      await h.post(sns(eml(), { topicArn: 'arn:aws:sns:eu-west-1:123456789012:someone-else' })),
    ).toMatchObject({
      status: 403,
      body: { error: { code: 'topic_not_allowed' } },
    });
  });
  test('a bad signature → 403; a stale one → 403 stale_timestamp', async () => {
    const m = snsMessage(sesReceivedMessage(eml(), { recipients: ['x@in.postroom.test'] }), {
      keyPem,
      topicArn: TOPIC,
    });
    m.Message = m.Message!.replace('hello', 'HELLO');
    expect(await h.post(sesRequest(m))).toMatchObject({
      status: 403,
      body: { error: { code: 'invalid_signature' } },
    });
    expect(
      await h.post(sns(eml(), { timestamp: new Date(Date.now() - 3 * 3600_000) })),
    ).toMatchObject({
      status: 403,
      body: { error: { code: 'stale_timestamp' } },
    });
  });
  test('a redelivered notification (same SES messageId) → duplicate', async () => {
    const raw = eml();
    const first = await h.post(sns(raw, {}, 'ses-mail-1'));
    expect(await h.post(sns(raw, {}, 'ses-mail-1'))).toMatchObject({
      status: 200,
      body: { status: 'duplicate', id: first.body.id },
    });
  });
  test('no content and no S3 object → 422 raw_missing', async () => {
    const inner = JSON.parse(
      sesReceivedMessage(eml(), { recipients: ['x@in.postroom.test'] }),
    ) as Record<string, unknown>;
    delete inner.content;
    expect(
      await h.post(sesRequest(snsMessage(JSON.stringify(inner), { keyPem, topicArn: TOPIC }))),
    ).toMatchObject({
      status: 422,
      body: { error: { code: 'raw_missing' } },
    });
  });
  test('an S3 action notification → the object is fetched and stored', async () => {
    const raw = eml();
    s3Objects.set('mail-bucket/inbound/abc', raw);
    const inner = JSON.parse(sesReceivedMessage(raw, { recipients: ['x@in.postroom.test'] })) as {
      content?: string;
      receipt: { action: unknown };
    };
    delete inner.content;
    inner.receipt.action = { type: 'S3', bucketName: 'mail-bucket', objectKey: 'inbound/abc' };
    const res = await h.post(
      sesRequest(snsMessage(JSON.stringify(inner), { keyPem, topicArn: TOPIC })),
    );
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect((await storedRaw(res.body.id)).equals(raw)).toBe(true);
  });
  test('malformed JSON → 400; oversize → 413', async () => {
    expect(
      await h.post({
        path: '/inbound/ses',
        headers: { 'content-type': 'text/plain' },
        body: Buffer.from('{'),
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'malformed_json' } },
    });
    expect((await h.post(sns(big()))).status).toBe(413);
  });
  test('a subscription confirmation is answered 200 and confirmed by a job', async () => {
    const m = snsMessage('You have chosen to subscribe', {
      keyPem,
      topicArn: TOPIC,
      type: 'SubscriptionConfirmation',
    });
    expect(await h.post(sesRequest(m))).toMatchObject({
      status: 200,
      body: { status: 'confirming' },
    });
    const { rows } = await h.db.pool.query<{ data: { subscribeUrl: string } }>(
      `SELECT data FROM pgboss.job WHERE name = 'inbound.sns-confirm'`,
    );
    expect(rows.map((r) => r.data.subscribeUrl)).toEqual([m.SubscribeURL]);
  });
});

describe('relay /inbound/relay', () => {
  test('valid → 200 with the envelope from headers', async () => {
    const raw = eml();
    const res = await h.post(
      relayRequest(raw, { token: 'relay-token-1', to: ['reply+x@in.postroom.test'], from: '' }),
    );
    expect(res).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const { rows } = await h.db.pool.query(
      'SELECT envelope_from, envelope_to FROM inbound_emails WHERE id = $1',
      [res.body.id],
    );
    expect(rows[0]).toEqual({ envelope_from: '', envelope_to: ['reply+x@in.postroom.test'] });
  });
  test('bad token → 401; wrong type → 415; empty → 400; oversize → 413', async () => {
    expect((await h.post(relayRequest(eml(), { token: 'nope' }))).status).toBe(401);
    const wrongType: HttpRequest = { ...relayRequest(eml(), { token: 'relay-token-1' }) };
    wrongType.headers = { ...wrongType.headers, 'content-type': 'text/plain' };
    expect(await h.post(wrongType)).toMatchObject({
      status: 415,
      body: { error: { code: 'unsupported_media_type' } },
    });
    expect(await h.post(relayRequest(Buffer.alloc(0), { token: 'relay-token-1' }))).toMatchObject({
      status: 400,
      body: { error: { code: 'raw_missing' } },
    });
    expect((await h.post(relayRequest(big(), { token: 'relay-token-1' }))).status).toBe(413);
  });

  test('a chunked body with no Content-Length is cut at the limit: 413, then the next post is served', async () => {
    const chunked = async (req: HttpRequest) => {
      const body = new ReadableStream({
        start(c) {
          for (let i = 0; i < req.body.length; i += 8192) c.enqueue(req.body.subarray(i, i + 8192));
          c.close();
        },
      });
      const res = await fetch(h.baseUrl + req.path, {
        method: 'POST',
        headers: req.headers,
        body,
        duplex: 'half',
      } as RequestInit);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const tooLarge = { status: 413, body: { error: { code: 'payload_too_large' } } };
    expect(await chunked(relayRequest(big(), { token: 'relay-token-1' }))).toMatchObject(tooLarge);
    expect(
      await chunked(mailgunMimeRequest(big(), { key: 'mg-key', recipient: 'x@in.postroom.test' })),
    ).toMatchObject(tooLarge);
    expect(await chunked(relayRequest(eml(), { token: 'relay-token-1' }))).toMatchObject({
      status: 200,
      body: { status: 'accepted' },
    });
  });
});

describe('dedupe and configuration', () => {
  test('retry storm: the same payload 10× at once → exactly 1 row', async () => {
    const raw = eml();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.post(relayRequest(raw, { token: 'relay-token-1' }))),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.status === 'accepted')).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const { rows } = await h.db.pool.query(
      'SELECT count(*)::int AS n FROM inbound_emails WHERE id = $1',
      [results[0]!.body.id],
    );
    expect(rows[0].n).toBe(1);
  });
  test('retry storm on Mailgun (one token) → exactly 1 row', async () => {
    const req = mailgunMimeRequest(eml(), { key: 'mg-key', recipient: 'x@in.postroom.test' });
    const before = await h.count();
    const results = await Promise.all(Array.from({ length: 10 }, () => h.post(req)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await h.count()).toBe(before + 1);
  });
  test('a message without Message-ID gets one synthesised from its sha256', async () => {
    const raw = Buffer.from('From: a@example.org\r\nSubject: no id\r\n\r\nbody\r\n');
    const res = await h.post(relayRequest(raw, { token: 'relay-token-1' }));
    const { rows } = await h.db.pool.query(
      'SELECT message_id, message_id_synthesized, sha256 FROM inbound_emails WHERE id = $1',
      [res.body.id],
    );
    expect(rows[0].message_id_synthesized).toBe(true);
    expect(rows[0].message_id).toBe(`${rows[0].sha256}@synthesized.postroom`);
  });
  test('an unconfigured endpoint → 404 endpoint_disabled', async () => {
    expect(
      await h.post({
        path: '/events/sendgrid',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('[]'),
      }),
    ).toMatchObject({
      status: 404,
      body: { error: { code: 'endpoint_disabled' } },
    });
  });
  test('each stored message has its processing job', async () => {
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'inbound.process'`,
    );
    expect(rows[0]!.n).toBe(await h.count());
  });
});
