/**
 * Writes fixtures/providers/<provider>/: one signed request per provider endpoint, built by
 * our own fake provider (sign.ts) from fixtures/inbound/utf8-reply.eml, with the fixed dev
 * keys below and a fixed timestamp. test/inbound/unit/provider-fixtures.test.ts verifies them
 * with the adapters at that timestamp. Run: npx tsx scripts/providers/generate.ts
 *
 * The keys are for fixtures only; they are not secrets.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  mailgunEventRequest,
  mailgunMimeRequest,
  makeSnsCertificate,
  postmarkEventRequest,
  postmarkRequest,
  relayRequest,
  sendgridEventRequest,
  sendgridRawRequest,
  sesReceivedMessage,
  sesRequest,
  snsMessage,
  type HttpRequest,
} from './sign.js';
import { FIXTURE_KEYS, FIXTURE_TIME } from './fixture-keys.js';

const root = new URL('../../fixtures/providers/', import.meta.url);
const eml = readFileSync(new URL('../../fixtures/inbound/utf8-reply.eml', import.meta.url));
const ts = Math.floor(FIXTURE_TIME.getTime() / 1000);
const to = ['updates@in.postroom.test'];

function write(provider: string, name: string, req: HttpRequest): void {
  const dir = new URL(`${provider}/`, root);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${name}.body`, dir), req.body);
  writeFileSync(
    new URL(`${name}.json`, dir),
    `${JSON.stringify({ path: req.path, headers: req.headers }, null, 2)}\n`,
  );
}

write(
  'mailgun',
  'inbound-mime',
  mailgunMimeRequest(eml, {
    key: FIXTURE_KEYS.mailgun,
    recipient: to[0]!,
    timestamp: ts,
    token: 'f'.repeat(50),
  }),
);
write('sendgrid', 'inbound-raw', sendgridRawRequest(eml, { auth: FIXTURE_KEYS.sendgrid, to }));
write(
  'postmark',
  'inbound',
  postmarkRequest(eml, {
    auth: FIXTURE_KEYS.postmark,
    to: to[0]!,
    messageId: '00000000-0000-4000-8000-000000000001',
  }),
);
write(
  'relay',
  'inbound',
  relayRequest(eml, { token: FIXTURE_KEYS.relay, to, from: 'ana@example.org' }),
);

// SES/SNS: a throw-away certificate, kept next to the request so the test can serve it.
const sns = makeSnsCertificate();
mkdirSync(new URL('ses/', root), { recursive: true });
writeFileSync(new URL('ses/signing-cert.pem', root), sns.certPem);
const received = snsMessage(
  sesReceivedMessage(eml, { recipients: to, messageId: 'fixture-ses-1' }),
  {
    keyPem: sns.keyPem,
    topicArn: FIXTURE_KEYS.sesTopic,
    timestamp: FIXTURE_TIME,
    messageId: '11111111-1111-4111-8111-111111111111',
  },
);
write('ses', 'inbound', sesRequest(received));

// Delivery events. The SendGrid event key pair is made once and kept, like the dashboard's.
const sgKeyFile = new URL('sendgrid/event-key.pem', root);
if (!existsSync(sgKeyFile)) {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(sgKeyFile, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
  writeFileSync(
    new URL('sendgrid/event-public-key.b64', root),
    pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  );
}
const sgKey = createPrivateKey({
  key: readFileSync(new URL('sendgrid/event-key.pem', root)),
  format: 'pem',
});
write(
  'sendgrid',
  'events',
  sendgridEventRequest(
    [
      {
        email: 'ana@example.org',
        event: 'delivered',
        sg_event_id: 'fixture-1',
        'smtp-id': '<prompt-1@postroom.test>',
        timestamp: ts,
      },
    ],
    sgKey,
    ts,
  ),
);
write(
  'mailgun',
  'events',
  mailgunEventRequest(
    {
      event: 'failed',
      severity: 'permanent',
      recipient: 'gone@example.net',
      timestamp: ts,
      message: { headers: { 'message-id': 'prompt-1@postroom.test' } },
    },
    { key: FIXTURE_KEYS.mailgun, timestamp: ts, token: 'e'.repeat(50) },
  ),
);
write(
  'postmark',
  'events',
  postmarkEventRequest(
    {
      RecordType: 'Bounce',
      Type: 'HardBounce',
      ID: 1,
      MessageID: 'pm-fixture-1',
      Email: 'gone@example.net',
      BouncedAt: FIXTURE_TIME.toISOString(),
    },
    FIXTURE_KEYS.postmark,
  ),
);
console.log(`wrote ${new URL('.', root).pathname}`);
