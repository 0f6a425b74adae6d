/**
 * The four scenarios of issue 14, each on its own database, with real processes, real SIGKILLs
 * and a real SMTP server over the wire. Each returns the lines `npm run chaos` prints.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startSinkProcess, type SinkProcess } from '../support/line-process.js';
import {
  createApiKey,
  createDatabase,
  migrate,
  startRole,
  type Database,
  type Env,
  type Proc,
} from './cluster.js';
import { sendBatches, type Codes, type MessageSpec } from './load.js';
import { describeTally, tally, type SinkDump } from './tally.js';

const SINK = join(import.meta.dirname, 'sink.ts');
export const POOL = 5;
/** OUTBOUND_SEND_CONCURRENCY's default: what a killed worker can have in flight. */
export const IN_FLIGHT = 2 * POOL;

/** Short leases and retries so recovery happens within the run; documented with the figures. */
export const OUTBOUND_ENV: Env = {
  SMTP_IGNORE_TLS: 'true',
  SMTP_POOL_CONNECTIONS: String(POOL),
  MAIL_FROM: 'Chaos <chaos@example.com>',
  OUTBOUND_LEASE_SECONDS: '10',
  OUTBOUND_SWEEP_SECONDS: '1',
  OUTBOUND_RETRY_BASE_SECONDS: '1',
  OUTBOUND_RETRY_CAP_SECONDS: '4',
  INBOUND_REJECTION_MAIL: 'false',
};

export interface Stage {
  env: Env;
  key: string;
  pool: pg.Pool;
  sink: SinkProcess;
  started: number;
  procs: Proc[];
  /** When each SIGKILL was sent (ms). */
  kills: number[];
}

/** A fresh database, the sink, migrations and an API key. */
export async function stage(db: Database, name: string, sinkOptions: object): Promise<Stage> {
  const url = await createDatabase(db, name);
  const sink = await startSinkProcess(SINK, [JSON.stringify(sinkOptions)]);
  const env = { ...OUTBOUND_ENV, DATABASE_URL: url, SMTP_URL: sink.url };
  migrate(env);
  const key = createApiKey(env);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return { env, key, pool, sink, started: Date.now(), procs: [], kills: [] };
}

export async function teardown(s: Stage): Promise<void> {
  await Promise.all(s.procs.map((p) => p.kill('SIGTERM')));
  s.sink.stop();
  await s.pool.end();
}

export const seconds = (s: Stage) => ((Date.now() - s.started) / 1000).toFixed(1);

export async function countWhere(s: Stage, where: string): Promise<number> {
  const { rows } = await s.pool.query(
    `SELECT count(*)::int AS n FROM outbound_messages WHERE ${where}`,
  );
  return rows[0].n as number;
}

/** Waits until `expected` messages exist and none is waiting to be (re)sent. */
export async function settle(s: Stage, expected: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const total = await countWhere(s, 'true');
    const open = await countWhere(s, `status IN ('scheduled','queued','sending','deferred')`);
    if (total >= expected && open === 0) return true;
    await sleep(1000);
  }
  return false;
}

/** SIGKILLs `proc` at a random moment in [min, max] s from now, notes what it held, restarts it. */
export async function killAndRestart(
  s: Stage,
  proc: Proc,
  range: [number, number],
  notes: string[],
): Promise<Proc> {
  await sleep((range[0] + Math.random() * (range[1] - range[0])) * 1000);
  const leased = await countWhere(s, `status = 'sending'`);
  const sent = await countWhere(s, `status <> 'queued' AND status <> 'sending'`);
  s.kills.push(Date.now());
  await proc.kill('SIGKILL');
  notes.push(
    `kill at ${seconds(s)} s: ${leased} messages leased (all workers), ${sent} settled so far`,
  );
  const next = await startRole('worker', s.env);
  s.procs = s.procs.map((p) => (p === proc ? next : p));
  return next;
}

type Allowance = { copies: number; why: string };

/** Waits for the messages to settle, then tallies them against what the server kept. */
export async function finish(
  s: Stage,
  expected: number,
  hard: RegExp | null,
  allowance: Allowance | ((dump: SinkDump) => Allowance),
): Promise<string[]> {
  const settled = await settle(s, expected, 10 * 60_000);
  const dump = JSON.parse(await s.sink.ask('dump')) as SinkDump;
  const t = await tally(s.pool, dump, hard, s.kills);
  return [
    ...describeTally(t, typeof allowance === 'function' ? allowance(dump) : allowance),
    `faults:     ${
      Object.entries(dump.injected)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none injected'
    }`,
    `time:       ${seconds(s)} s${settled ? '' : ' (did not settle within 10 min)'}`,
  ];
}

const plain = (prefix: string, n: number): MessageSpec[] =>
  Array.from({ length: n }, (_, i) => ({
    to: [`${prefix}-${i}@example.org`],
    subject: `${prefix} ${i}`,
    text: `message ${i}`,
  }));

/** 1. 1,000 messages to a slow server (200–400 ms each); the worker SIGKILLed 5 times. */
export async function slowSinkKills(db: Database): Promise<string[]> {
  const s = await stage(db, 'chaos_s1', { delay: [200, 400] });
  const notes: string[] = [];
  const codes: Codes = {};
  try {
    const web = await startRole('web', s.env);
    let worker = await startRole('worker', s.env);
    s.procs.push(web, worker);
    await sendBatches([`http://127.0.0.1:${web.port}`], s.key, plain('s1', 1000), 100, codes);
    for (let k = 0; k < 5; k++) worker = await killAndRestart(s, worker, [4, 12], notes);
    const lines = await finish(s, 1000, null, {
      copies: 5 * IN_FLIGHT,
      why: `5 kills × ${IN_FLIGHT} in flight`,
    });
    return [...lines, ...notes];
  } finally {
    await teardown(s);
  }
}

/** 2. Two `postroom web` and two `postroom worker` on one database; one worker killed 3 times. */
export async function scaleOutKills(db: Database): Promise<string[]> {
  const s = await stage(db, 'chaos_s2', { delay: [50, 150] });
  const notes: string[] = [];
  const codes: Codes = {};
  try {
    const webs = [await startRole('web', s.env), await startRole('web', s.env)];
    let worker = await startRole('worker', s.env);
    s.procs.push(...webs, worker, await startRole('worker', s.env));
    const bases = webs.map((w) => `http://127.0.0.1:${w.port}`);
    const posting = sendBatches(bases, s.key, plain('s2', 2000), 100, codes);
    for (let k = 0; k < 3; k++) worker = await killAndRestart(s, worker, [3, 7], notes);
    await posting;
    const lines = await finish(s, 2000, null, {
      copies: 3 * IN_FLIGHT,
      why: `3 kills × ${IN_FLIGHT} in flight`,
    });
    return [...lines, ...notes, `API answers: ${JSON.stringify(codes)}`];
  } finally {
    await teardown(s);
  }
}

/** 4. A realistic server: 5 % 4xx at RCPT or DATA, 1 % bad mailboxes, drops, several recipients. */
export async function realisticSink(db: Database): Promise<string[]> {
  const hard = /^hard-/;
  const s = await stage(db, 'chaos_s4', {
    rcpt4xx: 0.025,
    data4xx: 0.025,
    drop: 0.02,
    hard: hard.source,
    delay: [5, 30],
  });
  const codes: Codes = {};
  try {
    const web = await startRole('web', s.env);
    s.procs.push(web, await startRole('worker', s.env));
    let n = 0;
    const address = () =>
      Math.random() < 0.01 ? `hard-${n++}@example.org` : `r-${n++}@example.org`;
    const messages = Array.from({ length: 1000 }, (_, i): MessageSpec => {
      const k = 1 + (i % 3);
      return {
        to: [address()],
        ...(k > 1 ? { cc: [address()] } : {}),
        ...(k > 2 ? { bcc: [address()] } : {}),
        subject: `s4 ${i}`,
        text: `message ${i}`,
      };
    });
    await sendBatches([`http://127.0.0.1:${web.port}`], s.key, messages, 100, codes);
    const lines = await finish(s, 1000, hard, (dump) => ({
      copies: dump.injected['recipients kept before a drop'] ?? 0,
      why: 'no kills: one per recipient of a transaction the server kept, then dropped unanswered',
    }));
    const { rows } = await s.pool.query(
      `SELECT count(*)::int AS n FROM recipient_deliveries r WHERE r.attempts > 1 AND r.status = 'accepted'
         AND EXISTS (SELECT 1 FROM recipient_deliveries o WHERE o.message_id = r.message_id
                     AND o.address <> r.address AND o.attempts = 1 AND o.status = 'accepted')`,
    );
    return [
      ...lines,
      `retried alone: ${rows[0].n} recipients were sent again without their co-recipients`,
    ];
  } finally {
    await teardown(s);
  }
}
