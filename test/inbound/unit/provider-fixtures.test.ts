/**
 * The committed provider fixtures (scripts/providers/generate.ts) verify with the adapters at
 * the time they were signed, and carry the fixture message byte for byte.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { ManualClock } from '../../../src/lib/clock.js';
import { mailgunEvents, mailgunInbound } from '../../../src/inbound/providers/mailgun.js';
import { postmarkEvents, postmarkInbound } from '../../../src/inbound/providers/postmark.js';
import { relayInbound } from '../../../src/inbound/providers/relay.js';
import { sendgridEvents, sendgridInbound } from '../../../src/inbound/providers/sendgrid.js';
import { sesInbound } from '../../../src/inbound/providers/ses.js';
import { SnsVerifier } from '../../../src/inbound/providers/sns.js';
import type { FormPayload } from '../../../src/inbound/providers/types.js';
import { FIXTURE_KEYS, FIXTURE_TIME } from '../../../scripts/providers/fixture-keys.js';

const dir = new URL('../../../fixtures/providers/', import.meta.url);
const eml = readFileSync(new URL('../../../fixtures/inbound/utf8-reply.eml', import.meta.url));
const load = (p: string) => ({
  ...(JSON.parse(readFileSync(new URL(`${p}.json`, dir), 'utf8')) as {
    path: string;
    headers: Record<string, string>;
  }),
  body: readFileSync(new URL(`${p}.body`, dir)),
});

function form(req: { headers: Record<string, string>; body: Buffer }): Promise<FormPayload> {
  const out: FormPayload = { fields: new Map(), files: [] };
  return new Promise((resolve, reject) => {
    const bb = busboy({ headers: req.headers, defCharset: 'latin1', limits: { fieldSize: 1e7 } });
    bb.on('field', (n, v) => out.fields.set(n, Buffer.from(v, 'latin1')));
    bb.on('close', () => resolve(out));
    bb.on('error', reject);
    Readable.from([req.body]).pipe(bb);
  });
}

test('mailgun inbound', async () => {
  const req = load('mailgun/inbound-mime');
  const { inbound } = mailgunInbound(await form(req), {
    signingKeys: [FIXTURE_KEYS.mailgun],
    maxAgeSeconds: 60,
    now: FIXTURE_TIME,
  });
  expect(inbound.raw.equals(eml)).toBe(true);
});
test('sendgrid inbound', async () => {
  const req = load('sendgrid/inbound-raw');
  expect(
    sendgridInbound(await form(req), req.headers, {
      authPairs: [FIXTURE_KEYS.sendgrid],
      allowIps: [],
    }).raw.equals(eml),
  ).toBe(true);
});
test('postmark inbound', () => {
  const req = load('postmark/inbound');
  expect(postmarkInbound(req.headers, req.body, [FIXTURE_KEYS.postmark]).raw.equals(eml)).toBe(
    true,
  );
});
test('relay inbound', () => {
  const req = load('relay/inbound');
  expect(relayInbound(req.headers, req.body, [FIXTURE_KEYS.relay])).toMatchObject({
    envelope: { from: 'ana@example.org' },
  });
});
test('ses inbound', async () => {
  const cert = readFileSync(new URL('ses/signing-cert.pem', dir), 'utf8');
  const verifier = new SnsVerifier({
    topicArns: [FIXTURE_KEYS.sesTopic],
    clock: new ManualClock(FIXTURE_TIME),
    fetchCert: async () => cert,
  });
  const parsed = sesInbound(await verifier.verify(load('ses/inbound').body));
  expect(parsed.kind === 'mail' && parsed.inbound.raw.equals(eml)).toBe(true);
});
test('delivery events', () => {
  const sg = load('sendgrid/events');
  const pub = readFileSync(new URL('sendgrid/event-public-key.b64', dir), 'utf8').trim();
  expect(
    sendgridEvents(sg.headers, sg.body, { publicKeys: [pub], maxAgeSeconds: 60, now: FIXTURE_TIME })
      .events[0],
  ).toMatchObject({ type: 'delivered' });
  expect(
    mailgunEvents(load('mailgun/events').body, {
      signingKeys: [FIXTURE_KEYS.mailgun],
      maxAgeSeconds: 60,
      now: FIXTURE_TIME,
    }).events[0],
  ).toMatchObject({
    type: 'bounced',
    bounce: 'hard',
  });
  const pm = load('postmark/events');
  expect(
    postmarkEvents(pm.headers, pm.body, { authPairs: [FIXTURE_KEYS.postmark], now: FIXTURE_TIME })
      .events[0],
  ).toMatchObject({ type: 'bounced' });
});
