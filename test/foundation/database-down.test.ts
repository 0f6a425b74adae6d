/**
 * Database down (issue 14, hole 5) against a real PostgreSQL of its own, stopped and started
 * again under the running app: webhooks and the API answer 503 with Retry-After (a provider
 * retries a 5xx later; a 500 reads as a bug), /readyz is 503, /healthz stays 200, and nothing
 * is half-written: once the server is back, the same requests succeed exactly once.
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/storage/embedded-server.js';
import { createDatabase } from '../../src/storage/sql.js';
import { postmarkEventRequest, relayRequest } from '../../scripts/providers/sign.js';
import { adminKey, startTestApp, type TestApp } from '../support/app.js';

let dir: string;
let server: EmbeddedServer;
let app: TestApp;
let pool: pg.Pool;
let key: string;

const raw = Buffer.from(
  'From: Ana <ana@example.org>\r\nTo: hello@in.down.test\r\nSubject: during the outage\r\n' +
    'Message-ID: <outage-1@example.org>\r\n\r\nStill here?\r\n',
);
const relay = relayRequest(raw, { token: 'relay', to: ['hello@in.down.test'] });
const event = postmarkEventRequest(
  {
    RecordType: 'Delivery',
    MessageID: 'pm-down-1',
    Recipient: 'x@example.org',
    DeliveredAt: new Date().toISOString(),
  },
  'hooks:pw',
);
const send = () => ({
  path: '/v1/messages',
  headers: {
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
    'idempotency-key': 'outage-send-1',
  },
  body: Buffer.from(
    JSON.stringify({ to: 'bo@example.org', subject: 'hi', text: 'during the outage' }),
  ),
});

async function call(
  req: { path: string; headers: Record<string, string>; body?: Buffer },
  method = 'POST',
) {
  const res = await fetch(app.baseUrl + req.path, {
    method,
    headers: req.headers,
    ...(method === 'POST' ? { body: req.body } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: text ? JSON.parse(text) : null,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'postroom-down-'));
  chmodSync(dir, 0o755);
  server = await startEmbeddedServer({ dataDir: join(dir, 'pg'), port: 0, database: 'postroom' });
  pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => {});
  app = await startTestApp({
    db: {
      url: server.url,
      name: 'postroom',
      pool,
      db: createDatabase(pool),
      close: async () => {},
    },
    env: {
      RELAY_TOKENS: 'relay',
      POSTMARK_WEBHOOK_AUTH: 'hooks:pw',
      INBOUND_DOMAIN: 'in.down.test',
      INBOUND_REJECTION_MAIL: 'false',
      DB_CONNECT_TIMEOUT_SECONDS: '5',
    },
  });
  key = await adminKey(app, 'down');
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await pool?.end();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

test('while PostgreSQL is stopped: 503 with Retry-After everywhere, /readyz 503; after: each request lands once', async () => {
  expect((await call({ path: '/readyz', headers: {} }, 'GET')).status).toBe(200);
  await server.stop();

  for (const req of [relay, event, send()]) {
    const res = await call(req);
    expect([req.path, res.status, res.body.error.code]).toEqual([
      req.path,
      503,
      'database_unavailable',
    ]);
    expect(Number(res.retryAfter)).toBeGreaterThan(0);
  }
  const list = await call(
    { path: '/v1/messages', headers: { authorization: `Bearer ${key}` } },
    'GET',
  );
  expect([list.status, list.retryAfter]).toEqual([503, '5']);
  const ready = await call({ path: '/readyz', headers: {} }, 'GET');
  expect(ready).toMatchObject({ status: 503, body: { status: 'not_ready' } });
  expect((await call({ path: '/healthz', headers: {} }, 'GET')).status).toBe(200);

  server = await startEmbeddedServer({
    dataDir: join(dir, 'pg'),
    port: server.port,
    database: 'postroom',
  });
  // The pool reconnects on its own; the provider's retry is what happens next.
  let readyAgain = 0;
  for (let i = 0; i < 100 && readyAgain !== 200; i++) {
    readyAgain = (await call({ path: '/readyz', headers: {} }, 'GET')).status;
    if (readyAgain !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  expect(readyAgain).toBe(200);
  const stored = await call(relay);
  expect(stored).toMatchObject({ status: 200, body: { status: 'accepted' } });
  expect(await call(relay)).toMatchObject({
    status: 200,
    body: { status: 'duplicate', id: stored.body.id },
  });
  expect(await call(event)).toMatchObject({ status: 200, body: { stored: 1 } });
  const sent = await call(send());
  expect(sent.status).toBe(202);
  expect((await call(send())).body.id).toBe(sent.body.id);
  const counts = await pool.query<{ inbound: number; events: number; messages: number }>(
    `SELECT (SELECT count(*)::int FROM inbound_emails) AS inbound,
            (SELECT count(*)::int FROM provider_events) AS events,
            (SELECT count(*)::int FROM outbound_messages) AS messages`,
  );
  expect(counts.rows[0]).toEqual({ inbound: 1, events: 1, messages: 1 });
}, 60_000);
