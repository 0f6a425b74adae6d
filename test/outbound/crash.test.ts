/**
 * A worker is SIGKILLed in the middle of a batch and another one takes over. Every message ends
 * `sent`, and reaches the sink exactly once, except messages flagged `possibly_duplicate`: they
 * were in the ambiguous window (handed to the server, not yet recorded) and may arrive twice
 * (docs/outbound.md). Each outcome is committed as soon as its SMTP transaction ends, so the
 * copies are at most the worker's send slots (OUTBOUND_SEND_CONCURRENCY), and the flagged ones
 * at most those plus what it had claimed ahead (a few per fetch loop), not whole claimed groups.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startTestApp, TEST_SECRET } from '../support/app.js';
import { createTestDatabase } from '../support/db.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { messageIdOf, startOutboundApp } from './support/outbound-app.js';

const COUNT = 300;
const POOL = 2;
/** The killed worker's send slots (OUTBOUND_SEND_CONCURRENCY defaults to twice the pool). */
const IN_FLIGHT = 2 * POOL;
/** Its pg-boss fetch loops (OUTBOUND_WORKER_CONCURRENCY's default), each claiming 2 × slots ahead. */
const LOOPS = 2;

test('SIGKILL mid-batch: every message is sent, exactly once unless flagged', async () => {
  const db = await createTestDatabase();
  const sink = await startSmtpSink({ delayMs: 3 });
  const env = {
    SMTP_URL: sink.url,
    SMTP_IGNORE_TLS: 'true',
    MAIL_FROM: 'noreply@example.com',
    OUTBOUND_LEASE_SECONDS: '2',
    OUTBOUND_SWEEP_SECONDS: '1',
    OUTBOUND_JOB_MODE: 'message',
    OUTBOUND_WORKER_BATCH_SIZE: '10',
    SMTP_POOL_CONNECTIONS: String(POOL),
  };
  const web = await startOutboundApp({
    db,
    roles: { web: true, worker: false },
    env,
    noSmtp: true,
  });
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const res = await web.api('POST', '/v1/messages/batch', {
      messages: Array.from({ length: COUNT }, (_, i) => ({
        to: [`c${i}@example.org`],
        subject: `crash ${i}`,
        text: `n=${i}`,
      })),
    });
    expect(res.body.accepted).toHaveLength(COUNT);

    child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'support/worker-child.ts')],
      {
        env: {
          ...process.env,
          ...env,
          NODE_ENV: 'test',
          DATABASE_URL: db.url,
          SECRET_KEY: TEST_SECRET,
          WORKER_SELF_TEST: 'false',
          LOG_LEVEL: 'silent',
          PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await sink.waitFor(60, 30000);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const atKill = sink.messages.length;
    expect(atKill).toBeLessThan(COUNT);
    // The killed worker's claims: the only messages that can be in the ambiguous window.
    const leased = new Set(
      (
        await db.pool.query<{ id: string }>(
          `SELECT id FROM outbound_messages WHERE status = 'sending'`,
        )
      ).rows.map((r) => r.id),
    );

    const worker = await startTestApp({
      db,
      roles: { web: false, worker: true },
      env: { ...env, MAIL_FROM: 'noreply@example.com', OUTBOUND_LEASE_SECONDS: '60' },
    });
    try {
      const end = Date.now() + 40000;
      for (;;) {
        const { rows } = await db.pool.query(
          `SELECT count(*)::int AS n FROM outbound_messages WHERE status = 'sent'`,
        );
        if (rows[0].n === COUNT) break;
        if (Date.now() > end) {
          const left = await db.pool.query(
            `SELECT status, attempts, last_error, possibly_duplicate, next_attempt_at, lease_until
               FROM outbound_messages WHERE status <> 'sent'`,
          );
          const jobs = await db.pool.query(
            `SELECT name, state, retry_count, started_on, created_on, data FROM pgboss.job WHERE state <> 'completed'`,
          );
          throw new Error(
            `only ${rows[0].n} of ${COUNT} sent: ${JSON.stringify(left.rows)} ${JSON.stringify(jobs.rows)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await worker.stop();
    }

    const { rows } = await db.pool.query<{
      id: string;
      possibly_duplicate: boolean;
      header: string;
    }>(`SELECT id, possibly_duplicate, message_id_header AS header FROM outbound_messages`);
    const seen = new Map<string, number>();
    for (const m of sink.messages)
      seen.set(messageIdOf(m.raw), (seen.get(messageIdOf(m.raw)) ?? 0) + 1);
    const flagged = rows.filter((r) => r.possibly_duplicate);
    for (const r of rows) {
      const n = seen.get(r.header.slice(1, -1)) ?? 0;
      if (r.possibly_duplicate) expect([1, 2]).toContain(n);
      else expect([r.id, n]).toEqual([r.id, 1]);
    }
    // Only messages leased by the killed worker can be in the window (the new worker's leases,
    // 60 s, do not expire during the test).
    for (const f of flagged) expect(leased.has(f.id)).toBe(true);
    expect(flagged.length).toBe(leased.size);
    // The window is the messages in flight, not whole claimed groups.
    const twice = rows.filter((r) => seen.get(r.header.slice(1, -1)) === 2);
    expect(twice.length).toBeLessThanOrEqual(IN_FLIGHT);
    expect(flagged.length).toBeLessThanOrEqual(IN_FLIGHT + LOOPS * 2 * IN_FLIGHT);
    const flaggedEvents = await db.pool.query(
      `SELECT count(*)::int AS n FROM message_events WHERE type = 'lease_expired'`,
    );
    expect(flaggedEvents.rows[0].n).toBe(flagged.length);
  } finally {
    child?.kill('SIGKILL');
    await web.stop();
    await sink.close();
    await db.close();
  }
}, 90000);
