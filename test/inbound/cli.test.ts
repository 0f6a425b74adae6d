/**
 * `postroom relay` exit codes against a real endpoint (and a failing one), and
 * `postroom inbound reprocess` against the harness database.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createCommandContext } from '../../src/main/commands/context.js';
import { runInboundCommand } from '../../src/main/commands/inbound.js';
import { runRelayCommand } from '../../src/main/commands/relay.js';
import { SECRET, startHarness, type Harness } from './support/harness.js';

let h: Harness;
let failing: Server;
let failingUrl: string;
const raw = Buffer.from(
  'From: a@example.org\r\nTo: b@in.postroom.test\r\nSubject: cli\r\nMessage-ID: <cli-1@example.org>\r\n\r\nhi\r\n',
);
const config = (env: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'test', SECRET_KEY: SECRET, LOG_LEVEL: 'silent', ...env });

async function relay(argv: string[], body: Buffer, env: Record<string, string> = {}) {
  const errors: string[] = [];
  const code = await runRelayCommand(
    argv,
    { config: config(env) },
    { stdin: Readable.from([body]), err: (l) => errors.push(l) },
  );
  return { code, errors };
}

beforeAll(async () => {
  h = await startHarness({ RELAY_TOKENS: 'cli-token' });
  failing = createServer((_req, res) => {
    res.statusCode = 503;
    res.end('{"error":{"code":"unavailable"}}');
  });
  await new Promise<void>((r) => failing.listen(0, '127.0.0.1', () => r()));
  failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/inbound/relay`;
});
afterAll(async () => {
  await new Promise<void>((r) => failing.close(() => r()));
  await h.stop();
});

describe('postroom relay', () => {
  test('stored → 0, with the envelope from the arguments', async () => {
    const r = await relay(
      [
        '--url',
        `${h.baseUrl}/inbound/relay`,
        '--sender',
        'a@example.org',
        '--recipient',
        'b@in.postroom.test',
      ],
      raw,
      { RELAY_TOKENS: 'cli-token' },
    );
    expect(r).toEqual({ code: 0, errors: [] });
    const { rows } = await h.db.pool.query(
      `SELECT envelope_from, envelope_to FROM inbound_emails WHERE message_id = 'cli-1@example.org'`,
    );
    expect(rows).toEqual([{ envelope_from: 'a@example.org', envelope_to: ['b@in.postroom.test'] }]);
  });
  test('a duplicate is still 0', async () => {
    expect(
      (await relay(['--url', `${h.baseUrl}/inbound/relay`, '--token', 'cli-token'], raw)).code,
    ).toBe(0);
  });
  test('a 4xx (bad token) → 69', async () => {
    const r = await relay(['--url', `${h.baseUrl}/inbound/relay`, '--token', 'wrong'], raw);
    expect(r.code).toBe(69);
    expect(r.errors[0]).toContain('HTTP 401');
  });
  test('a 5xx → 75', async () => {
    expect((await relay(['--url', failingUrl, '--token', 't'], raw)).code).toBe(75);
  });
  test('a network error → 75', async () => {
    expect(
      (await relay(['--url', 'http://127.0.0.1:1/inbound/relay', '--token', 't'], raw)).code,
    ).toBe(75);
  });
  test('no token anywhere → 64', async () => {
    expect((await relay(['--url', failingUrl], raw)).code).toBe(64);
  });
});

describe('postroom inbound reprocess', () => {
  test('--status failed and by id move messages back and enqueue them', async () => {
    const { rows } = await h.db.pool.query<{ id: string }>(
      `SELECT id FROM inbound_emails WHERE message_id = 'cli-1@example.org'`,
    );
    const id = rows[0]!.id;
    await h.db.pool.query(
      `UPDATE inbound_emails SET status = 'failed', last_error = 'boom' WHERE id = $1`,
      [id],
    );
    const out: string[] = [];
    const ctx = createCommandContext(
      config({ DATABASE_URL: h.db.url, INBOUND_DOMAIN: 'in.postroom.test' }),
      silentLogger,
      (l) => out.push(l),
    );
    expect(await runInboundCommand(['reprocess', '--status', 'failed'], ctx)).toBe(0);
    expect(out).toEqual(['reprocess: 1 message(s) queued', id]);
    const after = await h.db.pool.query(
      `SELECT status, last_error FROM inbound_emails WHERE id = $1`,
      [id],
    );
    expect(after.rows[0]).toEqual({ status: 'received', last_error: 'boom' });
    const jobs = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'inbound.process' AND data->>'inboundEmailId' = $1`,
      [id],
    );
    expect(jobs.rows[0].n).toBe(2);
    expect(await runInboundCommand(['reprocess'], ctx)).toBe(64);
    expect(await runInboundCommand(['reprocess', 'not-a-uuid'], ctx)).toBe(64);
    expect(await runInboundCommand(['reprocess', '--status', 'received'], ctx)).toBe(64);
  });
});
