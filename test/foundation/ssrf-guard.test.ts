/**
 * The SSRF guard (lib/net): a table of URL forms that reach loopback, private, link-local,
 * multicast or reserved space in some notation, each sent through the real connecting code
 * against a live listener on every loopback address, which must never see a request. Names
 * resolve through an injected DNS, so rebinding (public at registration, 127.0.0.1 when
 * connecting) is played out for real. The same guard serves webhooks, SNS and S3.
 */
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { addressVerdict, isPrivateAddress } from '../../src/lib/net/address-policy.js';
import {
  AddressBlockedError,
  guardedRequest,
  type Resolver,
} from '../../src/lib/net/guarded-request.js';
import { postWebhook } from '../../src/outbound/webhook-sender.js';
import { httpsCertFetcher } from '../../src/inbound/providers/sns.js';
import { createS3Fetcher } from '../../src/inbound/providers/s3-fetch.js';
import { safeSnsGet } from '../../src/services/inbound/sns-confirm.js';

let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    res.writeHead(req.url === '/redirect' ? 302 : 200, {
      location: `http://127.0.0.1:${port}/metadata`,
    });
    res.end('reached');
  });
  // Dual stack: 127.0.0.1, ::1 and ::ffff:127.0.0.1 all reach this one listener.
  await new Promise<void>((r) => server.listen({ port: 0, host: '::', ipv6Only: false }, r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => (hits = 0));

/** A DNS that answers from a table; `rebind.test` is public once, then loopback. */
function fakeDns(): Resolver {
  let rebindCalls = 0;
  const table: Record<string, LookupAddress[]> = {
    'loopback.test': [{ address: '127.0.0.1', family: 4 }],
    'mixed.test': [
      { address: '93.184.216.34', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ],
    'mapped.test': [{ address: '::ffff:7f00:1', family: 6 }],
    'metadata.test': [{ address: '169.254.169.254', family: 4 }],
    'nat64.test': [{ address: '64:ff9b::a9fe:a9fe', family: 6 }],
  };
  return async (host) => {
    if (host === 'rebind.test')
      return [{ address: rebindCalls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    // Anything else (localhost) through the system resolver.
    return table[host] ?? lookup(host, { all: true });
  };
}

// `P` is the live listener's port; every form below names a refused address.
const REFUSED = [
  'http://127.0.0.1:P/',
  'http://127.1:P/',
  'http://127.0.1:P/',
  'http://0177.0.0.1:P/',
  'http://0x7f.0.0.1:P/',
  'http://0x7f000001:P/',
  'http://2130706433:P/',
  'http://017700000001:P/',
  'http://127.000.000.001:P/',
  'http://127.255.255.254:P/',
  'http://[::1]:P/',
  'http://[0:0:0:0:0:0:0:1]:P/',
  'http://[::ffff:127.0.0.1]:P/',
  'http://[::ffff:7f00:1]:P/',
  'http://[0:0:0:0:0:ffff:127.0.0.1]:P/',
  'http://[0000:0000:0000:0000:0000:ffff:7f00:0001]:P/',
  'http://[::ffff:0:127.0.0.1]:P/',
  'http://[::127.0.0.1]:P/',
  'http://[::7f00:1]:P/',
  'http://[64:ff9b::127.0.0.1]:P/',
  'http://[64:ff9b::7f00:1]:P/',
  'http://[2002:7f00:1::]:P/',
  'http://0.0.0.0:P/',
  'http://0:P/',
  'http://[::]:P/',
  'http://localhost:P/',
  'http://loopback.test:P/',
  'http://mixed.test:P/',
  'http://mapped.test:P/',
  'http://rebind.test:P/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://[2002:a9fe:a9fe::1]/',
  'http://metadata.test/',
  'http://nat64.test/',
  'http://10.0.0.1/',
  'http://[::ffff:10.0.0.1]/',
  'http://[2002:a00:1::1]/',
  'http://172.16.0.1/',
  'http://172.31.255.255/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://100.127.255.254/',
  'http://[fe80::1]/',
  'http://[fd00::1]/',
  'http://[fec0::1]/',
  'http://224.0.0.1/',
  'http://239.255.255.250/',
  'http://[ff02::1]/',
  'http://255.255.255.255/',
  'http://198.18.0.1/',
  'http://192.0.2.1/',
  'http://240.0.0.1/',
  'http://[2001:db8::1]/',
  'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
  'http://[64:ff9b:1::a]/',
  'http://[100::1]/',
  'https://127.0.0.1:P/',
  'https://[::ffff:7f00:1]:P/',
];

test(`${REFUSED.length} URL forms of refused space: refused when connecting, the listener sees nothing`, async () => {
  expect(REFUSED.length).toBeGreaterThanOrEqual(40);
  const resolve = fakeDns();
  // What a check at registration would have seen: a public address.
  expect(await resolve('rebind.test')).toEqual([{ address: '93.184.216.34', family: 4 }]);
  const outcomes = await Promise.all(
    REFUSED.map(async (form) => {
      const url = form.replace(':P/', `:${port}/`);
      try {
        await guardedRequest(url, { timeoutMs: 2000, maxResponseBytes: 1024, resolve });
        return `${form} → connected`;
      } catch (err) {
        return err instanceof AddressBlockedError ? 'refused' : `${form} → ${String(err)}`;
      }
    }),
  );
  expect(outcomes.filter((o) => o !== 'refused')).toEqual([]);
  expect(hits).toBe(0);
});

test('the same forms are refused when a webhook is registered, except names (checked when connecting)', () => {
  const names = new Set(['loopback.test', 'mixed.test', 'mapped.test', 'rebind.test']);
  names.add('metadata.test').add('nat64.test');
  for (const form of REFUSED) {
    const host = new URL(form.replace(':P/', ':1/')).hostname;
    expect([form, isPrivateAddress(host)]).toEqual([form, !names.has(host)]);
  }
});

test.each([
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '100.128.0.1',
  '172.32.0.1',
  '[2606:4700::1111]',
  '[2a00:1450:4001:80b::200e]',
  '[::ffff:8.8.8.8]',
  '[::ffff:808:808]',
  '[64:ff9b::808:808]',
  '[2002:808:808::1]',
])('%s is public', (host) => {
  expect(addressVerdict(new URL(`http://${host}/`).hostname)).toEqual({ ok: true });
  expect(isPrivateAddress(host)).toBe(false);
});

test('a redirect is never followed: the 302 comes back as it is', async () => {
  const res = await guardedRequest(`http://127.0.0.1:${port}/redirect`, {
    timeoutMs: 2000,
    maxResponseBytes: 1024,
    allowPrivate: true,
  });
  expect(res.status).toBe(302);
  expect(hits).toBe(1);
  const webhook = await postWebhook(`http://127.0.0.1:${port}/redirect`, {}, '{}', {
    timeoutMs: 2000,
    allowPrivate: true,
  });
  expect(webhook).toMatchObject({ ok: false, statusCode: 302, blocked: false });
  expect(hits).toBe(2);
});

test('webhooks, SNS confirmation, SNS certificates and S3 objects all go through the guard', async () => {
  const resolve = fakeDns();
  expect(
    await postWebhook(`http://[::ffff:127.0.0.1]:${port}/`, {}, '{}', {
      timeoutMs: 2000,
      allowPrivate: false,
    }),
  ).toMatchObject({ ok: false, blocked: true, statusCode: null });
  await resolve('rebind.test'); // public when the endpoint was registered
  expect(
    await postWebhook(`http://rebind.test:${port}/`, {}, '{}', {
      timeoutMs: 2000,
      allowPrivate: false,
      resolve,
    }),
  ).toMatchObject({ ok: false, blocked: true, error: expect.stringContaining('127.0.0.1') });
  await expect(safeSnsGet(`https://[::1]:${port}/?Action=ConfirmSubscription`)).rejects.toThrow(
    AddressBlockedError,
  );
  await expect(httpsCertFetcher(2000)(`https://127.0.0.1:${port}/cert.pem`)).rejects.toThrow(
    AddressBlockedError,
  );
  await expect(httpsCertFetcher(2000, resolve)('https://metadata.test/cert.pem')).rejects.toThrow(
    AddressBlockedError,
  );
  const s3 = createS3Fetcher({
    region: 'eu-west-1',
    accessKeyId: 'AK',
    secretAccessKey: 'SK',
    maxBytes: 1000,
    resolve: async () => [{ address: '10.0.0.5', family: 4 }],
  });
  await expect(s3('bucket', 'key')).rejects.toThrow(AddressBlockedError);
  expect(hits).toBe(0);
});
