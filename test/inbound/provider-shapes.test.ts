/**
 * Provider payload shapes (fixtures from scripts/providers/generate-shapes.ts): a SendGrid
 * parsed-mode retry is a duplicate of the first post; attachment names keep their backslashes,
 * quotes and accents; Mailgun verdicts are read from the headers of `body-mime`; every event
 * type each provider documents maps to the taxonomy or is stored as informational, and a type
 * nobody documents is stored and counted as unknown.
 */
import { readFileSync } from 'node:fs';
import { ManualClock } from '../../src/lib/clock.js';
import { parseMail } from '../../src/inbound/parse-mail.js';
import { POSTMARK_BOUNCE_TYPES } from '../../src/inbound/providers/postmark.js';
import { FIXTURE_KEYS, FIXTURE_TIME } from '../../scripts/providers/fixture-keys.js';
import {
  makeSendgridEventKeys,
  makeSnsCertificate,
  mailgunEventRequest,
  postmarkEventRequest,
  sendgridEventRequest,
  sesRequest,
  snsMessage,
} from '../../scripts/providers/sign.js';
import { startHarness, type Harness } from './support/harness.js';

const dir = new URL('../../fixtures/providers/shapes/', import.meta.url);
const load = (name: string) => ({
  ...(JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as {
    path: string;
    headers: Record<string, string>;
  }),
  body: readFileSync(new URL(`${name}.body`, dir)),
});
const types = JSON.parse(readFileSync(new URL('event-types.json', dir), 'utf8')) as Record<
  'postmark' | 'sendgrid' | 'mailgun' | 'ses',
  Record<string, unknown>[]
> & { novel: Record<string, unknown> };

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:shapes';
const sns = makeSnsCertificate();
const sg = makeSendgridEventKeys();
let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    {
      SENDGRID_INBOUND_AUTH: FIXTURE_KEYS.sendgrid,
      MAILGUN_SIGNING_KEYS: FIXTURE_KEYS.mailgun,
      POSTMARK_WEBHOOK_AUTH: 'hooks:pm',
      SENDGRID_EVENT_PUBLIC_KEYS: sg.publicKeyBase64,
      SES_TOPIC_ARNS: TOPIC,
    },
    // The Mailgun fixture was signed at FIXTURE_TIME; the window is counted from there.
    { fetchCert: async () => sns.certPem, clock: new ManualClock(FIXTURE_TIME) },
  );
});
afterAll(() => h.stop());

const raw = async (id: string) =>
  (
    await h.db.pool.query<{ raw: Buffer }>(
      'SELECT raw FROM inbound_email_raw WHERE inbound_email_id = $1',
      [id],
    )
  ).rows[0]!.raw;

test('a SendGrid parsed-mode retry (same fields, new boundary) is a duplicate of the first post', async () => {
  const first = load('sendgrid-parsed');
  const retry = load('sendgrid-parsed-retry');
  expect(first.body.equals(retry.body)).toBe(false);
  const a = await h.post(first);
  const b = await h.post(retry);
  expect(a).toMatchObject({ status: 200, body: { status: 'accepted' } });
  expect(b).toMatchObject({ status: 200, body: { status: 'duplicate', id: a.body.id } });
  const mail = await parseMail(await raw(a.body.id as string));
  expect(mail.attachments.map((x) => [x.filename, x.contentType, x.contentId])).toEqual([
    ['\\share\\mail\\forwarded.msg', 'application/vnd.ms-outlook', null],
    ['Résumé "final" (2).pdf', 'application/pdf', null],
    ['logo.png', 'image/png', '<logo@sg>'],
  ]);
  expect(mail.subject).toBe('Forwarded: the files');
});

test('Mailgun verdicts are read from the headers of body-mime', async () => {
  const res = await h.post(load('mailgun-verdict-headers'));
  expect(res.status).toBe(200);
  const { rows } = await h.db.pool.query('SELECT verdicts FROM inbound_emails WHERE id = $1', [
    res.body.id,
  ]);
  expect(rows[0].verdicts).toEqual({
    spam: 'Yes',
    spam_score: '7.2',
    spf: 'Pass',
    dkim: 'Fail',
  });
});

test('every Postmark bounce Type has a mapping', () => {
  const documented = types.postmark.filter((e) => e.RecordType === 'Bounce').map((e) => e.Type);
  expect(documented).toHaveLength(22);
  expect(documented.filter((t) => !Object.hasOwn(POSTMARK_BOUNCE_TYPES, t as string))).toEqual([]);
});

const unmapped = async (provider: string) =>
  (
    await h.db.pool.query<{ provider_type: string; known: boolean }>(
      `SELECT provider_type, known FROM unmapped_provider_events WHERE provider = $1 ORDER BY provider_type`,
      [provider],
    )
  ).rows;

test('every documented event type maps to the taxonomy or is stored as informational', async () => {
  const now = Math.floor(FIXTURE_TIME.getTime() / 1000);
  const posts = [
    ...types.postmark.map((e) => postmarkEventRequest(e, 'hooks:pm')),
    sendgridEventRequest(types.sendgrid, sg.privateKey, now),
    ...types.mailgun.map((e) =>
      mailgunEventRequest(e, { key: FIXTURE_KEYS.mailgun, timestamp: now }),
    ),
    ...types.ses.map((e) =>
      sesRequest(
        snsMessage(JSON.stringify(e), {
          keyPem: sns.keyPem,
          topicArn: TOPIC,
          timestamp: FIXTURE_TIME,
        }),
        '/events/ses',
      ),
    ),
  ];
  let received = 0;
  for (const p of posts) {
    const res = await h.post(p);
    expect([res.status, res.body.unknown]).toEqual([200, 0]);
    received += (res.body.received as number) + (res.body.informational as number);
  }
  // One event per post, except SendGrid's batch and SES's per-recipient fan-out (one each here).
  expect(received).toBe(
    types.postmark.length + types.sendgrid.length + types.mailgun.length + types.ses.length,
  );
  expect(await unmapped('postmark')).toEqual(
    ['AddressChange', 'AutoResponder', 'InboundError', 'OpenRelayTest', 'Subscribe']
      .map((t) => ({
        provider_type: `Bounce/${t}`,
        known: true,
      }))
      .concat([{ provider_type: 'SubscriptionChange/reactivated', known: true }]),
  );
  const informational = async (p: string) => (await unmapped(p)).map((r) => r.provider_type);
  expect(await informational('sendgrid')).toEqual(['group_resubscribe']);
  expect(await informational('mailgun')).toEqual([
    'list_member_upload_error',
    'list_member_uploaded',
    'list_uploaded',
    'stored',
  ]);
  expect(await informational('ses')).toEqual(['Rendering Failure', 'Subscription']);
  const unsubscribe = h.outbound.events.find((e) => e.event.recipient === 'bounce-2@example.net');
  expect(unsubscribe).toMatchObject({
    ref: { providerMessageId: 'pm-shapes-1' },
    event: { type: 'unsubscribed' },
  });
});

test('a type nobody documents is stored and counted as unknown, never dropped', async () => {
  const res = await h.post(postmarkEventRequest(types.novel, 'hooks:pm'));
  expect(res).toMatchObject({ status: 200, body: { received: 0, unknown: 1, stored: 0 } });
  const { rows } = await h.db.pool.query(
    `SELECT provider_type, known, recipient, payload->>'Type' AS type FROM unmapped_provider_events WHERE provider_type LIKE '%Quantum%'`,
  );
  expect(rows).toEqual([
    {
      provider_type: 'Bounce/QuantumEntanglement',
      known: false,
      recipient: 'q@example.net',
      type: 'QuantumEntanglement',
    },
  ]);
});
