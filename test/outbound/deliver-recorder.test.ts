/**
 * The send worker's group commit (services/outbound/deliver-recorder.ts) against the real
 * storage: outcomes that end together share one commit, a lone outcome waits at most the linger
 * before it is written, and every outcome handed over ends committed. The repository is the real
 * one; the test only counts the commits that reach it. The commit's own sessions keep its one
 * generic plan (storage/db.ts, createGenericPlanPool), and the send worker commits on them.
 */
import type pg from 'pg';
import { createRecorder } from '../../src/services/outbound/deliver-recorder.js';
import type { ClaimedMessage, OutcomeBatch } from '../../src/services/outbound/ports/index.js';
import type { Database } from '../../src/services/ports.js';
import { createGenericPlanPool, createPool } from '../../src/storage/db.js';
import { repositories } from '../../src/storage/index.js';
import { createDatabase } from '../../src/storage/sql.js';
import { quietRecordDeps, sentSettlement } from '../support/send-outcomes.js';
import { startOutboundApp, type OutboundTestApp } from './support/outbound-app.js';

describe('group commit of send outcomes', () => {
  let t: OutboundTestApp;
  beforeAll(async () => {
    // No worker: the test claims and settles the messages itself.
    t = await startOutboundApp({ roles: { web: true, worker: false } });
  });
  afterAll(() => t.stop());

  /** Accepts `n` messages through the API and claims them, as the send worker would. */
  async function claimed(n: number): Promise<ClaimedMessage[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await t.api('POST', '/v1/messages', {
        to: `r${i}@example.org`,
        subject: `m${i}`,
        text: 'x',
      });
      expect(res.status).toBe(202);
      ids.push(res.body.id as string);
    }
    const now = new Date();
    return repositories.outboundMessages.claimMessages(
      t.app.db.db,
      ids,
      now,
      new Date(now.getTime() + 60_000),
    );
  }

  /** The recorder over the real repository, remembering how many messages each commit held. */
  function recorder(batchTarget: number, lingerMs: number, db: Database = t.app.db.db) {
    const commits: number[] = [];
    const deps = quietRecordDeps(db, (ex, b: OutcomeBatch, now) => {
      commits.push(new Set(b.transitions.flatMap((g) => g.rows.map((r) => r.id))).size);
      return repositories.outboundMessages.recordOutcomes(ex, b, now);
    });
    return { commits, rec: createRecorder(deps, { batchTarget, lingerMs }) };
  }

  const statusOf = async (id: string) => (await t.api('GET', `/v1/messages/${id}`)).body.status;

  test('outcomes that end together go in one commit, and each is written', async () => {
    const ms = await claimed(5);
    // A linger far longer than a loaded box's commit, so only waiting for it can pass it.
    const { commits, rec } = recorder(5, 10_000);
    const until = new Date(Date.now() + 60_000);
    const started = performance.now();
    await Promise.all(ms.map((m) => rec.record(sentSettlement(m), until)));
    // The fifth outcome made the group due at once: nobody waited for the linger.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(commits).toEqual([5]);
    for (const m of ms) expect(await statusOf(m.id)).toBe('sent');
  });

  test('each MIME of a shared commit is stored byte for byte, whatever its length and bytes', async () => {
    const ms = await claimed(4);
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const raws = [
      Buffer.from('Subject: a\r\n\r\n\r\n'),
      Buffer.concat([every, Buffer.from(every).reverse()]),
      Buffer.alloc(70_000, 'x\\'),
      Buffer.from('Subject: \u00e9\u{1F600}\r\n\r\n\u0000\r\n'),
    ];
    const { commits, rec } = recorder(4, 1000);
    const until = new Date(Date.now() + 60_000);
    await Promise.all(ms.map((m, i) => rec.record(sentSettlement(m, raws[i]), until)));
    expect(commits).toEqual([4]);
    for (const [i, m] of ms.entries()) {
      const stored = await repositories.outboundMessages.getRaw(t.app.db.db, m.id);
      expect(Buffer.compare(stored!, raws[i]!)).toBe(0);
    }
  });

  test('a lone outcome is written once the linger has passed, not before', async () => {
    const [m] = await claimed(1);
    const { commits, rec } = recorder(5, 150);
    const started = performance.now();
    const done = rec.record(sentSettlement(m!), new Date(Date.now() + 60_000));
    await new Promise((r) => setTimeout(r, 50));
    expect(await statusOf(m!.id)).toBe('sending');
    await done;
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(commits).toEqual([1]);
    expect(await statusOf(m!.id)).toBe('sent');
  });

  test('a burst is written in groups of the target, the rest after the linger', async () => {
    const ms = await claimed(12);
    const { commits, rec } = recorder(5, 100);
    const until = new Date(Date.now() + 60_000);
    await Promise.all(ms.map((m) => rec.record(sentSettlement(m), until)));
    expect(commits).toEqual([5, 5, 2]);
    for (const m of ms) expect(await statusOf(m.id)).toBe('sent');
  });

  test('on its own sessions the commit runs one generic plan from the first call; a usual session plans at least its first five calls afresh', async () => {
    /** Seven single commits on a one-connection pool, then that session's plan counts. */
    const plansOf = async (pool: pg.Pool) => {
      const { commits, rec } = recorder(1, 0, createDatabase(pool));
      for (const m of await claimed(7))
        await rec.record(sentSettlement(m), new Date(Date.now() + 60_000));
      const { rows } = await pool.query(
        `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE 'WITH%'`,
      );
      await pool.end();
      expect(commits).toEqual([1, 1, 1, 1, 1, 1, 1]);
      return rows as { generic_plans: number; custom_plans: number }[];
    };
    const own = await plansOf(createGenericPlanPool(t.app.db.url, 1, 'test-commit'));
    const usual = await plansOf(createPool(t.app.db.url, 1));
    expect(own).toEqual([{ generic_plans: 7, custom_plans: 0 }]);
    expect(usual).toHaveLength(1);
    expect(usual[0]!.custom_plans).toBeGreaterThanOrEqual(5);
  });
});

describe('the send worker commits on the commit sessions', () => {
  test('a message sent by the worker had its outcome committed by a postroom-commit session', async () => {
    const t = await startOutboundApp();
    try {
      const res = await t.api('POST', '/v1/messages', {
        to: 'one@example.org',
        subject: 's',
        text: 'x',
      });
      expect(res.status).toBe(202);
      await t.waitForStatus(res.body.id as string, ['sent']);
      const { rows } = await t.app.db.pool.query<{ query: string }>(
        `SELECT query FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'postroom-commit'`,
      );
      // Each session's last statement: the commit, which opens with the recipients' CTE (the
      // view keeps only the first 1 kB of a statement's text).
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((r) => r.query.startsWith('WITH rvr AS'))).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
