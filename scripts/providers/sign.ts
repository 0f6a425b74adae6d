/**
 * The test side of a fake provider. The inbound request builders (SendGrid, Mailgun, Postmark,
 * SES/SNS, relay) live in src/inbound/providers/requests.ts, where `postroom replay` uses them;
 * they are re-exported here for the tests and the fixture generator. What stays here signs as
 * only a test can: a throw-away SNS certificate, and the delivery-event webhooks.
 */
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  basicAuth,
  mailgunSignature,
  type HttpRequest,
} from '../../src/inbound/providers/requests.js';

export * from '../../src/inbound/providers/requests.js';

/** A throw-away "SNS" signing certificate made with openssl (node:crypto cannot issue X.509). */
export function makeSnsCertificate(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'postroom-sns-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=sns.amazonaws.com',
        '-days',
        '2',
      ],
      { stdio: 'ignore' },
    );
    return {
      certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      keyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function makeSendgridEventKeys(): { publicKeyBase64: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey,
  };
}

export function sendgridEventRequest(
  events: unknown[],
  privateKey: KeyObject,
  timestamp = Math.floor(Date.now() / 1000),
): HttpRequest {
  const body = Buffer.from(JSON.stringify(events));
  const signature = createSign('SHA256')
    .update(String(timestamp))
    .update(body)
    .sign(privateKey, 'base64');
  return {
    path: '/events/sendgrid',
    headers: {
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-signature': signature,
      'x-twilio-email-event-webhook-timestamp': String(timestamp),
    },
    body,
  };
}

export function mailgunEventRequest(
  eventData: Record<string, unknown>,
  opts: { key: string; timestamp?: number; token?: string },
): HttpRequest {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const token = opts.token ?? randomBytes(25).toString('hex');
  return {
    path: '/events/mailgun',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(
      JSON.stringify({
        signature: { timestamp, token, signature: mailgunSignature(opts.key, timestamp, token) },
        'event-data': eventData,
      }),
    ),
  };
}

export function postmarkEventRequest(event: Record<string, unknown>, auth: string): HttpRequest {
  return {
    path: '/events/postmark',
    headers: { 'content-type': 'application/json', authorization: basicAuth(auth) },
    body: Buffer.from(JSON.stringify(event)),
  };
}
