/**
 * Peak memory of large inbound bodies (issue 14). One `postroom start` process (web and worker,
 * built and run exactly as `npm start` does) on an embedded PostgreSQL; four concurrent relay POSTs of
 * INBOUND_MAX_BYTES each (a text part and a base64 attachment), then the worker parses them.
 * The server's RSS is sampled from /proc every 10 ms from before the posts until all four are
 * settled; VmHWM (the kernel's high-water mark) is read at the end.
 *
 * Baseline in the same run: the same process, four concurrent 4 KB posts.
 * Target: peak RSS under 600 MB with four posts of the documented maximum.
 *
 *   npx tsx bench/inbound/large-bodies.ts            (BENCH_BODY_MB, BENCH_POSTS,
 *                                                     BENCH_PROVIDER=relay|mailgun|sendgrid|postmark)
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  mailgunMimeRequest,
  postmarkRequest,
  relayRequest,
  sendgridRawRequest,
} from '../../scripts/providers/sign.js';
import { benchPostgres } from '../support/postgres.js';
import { freePort } from '../../test/support/free-port.js';

const MB = 1024 * 1024;
const BODY_MB = Number(process.env.BENCH_BODY_MB ?? 40);
const POSTS = Number(process.env.BENCH_POSTS ?? 4);
const PROVIDER = process.env.BENCH_PROVIDER ?? 'relay';
const TOKEN = 'bench-relay-token';
const MG_KEY = 'bench-mailgun-key';
const BASIC = 'bench:inbound-auth';
const TO = 'someone@in.bench.test';

/** A message of about `bytes` bytes: a short text part and one base64 attachment. */
function message(bytes: number, i: number): Buffer {
  const head =
    `From: Ana <ana@example.org>\r\nTo: someone@in.bench.test\r\nSubject: large ${i}\r\n` +
    `Message-ID: <large-${i}-${randomBytes(6).toString('hex')}@example.org>\r\nMIME-Version: 1.0\r\n` +
    `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n` +
    `Here is the archive.\r\n--b\r\nContent-Type: application/octet-stream; name="a.bin"\r\n` +
    `Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="a.bin"\r\n\r\n`;
  const tail = '\r\n--b--\r\n';
  // Leave room for the multipart envelope of the Mailgun form (≈ 1 KB).
  const room = bytes - head.length - tail.length - 2048;
  const lines = Math.floor(room / 78);
  const b64 = randomBytes(lines * 57)
    .toString('base64')
    .replace(/.{76}/g, '$&\r\n');
  return Buffer.concat([Buffer.from(head), Buffer.from(b64), Buffer.from(tail)]);
}

function request(raw: Buffer) {
  switch (PROVIDER) {
    case 'mailgun':
      return mailgunMimeRequest(raw, { key: MG_KEY, recipient: TO });
    case 'sendgrid':
      return sendgridRawRequest(raw, { auth: BASIC, to: [TO] });
    case 'postmark':
      return postmarkRequest(raw, { auth: BASIC, to: TO });
    default:
      return relayRequest(raw, { token: TOKEN, to: [TO] });
  }
}

/** A request whose body is as close to `bytes` as its envelope (form, JSON escaping) allows. */
function sized(bytes: number, i: number) {
  const first = request(message(bytes, i));
  const over = first.body.length - bytes;
  return over <= 0 ? first : request(message(bytes - Math.ceil(over * 1.05), i));
}

function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)![1]);
  return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
}

async function startPostroom(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '../../dist/main/cli.js'), 'start'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        SECRET_KEY: 'bench-secret-0123456789abcdef0123456789abcdef',
        RELAY_TOKENS: TOKEN,
        MAILGUN_SIGNING_KEYS: MG_KEY,
        SENDGRID_INBOUND_AUTH: BASIC,
        POSTMARK_INBOUND_AUTH: BASIC,
        INBOUND_DOMAIN: 'in.bench.test',
        INBOUND_REJECTION_MAIL: 'false',
        WORKER_SELF_TEST: 'false',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('postroom did not become ready');
}

async function round(
  pid: number,
  port: number,
  db: pg.Client,
  bytes: number,
): Promise<{
  peak: number;
  before: number;
  statuses: number[];
  seconds: number;
  ingest: { peak: number; seconds: number };
  largest: number;
}> {
  const bodies = Array.from({ length: POSTS }, (_, i) => sized(bytes, i));
  const largest = Math.max(...bodies.map((b) => b.body.length));
  const settledBefore = (
    await db.query(
      `SELECT count(*)::int AS n FROM inbound_emails WHERE status IN ('processed','ignored')`,
    )
  ).rows[0].n as number;
  const before = rssOf(pid).rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(pid).rss);
  }, 10);
  const started = Date.now();
  const statuses = await Promise.all(
    bodies.map(async (r) => {
      const res = await fetch(`http://127.0.0.1:${port}${r.path}`, {
        method: 'POST',
        headers: r.headers,
        body: r.body,
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${r.path} answered ${res.status}: ${text}`);
      return res.status;
    }),
  );
  const ingest = { peak, seconds: (Date.now() - started) / 1000 };
  for (;;) {
    const { n } = (
      await db.query(
        `SELECT count(*)::int AS n FROM inbound_emails WHERE status IN ('processed','ignored','failed')`,
      )
    ).rows[0] as { n: number };
    if (n >= settledBefore + POSTS) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  clearInterval(sampler);
  return {
    peak: Math.max(peak, rssOf(pid).rss),
    before,
    statuses,
    seconds: (Date.now() - started) / 1000,
    ingest,
    largest,
  };
}

async function main() {
  // The process measured is the built one, as `npm start` runs it (no tsx loader in it).
  execSync('npm run build', { cwd: join(import.meta.dirname, '../..'), stdio: 'ignore' });
  const server = await benchPostgres(process.env.BENCH_DATABASE_URL);
  const port = await freePort();
  const child = await startPostroom(server.url, port);
  const db = new pg.Client({ connectionString: server.url });
  await db.connect();
  try {
    const small = await round(child.pid!, port, db, 4096);
    const large = await round(child.pid!, port, db, BODY_MB * MB);
    const hwm = rssOf(child.pid!).hwm;
    const mb = (n: number) => (n / MB).toFixed(0);
    console.log(
      `\n${POSTS} concurrent ${PROVIDER} POSTs, then processing, one \`postroom start\` process\n`,
    );
    console.log(
      '| bodies | largest request, bytes | HTTP statuses | RSS before MB | peak RSS to the last 200, MB | seconds to the last 200 | peak RSS until processed, MB | seconds until processed |',
    );
    console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, r] of [
      ['4 KB (baseline)', small],
      [`${BODY_MB} MB`, large],
    ] as const) {
      console.log(
        `| ${name} | ${r.largest} | ${r.statuses.join(' ')} | ${mb(r.before)} | ${mb(r.ingest.peak)} | ${r.ingest.seconds.toFixed(1)} | ${mb(r.peak)} | ${r.seconds.toFixed(1)} |`,
      );
    }
    console.log(
      `\nVmHWM ${mb(hwm)} MB; peak large / peak baseline = ${(large.peak / small.peak).toFixed(2)}; target: peak < 600 MB`,
    );
  } finally {
    await db.end();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await server.stop();
  }
}

await main();
