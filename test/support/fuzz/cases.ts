/**
 * One fuzz request per generated case. Provider endpoints are signed as the provider signs
 * (Basic, bearer, Mailgun HMAC, SendGrid ECDSA, SNS RSA) in most cases, so the body reaches
 * the parsers behind authentication; the rest go unsigned. Then any case may be mutated:
 * truncated, oversized, given a wrong or no content type, a huge header, or nested JSON.
 */
import { createSign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import {
  basicAuth,
  encodeMultipart,
  mailgunSignature,
  snsMessage,
  type FormValue,
} from '../../../scripts/providers/sign.js';
import type { Endpoint } from './routes.js';
import {
  anyJson,
  bytes,
  deepJson,
  fromSchema,
  mimeish,
  nastyBytes,
  nastyString,
} from './values.js';

/** Over the fuzz app's INBOUND_MAX_BYTES (64 KB) and the 100 kB JSON limits. */
export const OVERSIZE = 110 * 1024;

export interface FuzzCase {
  method: string;
  /** The route as the router declares it (`/v1/messages/:id`). */
  route: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  note: string;
}

export interface FuzzKeys {
  apiKey: string;
  relayToken: string;
  sendgridAuth: string;
  mailgunKey: string;
  postmarkAuth: string;
  sesTopic: string;
  snsKeyPem: string;
  sendgridEventKey: KeyObject;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null');
const now = () => Math.floor(Date.now() / 1000);

/** Header values as Node's client sends them: latin1, no control characters. */
const headerValue = nastyString.map((s) =>
  [...Buffer.from(s, 'utf8').toString('latin1')]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\u007f')
    .join(''),
);

const formFields = (extra: fc.Arbitrary<Array<[string, FormValue]>>) =>
  fc
    .tuple(extra, fc.array(fc.tuple(nastyString, nastyBytes), { maxLength: 3 }), fc.boolean())
    .map(([fields, junk, asFile]) => {
      const all: Array<[string, FormValue]> = [
        ...fields,
        ...junk.map(([k, v]) => [k, v] as [string, FormValue]),
      ];
      if (asFile && all.length > 0) {
        const [name, value] = all[0]!;
        all[0] = [
          name,
          {
            filename: 'f\\x.eml',
            contentType: 'message/rfc822',
            content: Buffer.from(value as Buffer),
          },
        ];
      }
      return encodeMultipart(all);
    });

const eventTypes = fc.constantFrom(
  'delivered',
  'bounce',
  'dropped',
  'deferred',
  'open',
  'click',
  'spamreport',
  'unsubscribe',
  'group_resubscribe',
  'processed',
  'failed',
  'accepted',
  'complained',
  'stored',
  'brand_new_type',
);

/** A body for one provider endpoint, signed as that provider signs it. */
function providerBody(
  path: string,
  k: FuzzKeys,
): fc.Arbitrary<Omit<FuzzCase, 'method' | 'route' | 'path' | 'note'>> {
  switch (path) {
    case '/inbound/relay':
      return fc.tuple(mimeish, headerValue, headerValue).map(([raw, to, from]) => ({
        headers: {
          'content-type': 'message/rfc822',
          authorization: `Bearer ${k.relayToken}`,
          'x-envelope-to': to,
          'x-envelope-from': from,
        },
        body: raw,
      }));
    case '/inbound/sendgrid':
      return formFields(
        fc
          .record({
            email: mimeish,
            spf: nastyBytes,
            envelope: anyJson,
            headers: nastyBytes,
            text: nastyBytes,
            info: anyJson,
            parsed: fc.boolean(),
          })
          .map((f): Array<[string, FormValue]> => [
            ['envelope', json(f.envelope)],
            ['SPF', f.spf],
            ['charsets', json({ text: 'utf-8' })],
            ...(f.parsed
              ? ([
                  ['headers', f.headers],
                  ['text', f.text],
                  ['attachment-info', json(f.info)],
                  [
                    'attachment1',
                    {
                      filename: '\\share\\a.msg',
                      contentType: 'application/octet-stream',
                      content: f.text,
                    },
                  ],
                ] as Array<[string, FormValue]>)
              : ([['email', f.email]] as Array<[string, FormValue]>)),
          ]),
      ).map((form) => ({
        headers: { 'content-type': form.contentType, authorization: basicAuth(k.sendgridAuth) },
        body: form.body,
      }));
    case '/inbound/mailgun/mime':
      return formFields(
        fc
          .record({
            raw: mimeish,
            recipient: nastyBytes,
            token: fc.string({ minLength: 1, maxLength: 80 }),
          })
          .map(({ raw, recipient, token }): Array<[string, FormValue]> => {
            const ts = String(now());
            return [
              ['recipient', recipient],
              ['timestamp', ts],
              ['token', token],
              ['signature', mailgunSignature(k.mailgunKey, ts, token)],
              ['body-mime', raw],
            ];
          }),
      ).map((form) => ({ headers: { 'content-type': form.contentType }, body: form.body }));
    case '/inbound/postmark':
    case '/events/postmark':
      return fc
        .record({
          RawEmail: mimeish.map((b) => b.toString('utf8')),
          OriginalRecipient: nastyString,
          MessageID: nastyString,
          RecordType: fc.constantFrom(
            'Bounce',
            'Delivery',
            'SpamComplaint',
            'Open',
            'Click',
            'SubscriptionChange',
            'Novel',
          ),
          Type: fc.constantFrom(
            'HardBounce',
            'Unsubscribe',
            'AutoResponder',
            'Subscribe',
            'SoftBounce',
            'Novel',
          ),
          Email: nastyString,
          Headers: fc.array(fc.record({ Name: nastyString, Value: nastyString }), { maxLength: 3 }),
          extra: anyJson,
        })
        .map((p) => ({
          headers: { 'content-type': 'application/json', authorization: basicAuth(k.postmarkAuth) },
          body: json(p),
        }));
    case '/events/sendgrid':
      return fc
        .array(
          fc.record({
            event: eventTypes,
            email: nastyString,
            sg_event_id: nastyString,
            'smtp-id': nastyString,
            reason: nastyString,
            timestamp: fc.integer(),
          }),
          { maxLength: 5 },
        )
        .map((events) => {
          const body = json(events);
          const ts = String(now());
          const signature = createSign('SHA256')
            .update(ts)
            .update(body)
            .sign(k.sendgridEventKey, 'base64');
          return {
            headers: {
              'content-type': 'application/json',
              'x-twilio-email-event-webhook-signature': signature,
              'x-twilio-email-event-webhook-timestamp': ts,
            },
            body,
          };
        });
    case '/events/mailgun':
      return fc
        .record({
          data: fc.record({
            event: eventTypes,
            recipient: nastyString,
            severity: nastyString,
            message: anyJson,
            'delivery-status': anyJson,
          }),
          token: fc.string({ minLength: 1, maxLength: 80 }),
        })
        .map(({ data, token }) => {
          const ts = String(now());
          return {
            headers: { 'content-type': 'application/json' },
            body: json({
              signature: {
                timestamp: ts,
                token,
                signature: mailgunSignature(k.mailgunKey, ts, token),
              },
              'event-data': data,
            }),
          };
        });
    case '/inbound/ses':
    case '/events/ses':
      return fc
        .oneof(
          mimeish.map((raw) =>
            JSON.stringify({
              notificationType: 'Received',
              receipt: { recipients: ['a@example.org'], action: { type: 'SNS', encoding: 'UTF8' } },
              mail: { messageId: 'm', source: '\u0000x' },
              content: raw.toString('utf8'),
            }),
          ),
          fc
            .record({
              notificationType: fc.constantFrom(
                'Bounce',
                'Complaint',
                'Delivery',
                'Received',
                'Reject',
                'Novel',
              ),
              bounce: anyJson,
              mail: anyJson,
            })
            .map((m) => JSON.stringify(m)),
          deepJson,
          nastyString,
        )
        .map((message) => ({
          headers: { 'content-type': 'text/plain; charset=UTF-8' },
          body: json(snsMessage(message, { keyPem: k.snsKeyPem, topicArn: k.sesTopic })),
        }));
    default:
      return fc.record({
        headers: fc.constant({ 'content-type': 'application/json' }),
        body: anyJson.map(json),
      });
  }
}

/** A body for a /v1 route: shaped by its schema, JSON or multipart, with the admin key. */
function apiBody(
  e: Endpoint,
  k: FuzzKeys,
): fc.Arbitrary<Omit<FuzzCase, 'method' | 'route' | 'path' | 'note'>> {
  const auth = { authorization: `Bearer ${k.apiKey}` };
  const value = e.schema ? fromSchema(e.schema) : anyJson;
  return fc.oneof(
    {
      weight: 6,
      arbitrary: value.map((v) => ({
        headers: { ...auth, 'content-type': 'application/json' },
        body: json(v),
      })),
    },
    {
      weight: 1,
      arbitrary: value.map((v) => {
        const form = encodeMultipart([
          ['message', json(v)],
          [
            'file',
            { filename: 'a\u0000b.txt', contentType: 'text/plain', content: Buffer.from('x') },
          ],
        ]);
        return { headers: { ...auth, 'content-type': form.contentType }, body: form.body };
      }),
    },
    { weight: 1, arbitrary: fc.constant({ headers: auth, body: null }) },
  );
}

const pathValue = fc.oneof(
  fc.uuid(),
  nastyString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))),
  fc.constantFrom('%00', '%ZZ', '%E0%A4%A', '..%2F..', 'a'.repeat(500), 'ana%40example.org'),
);

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=nope',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'message/rfc822',
  '',
];

/** Breaks a case in one of the ways a body can be broken. */
const mutation = fc.oneof(
  { weight: 8, arbitrary: fc.constant((c: FuzzCase) => c) },
  fc.double({ min: 0, max: 1, noNaN: true }).map((at) => (c: FuzzCase) => ({
    ...c,
    note: `${c.note} truncated`,
    body: c.body?.subarray(0, Math.floor(c.body.length * at)) ?? null,
  })),
  fc.constantFrom(...CONTENT_TYPES).map((t) => (c: FuzzCase) => {
    const headers = { ...c.headers };
    if (t === '') delete headers['content-type'];
    else headers['content-type'] = t;
    return { ...c, headers, note: `${c.note} content-type=${t || 'none'}` };
  }),
  bytes.map((b) => (c: FuzzCase) => ({ ...c, body: b, note: `${c.note} random bytes` })),
  deepJson.map((d) => (c: FuzzCase) => ({ ...c, body: Buffer.from(d), note: `${c.note} deep` })),
  fc.integer({ min: 1000, max: 15_000 }).map((n) => (c: FuzzCase) => ({
    ...c,
    headers: { ...c.headers, 'x-fuzz': 'h'.repeat(n) },
    note: `${c.note} header ${n}`,
  })),
  fc.constant((c: FuzzCase) => ({
    ...c,
    body: Buffer.alloc(OVERSIZE, 0x41),
    note: `${c.note} oversize`,
  })),
  fc.constant((c: FuzzCase) => {
    const headers = { ...c.headers };
    delete headers.authorization;
    return { ...c, headers, note: `${c.note} unsigned` };
  }),
);

/** The arbitrary of all cases: an endpoint, its signed or API body, path parameters, a mutation. */
export function fuzzCases(endpoints: readonly Endpoint[], k: FuzzKeys): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...endpoints).chain((e) =>
    fc
      .record({
        base: e.path.startsWith('/v1/') ? apiBody(e, k) : providerBody(e.path, k),
        params: fc.array(pathValue, { minLength: 5, maxLength: 5 }),
        // A query string on one request in eight: a NUL in it is refused before any route.
        query: fc.oneof(
          { weight: 7, arbitrary: fc.constant(null) },
          fc.array(fc.tuple(nastyString, fc.oneof(nastyString, fc.constant('%00'))), {
            maxLength: 3,
          }),
        ),
        mutate: mutation,
      })
      .map(({ base, params, query, mutate }) => {
        let i = 0;
        const path = e.path.replace(/:[A-Za-z_]+/g, () => params[i++ % params.length]!);
        const qs = query
          ? `?${query.map(([a, b]) => `${encodeURIComponent(a.replace(/[\ud800-\udfff]/g, ''))}=${b === '%00' ? b : encodeURIComponent(b.replace(/[\ud800-\udfff]/g, ''))}`).join('&')}`
          : '';
        return mutate({
          method: e.method,
          route: e.path,
          path: path + qs,
          ...base,
          note: `${e.method} ${e.path}`,
        });
      }),
  );
}
