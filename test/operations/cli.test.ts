/**
 * The commands a newcomer reaches for, each against a running instance (the whole app on real
 * PostgreSQL with its worker), through the same context the `postroom` binary builds: send,
 * status, demo (then the dashboard's teams page and GET /v1/teams), and replay through every provider.
 */
import { jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createCommandContext } from '../../src/main/commands/context.js';
import { runDemoCommand } from '../../src/main/commands/demo.js';
import { runKeysCommand } from '../../src/main/commands/keys.js';
import { replayRequest, runReplayCommand } from '../../src/main/commands/replay.js';
import { runSendCommand } from '../../src/main/commands/send.js';
import { runStatusCommand } from '../../src/main/commands/status.js';
import { SnsVerifier } from '../../src/inbound/providers/sns.js';
import { makeSnsCertificate } from '../../scripts/providers/sign.js';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { makeTempDir } from '../support/temp-dir.js';
import { Browser, signInWithStoredToken } from '../dashboard/support.js';

jest.setTimeout(120_000);

const SECRETS = {
  MAILGUN_SIGNING_KEYS: 'mailgun-key-for-replay',
  SENDGRID_INBOUND_AUTH: 'parse:sendgrid-pass',
  POSTMARK_INBOUND_AUTH: 'inbound:postmark-pass',
  RELAY_TOKENS: 'relay-token-for-replay',
  SES_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:postroom-inbound',
  INBOUND_DOMAIN: 'in.postroom.test',
  MAIL_FROM: 'Postroom <postroom@postroom.test>',
};

let app: TestApp;

/** A command run as `postroom` runs it: config from the environment, output captured. */
async function cli(
  run: (argv: string[], ctx: ReturnType<typeof context>) => Promise<number>,
  argv: string[],
) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = context(out, err);
  const code = await run(argv, ctx);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function context(out: string[], err: string[]) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: app.db.url,
    SECRET_KEY: TEST_SECRET,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: app.baseUrl,
    WORKER_SELF_TEST: 'false',
    PG_POOL_MAX: '3',
    ...SECRETS,
  });
  return {
    ...createCommandContext(config, silentLogger, (l) => out.push(l)),
    err: (l: string) => err.push(l),
  };
}

beforeAll(async () => {
  app = await startTestApp({ env: { ...SECRETS, PUBLIC_URL: 'http://localhost:3000' } });
});
afterAll(async () => {
  await app?.stop();
});

describe('postroom send', () => {
  test('through the running worker: prints the id and the state it settled in', async () => {
    const r = await cli(runSendCommand, [
      '--to',
      'first@example.org',
      '--subject',
      'Hello from the CLI',
      '--text',
      'It works.',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const id = /^id: ([0-9a-f-]{36})$/m.exec(r.out)?.[1];
    expect(id).toBeDefined();
    expect(r.out).toMatch(/^status: sent/m);
    const row = await app.db.pool.query(
      'SELECT status, subject, tags FROM outbound_messages WHERE id = $1',
      [id],
    );
    expect(row.rows[0]).toMatchObject({
      status: 'sent',
      subject: 'Hello from the CLI',
      tags: ['cli'],
    });
  });

  test('--html-file, and a refusal is a clear error with exit 1', async () => {
    const dir = makeTempDir('postroom-send-');
    const html = join(dir, 'mail.html');
    writeFileSync(html, '<p>Hello <b>there</b></p>');
    const ok = await cli(runSendCommand, [
      '--to',
      'b@example.org',
      '--subject',
      'HTML',
      '--html-file',
      html,
    ]);
    expect(ok.code).toBe(0);
    const bad = await cli(runSendCommand, [
      '--to',
      'not an address',
      '--subject',
      'x',
      '--text',
      'y',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/postroom send: /);
    const usage = await cli(runSendCommand, ['--to', 'a@example.org']);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/needs --subject/);
  });
});

test('postroom send with no worker alive sends the message itself (here through the outbox)', async () => {
  const web = await startTestApp({ roles: { web: true, worker: false } });
  try {
    const out: string[] = [];
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: web.db.url,
      SECRET_KEY: TEST_SECRET,
      LOG_LEVEL: 'silent',
      MAIL_FROM: SECRETS.MAIL_FROM,
    });
    const ctx = createCommandContext(config, silentLogger, (l) => out.push(l));
    const code = await runSendCommand(['--to', 'c@example.org', '--subject', 's', '--text', 't'], {
      ...ctx,
      err: (l) => out.push(l),
    });
    expect(out.join('\n')).toMatch(/^status: sent/m);
    expect(code).toBe(0);
    const raw = await web.db.pool.query(
      `SELECT transport FROM outbound_message_raw r JOIN outbound_messages m ON m.id = r.message_id
        WHERE m.subject = 's'`,
    );
    expect(raw.rows[0].transport).toBe('outbox');
  } finally {
    await web.stop();
  }
});

test('postroom status: the processes, queues, failures and the database size', async () => {
  const r = await cli(runStatusCommand, []);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^Processes: 1 alive$/m);
  expect(r.out).toMatch(new RegExp(`alive  web\\+worker .*:${process.pid} `));
  expect(r.out).toMatch(/^ {2}outbound\.send +\d+ +\d+ +\d+ +\d+$/m);
  expect(r.out).toMatch(/^Failures in the last hour: \d+ failed jobs$/m);
  expect(r.out).toMatch(/^Database: \d+\.\d MB$/m);
  const json = await cli(runStatusCommand, ['--json']);
  const report = JSON.parse(json.out) as { queues: Array<{ name: string }>; databaseBytes: number };
  expect(report.queues.map((q) => q.name)).toContain('inbound.process');
  expect(report.databaseBytes).toBeGreaterThan(1_000_000);
});

describe('postroom demo', () => {
  test('seeds a team the dashboard shows, once; --remove deletes it', async () => {
    const first = await cli(runDemoCommand, []);
    expect(first.code).toBe(0);
    const m = /^demo team ([0-9a-f-]{36}): (\d+) prompts, (\d+) replies, (\d+) missed$/m.exec(
      first.out,
    );
    expect(m).not.toBeNull();
    const teamId = m![1]!;
    expect(Number(m![2])).toBeGreaterThanOrEqual(12);
    expect(Number(m![3])).toBeGreaterThanOrEqual(9);
    expect(first.out.match(/digest for \d{4}-\d\d-\d\d: sent/g)).toHaveLength(2);

    const q = (sql: string) => app.db.pool.query(sql, [teamId]).then((r) => r.rows);
    const zones = await q(`SELECT DISTINCT time_zone FROM members WHERE team_id = $1`);
    expect(zones).toHaveLength(3);
    const kinds = await q(
      `SELECT kind, count(*)::int AS n FROM entries WHERE team_id = $1 GROUP BY kind`,
    );
    expect(kinds.map((k: { kind: string }) => k.kind).sort()).toEqual(['blocker', 'done', 'goal']);
    const tagged = await q(
      `SELECT count(*)::int AS n FROM entries WHERE team_id = $1 AND tags <> '{}'`,
    );
    expect(tagged[0].n).toBeGreaterThan(3);
    const answered = await q(
      `SELECT count(*)::int AS n FROM prompts WHERE team_id = $1 AND status = 'answered'`,
    );
    expect(answered[0].n).toBe(Number(m![3]));

    const b = new Browser(app.baseUrl);
    await signInWithStoredToken(app, b, 'ops@example.com');
    const teams = await (await b.request('/teams')).text();
    expect(teams).toContain('Postroom demo');
    const page = await (await b.request(`/teams/${teamId}`)).text();
    expect(page).toContain('Kenji Sato');
    // And through the API, with a key the keys command prints.
    const key = (await cli(runKeysCommand, ['create', '--name', 'demo-reader', '--scopes', 'read']))
      .out;
    const listed = await fetch(`${app.baseUrl}/v1/teams?limit=100`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await listed.json()) as { data: Array<{ id: string; name: string }> };
    expect(body.data).toContainEqual(
      expect.objectContaining({ id: teamId, name: 'Postroom demo' }),
    );

    const again = await cli(runDemoCommand, []);
    expect(again.out).toMatch(/already there/);
    expect(await q(`SELECT id FROM teams WHERE name = 'Postroom demo' OR id = $1`)).toHaveLength(1);

    const removed = await cli(runDemoCommand, ['--remove']);
    expect(removed.out).toBe(`removed the demo team ${teamId}`);
    expect(await (await b.request('/teams')).text()).not.toContain('Postroom demo');
  });
});

describe('postroom replay', () => {
  const eml = () => {
    const file = join(makeTempDir('postroom-replay-'), 'reply.eml');
    const id = `replay-${Math.random().toString(36).slice(2)}@example.org`;
    writeFileSync(
      file,
      `From: Ana <ana@example.org>\r\nTo: Team <reply@in.postroom.test>\r\nCc: bo@example.org\r\n` +
        `Subject: replayed\r\nMessage-ID: <${id}>\r\n\r\nHello again\r\n`,
    );
    return { file, id };
  };

  test.each(['mailgun', 'sendgrid', 'postmark', 'relay'])(
    '%s: signed with the configured secret, stored by the endpoint',
    async (provider) => {
      const { file, id } = eml();
      const r = await cli(runReplayCommand, [file, '--provider', provider, '--url', app.baseUrl]);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^200 \{"status":"accepted"/);
      expect(r.code).toBe(0);
      const row = await app.db.pool.query(
        'SELECT provider, envelope_to FROM inbound_emails WHERE message_id = $1',
        [id],
      );
      expect(row.rows[0].provider).toBe(provider);
    },
  );

  test('ses: an SNS envelope signed with --sns-key for the configured topic', async () => {
    const { file } = eml();
    const { certPem, keyPem } = makeSnsCertificate();
    const keyFile = join(makeTempDir('postroom-sns-'), 'key.pem');
    writeFileSync(keyFile, keyPem);
    const dry = await cli(runReplayCommand, [
      file,
      '--provider',
      'ses',
      '--sns-key',
      keyFile,
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/inbound\/ses$/m);
    const body = dry.out.slice(dry.out.indexOf('\n\n') + 2);
    const verifier = new SnsVerifier({
      topicArns: [SECRETS.SES_TOPIC_ARNS],
      fetchCert: async () => certPem,
      clock: new ManualClock(new Date()),
      maxAgeSeconds: 3600,
    });
    const verified = await verifier.verify(Buffer.from(body));
    expect(JSON.parse(verified.Message).mail.destination).toEqual([
      'reply@in.postroom.test',
      'bo@example.org',
    ]);
    const noKey = await cli(runReplayCommand, [file, '--provider', 'ses']);
    expect(noKey.code).toBe(64);
  });

  test('usage errors and an unreachable server have their exit codes', async () => {
    const { file } = eml();
    expect((await cli(runReplayCommand, [file, '--provider', 'gmail'])).code).toBe(64);
    const down = await cli(runReplayCommand, [
      file,
      '--provider',
      'relay',
      '--url',
      'http://127.0.0.1:9',
    ]);
    expect(down.code).toBe(75);
    const wrong = replayRequest(
      Buffer.from('x'),
      { provider: 'relay', url: '', to: [], from: undefined, snsKey: undefined },
      loadConfig({ RELAY_TOKENS: 'abc' }),
    );
    expect(wrong.headers.authorization).toBe('Bearer abc');
  });
});
