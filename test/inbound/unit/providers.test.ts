import { ManualClock } from '../../../src/lib/clock.js';
import { mailgunEvents, mailgunInbound } from '../../../src/inbound/providers/mailgun.js';
import { SnsVerifier, isPinnedSnsUrl } from '../../../src/inbound/providers/sns.js';
import { sesInbound } from '../../../src/inbound/providers/ses.js';
import { postmarkInbound } from '../../../src/inbound/providers/postmark.js';
import { rebuildFromParsed, sendgridEvents } from '../../../src/inbound/providers/sendgrid.js';
import { parseMail } from '../../../src/inbound/parse-mail.js';
import type { FormPayload } from '../../../src/inbound/providers/types.js';
import {
  makeSendgridEventKeys,
  makeSnsCertificate,
  mailgunSignature,
  sendgridEventRequest,
  sesReceivedMessage,
  snsMessage,
} from '../../../scripts/providers/sign.js';

const form = (fields: Record<string, string | Buffer>): FormPayload => ({
  fields: new Map(
    Object.entries(fields).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)]),
  ),
  files: [],
});
const RAW = Buffer.from(
  'From: a@b.c\r\nTo: x@in.test\r\nSubject: hi\r\nMessage-ID: <m1@b.c>\r\n\r\nhello\r\n',
);

describe('mailgun', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const ts = String(now.getTime() / 1000 - 60);
  const ok = (over: Record<string, string> = {}) =>
    form({
      timestamp: ts,
      token: 't0k3n',
      signature: mailgunSignature('key-2', ts, 't0k3n'),
      'body-mime': RAW,
      recipient: 'x@in.test',
      ...over,
    });
  const opts = { signingKeys: ['key-1', 'key-2'], maxAgeSeconds: 12 * 3600, now };

  test('verifies with any rotated key and keeps the token as nonce', () => {
    const r = mailgunInbound(ok(), opts);
    expect(r.nonce).toBe('t0k3n');
    expect(r.inbound).toMatchObject({
      provider: 'mailgun',
      providerEventId: 't0k3n',
      envelope: { to: ['x@in.test'] },
    });
    expect(r.inbound.raw.equals(RAW)).toBe(true);
  });
  test('a retry 8 hours later still verifies', () => {
    expect(() =>
      mailgunInbound(ok(), { ...opts, now: new Date(now.getTime() + 8 * 3600_000) }),
    ).not.toThrow();
  });
  test.each([
    ['bad signature', { signature: 'ab'.repeat(32) }, 'invalid_signature'],
    ['stale', {}, 'stale_timestamp'],
    ['missing raw', { 'body-mime': '' }, 'raw_missing'],
  ])('%s → 406', (_n, over, code) => {
    const o = _n === 'stale' ? { ...opts, now: new Date(now.getTime() + 13 * 3600_000) } : opts;
    expect(() => mailgunInbound(ok(over as Record<string, string>), o)).toThrow(
      expect.objectContaining({ status: 406, code }),
    );
  });
});

describe('SNS', () => {
  const { certPem, keyPem } = makeSnsCertificate();
  const topic = 'arn:aws:sns:eu-west-1:123456789012:postroom-inbound';
  const clock = new ManualClock(new Date());
  const fetched: string[] = [];
  const verifier = new SnsVerifier({
    topicArns: [topic],
    clock,
    fetchCert: async (url) => {
      fetched.push(url);
      return certPem;
    },
  });
  const body = (m: Record<string, string>) => Buffer.from(JSON.stringify(m));

  test.each(['1', '2'] as const)(
    'signature v%s verifies and the cert is cached',
    async (version) => {
      const m = snsMessage(sesReceivedMessage(RAW, { recipients: ['x@in.test'] }), {
        keyPem,
        topicArn: topic,
        version,
      });
      const verified = await verifier.verify(body(m));
      const parsed = sesInbound(verified);
      expect(parsed.kind).toBe('mail');
      if (parsed.kind === 'mail') expect(parsed.inbound.raw.equals(RAW)).toBe(true);
    },
  );
  test('fetched the certificate once', () =>
    expect(fetched).toEqual([
      'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem',
    ]));

  test('base64 content is decoded', async () => {
    const m = snsMessage(sesReceivedMessage(RAW, { recipients: ['x@in.test'], base64: true }), {
      keyPem,
      topicArn: topic,
    });
    const parsed = sesInbound(await verifier.verify(body(m)));
    expect(parsed.kind === 'mail' && parsed.inbound.raw.equals(RAW)).toBe(true);
  });

  test.each([
    ['https://s3.amazonaws.com/evil/cert.pem', false],
    ['https://sns.us-east-1.amazonaws.com/cert.pem', false],
    ['http://sns.eu-west-1.amazonaws.com/cert.pem', false],
    ['https://sns.eu-west-1.amazonaws.com.evil.test/cert.pem', false],
    ['https://sns.eu-west-1.amazonaws.com:8443/cert.pem', false],
    ['https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem', true],
  ])('cert URL %s pinned=%s', (url, ok) => expect(isPinnedSnsUrl(url, topic, 'cert')).toBe(ok));

  test('a wrong cert host is refused before any fetch', async () => {
    const m = snsMessage('{}', {
      keyPem,
      topicArn: topic,
      certUrl: 'https://s3.amazonaws.com/x/cert.pem',
    });
    await expect(verifier.verify(body(m))).rejects.toMatchObject({
      status: 403,
      code: 'invalid_cert_url',
    });
  });
  test('a topic not on the list is refused', async () => {
    const m = snsMessage('{}', { keyPem, topicArn: 'arn:aws:sns:eu-west-1:123456789012:other' });
    await expect(verifier.verify(body(m))).rejects.toMatchObject({
      status: 403,
      code: 'topic_not_allowed',
    });
  });
  test('a tampered message fails the signature', async () => {
    const m = snsMessage(sesReceivedMessage(RAW, { recipients: ['x@in.test'] }), {
      keyPem,
      topicArn: topic,
    });
    m.Message = m.Message!.replace('hello', 'HELLO');
    await expect(verifier.verify(body(m))).rejects.toMatchObject({
      status: 403,
      code: 'invalid_signature',
    });
  });
  test('a message signed with another key fails', async () => {
    const other = makeSnsCertificate();
    const m = snsMessage('{}', { keyPem: other.keyPem, topicArn: topic });
    await expect(verifier.verify(body(m))).rejects.toMatchObject({ code: 'invalid_signature' });
  });
  test('a stale message is refused', async () => {
    const m = snsMessage('{}', {
      keyPem,
      topicArn: topic,
      timestamp: new Date(Date.now() - 2 * 3600_000),
    });
    await expect(verifier.verify(body(m))).rejects.toMatchObject({ code: 'stale_timestamp' });
  });
  test('a subscription confirmation is recognised', async () => {
    const m = snsMessage('confirm', { keyPem, topicArn: topic, type: 'SubscriptionConfirmation' });
    expect(sesInbound(await verifier.verify(body(m)))).toMatchObject({
      kind: 'subscribe',
      topicArn: topic,
    });
  });
  test('malformed JSON is 400', async () => {
    await expect(verifier.verify(Buffer.from('{nope'))).rejects.toMatchObject({
      status: 400,
      code: 'malformed_json',
    });
  });
});

describe('sendgrid parsed mode rebuild', () => {
  test('keeps headers, charset-specific text and attachments', async () => {
    const raw = rebuildFromParsed(
      form({
        headers:
          'From: Ana <ana@example.org>\r\nTo: x@in.test\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\nMessage-ID: <p1@example.org>\r\nContent-Type: multipart/alternative; boundary=zzz\r\n',
        text: Buffer.from('Déjà vu', 'latin1'),
        html: Buffer.from('<p>Déjà vu</p>', 'utf8'),
        charsets: JSON.stringify({ text: 'iso-8859-1', html: 'utf-8' }),
      }),
    )!;
    const mail = await parseMail(raw);
    expect(mail.subject).toBe('café');
    expect(mail.messageId).toBe('p1@example.org');
    expect(mail.text.trim()).toBe('Déjà vu');
    expect(mail.html).toContain('Déjà vu');
  });
});

describe('delivery event signatures', () => {
  test('sendgrid ECDSA verifies, rejects tampering and staleness', () => {
    const { publicKeyBase64, privateKey } = makeSendgridEventKeys();
    const now = new Date();
    const events = [
      {
        email: 'a@b.c',
        event: 'bounce',
        status: '5.1.1',
        sg_event_id: 'e1',
        'smtp-id': '<m1@postroom.test>',
        timestamp: 1,
      },
    ];
    const req = sendgridEventRequest(events, privateKey, Math.floor(now.getTime() / 1000));
    const batch = sendgridEvents(req.headers, req.body, {
      publicKeys: [publicKeyBase64],
      maxAgeSeconds: 86400,
      now,
    });
    expect(batch.events).toEqual([
      expect.objectContaining({
        type: 'bounced',
        bounce: 'hard',
        messageId: 'm1@postroom.test',
        eventId: 'e1',
      }),
    ]);
    expect(() =>
      sendgridEvents(req.headers, Buffer.from(req.body.toString().replace('a@b.c', 'z@b.c')), {
        publicKeys: [publicKeyBase64],
        maxAgeSeconds: 86400,
        now,
      }),
    ).toThrow(expect.objectContaining({ status: 403, code: 'invalid_signature' }));
    expect(() =>
      sendgridEvents(req.headers, req.body, {
        publicKeys: [publicKeyBase64],
        maxAgeSeconds: 86400,
        now: new Date(now.getTime() + 2 * 86400_000),
      }),
    ).toThrow(expect.objectContaining({ code: 'stale_timestamp' }));
  });

  test('mailgun event HMAC → 406 when wrong', () => {
    const now = new Date();
    const ts = String(Math.floor(now.getTime() / 1000));
    const body = (sig: string) =>
      Buffer.from(
        JSON.stringify({
          signature: { timestamp: ts, token: 'tk', signature: sig },
          'event-data': { event: 'failed', severity: 'temporary', recipient: 'A@b.c' },
        }),
      );
    const batch = mailgunEvents(body(mailgunSignature('k', ts, 'tk')), {
      signingKeys: ['k'],
      maxAgeSeconds: 3600,
      now,
    });
    expect(batch).toMatchObject({
      nonce: 'tk',
      events: [{ type: 'deferred', recipient: 'a@b.c' }],
    });
    expect(() =>
      mailgunEvents(body('00'), { signingKeys: ['k'], maxAgeSeconds: 3600, now }),
    ).toThrow(expect.objectContaining({ status: 406 }));
  });
});

describe('S3 fetch (SES S3 action)', () => {
  test('SigV4 matches the AWS documentation example', async () => {
    const { signS3Get } = await import('../../../src/inbound/providers/s3-fetch.js');
    const h = signS3Get(
      {
        region: 'us-east-1',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      'examplebucket.s3.amazonaws.com',
      '/test.txt',
      new Date('2013-05-24T00:00:00Z'),
      { Range: 'bytes=0-9' },
    );
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  test('fetches path-style from an S3-compatible endpoint, signed, within the size limit', async () => {
    const { createServer } = await import('node:http');
    const { createS3Fetcher } = await import('../../../src/inbound/providers/s3-fetch.js');
    const seen: Array<{ url?: string; auth?: string }> = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      res.end(req.url?.includes('big') ? Buffer.alloc(2000) : RAW);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const fetchS3 = createS3Fetcher({
      region: 'eu-west-1',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      endpoint: `http://127.0.0.1:${port}`,
      maxBytes: 1000,
    });
    try {
      expect((await fetchS3('mail-bucket', 'inbound/a b.eml')).equals(RAW)).toBe(true);
      expect(seen[0]!.url).toBe('/mail-bucket/inbound/a%20b.eml');
      expect(seen[0]!.auth).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
      );
      await expect(fetchS3('mail-bucket', 'big.eml')).rejects.toThrow('larger than 1000 bytes');
    } finally {
      server.close();
    }
  });
});

describe('postmark RawEmail', () => {
  const auth = { authorization: `Basic ${Buffer.from('pm:pw').toString('base64')}` };
  const raw = 'From: a@example.org\r\nSubject: café "quoted" \\ 😀\r\n\r\nhi\r\n';
  const inbound = (payload: string) => postmarkInbound(auth, Buffer.from(payload), ['pm:pw']);

  test('read as the UTF-8 bytes of the JSON string, escaped any way', () => {
    const plain = JSON.stringify({ MessageID: 'm1', RawEmail: raw });
    const escaped = plain.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    for (const body of [plain, escaped]) expect(inbound(body).raw.toString('utf8')).toBe(raw);
  });

  test('a nested key of the same name, or a second one, reads as JSON.parse reads it', () => {
    const nestedFirst = `{"Meta":{"RawEmail":"not this"},"RawEmail":${JSON.stringify(raw)}}`;
    expect(inbound(nestedFirst).raw.toString('utf8')).toBe(raw);
    const twice = `{"RawEmail":"first","RawEmail":${JSON.stringify(raw)}}`;
    expect(inbound(twice).raw.toString('utf8')).toBe(raw);
  });

  test('missing or empty: 422 raw_email_missing; broken JSON: 400 malformed_json', () => {
    expect(() => inbound('{"RawEmail":""}')).toThrow(
      expect.objectContaining({ code: 'raw_email_missing' }),
    );
    expect(() => inbound('{"MessageID":"m"}')).toThrow(
      expect.objectContaining({ code: 'raw_email_missing' }),
    );
    expect(() => inbound('{"RawEmail":"x\u0001\n"')).toThrow(
      expect.objectContaining({ code: 'malformed_json' }),
    );
    expect(() => inbound('{"RawEmail":"ok", oops}')).toThrow(
      expect.objectContaining({ code: 'malformed_json' }),
    );
  });
});
