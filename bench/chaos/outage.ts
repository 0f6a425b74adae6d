/**
 * 3. PostgreSQL stopped for 15 s under inbound and outbound load. Applications keep sending
 * through the API (each retried with its Idempotency-Key until a 202) and an MTA keeps relaying
 * inbound mail (retried until a 2xx), as real callers do. We count what callers saw during the
 * outage, then check that every message they were told was accepted exists once and was
 * delivered (outbound) or processed (inbound).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startRole, type Database } from './cluster.js';
import { inboundMail, relayUntilAccepted, sendUntilAccepted, type Codes } from './load.js';
import { finish, seconds, stage, teardown, type Stage } from './scenarios.js';

const LOAD_SECONDS = 40;
const OUTAGE_AT = 10;
const OUTAGE_SECONDS = 15;
const PER_SECOND = 10;
const LEASE_SECONDS = 60;

type Phase = 'before' | 'outage' | 'after';

/** Why a dead process died: its last fatal log line, or the uncaught error Node printed. */
function lastError(tail: string): string {
  const lines = tail.trim().split('\n');
  const uncaught = lines.filter((l) =>
    /^\w*(Error|error):|Emitted 'error' event on/.test(l.trim()),
  );
  if (uncaught.length)
    return uncaught
      .map((l) => l.trim())
      .join(' / ')
      .slice(0, 300);
  for (const line of lines.reverse()) {
    try {
      const entry = JSON.parse(line) as {
        level?: number;
        msg?: string;
        err?: { message?: string };
      };
      if ((entry.level ?? 0) >= 50) return `${entry.msg ?? ''} ${entry.err?.message ?? ''}`.trim();
    } catch {
      // not a log line
    }
  }
  return 'no error logged';
}

/**
 * Restarts a process that exits, on the same port, as systemd or Docker would (Restart=always,
 * RestartSec=1), until `done()`; a start-up that fails while the database is down is retried.
 */
async function supervise(s: Stage, notes: string[], done: () => boolean): Promise<void> {
  while (!done()) {
    for (const p of s.procs) {
      if (p.child.exitCode === null && p.child.signalCode === null) continue;
      const how = await p.exited;
      const next = await startRole(p.role, s.env, p.port ?? 0).catch(() => null);
      if (!next) continue;
      notes.push(
        `postroom ${p.role} exited at ${seconds(s)} s (${how}: ${lastError(p.tail())}); restarted`,
      );
      s.procs = s.procs.map((q) => (q === p ? next : q));
    }
    await sleep(1000);
  }
}

/**
 * A message being processed when the database went away keeps its pg-boss job `active` until the
 * job's expiry (5 min for inbound.process) makes it retry: wait past that.
 */
async function inboundFigures(s: Stage, accepted: number): Promise<string[]> {
  const waitFrom = Date.now();
  const end = waitFrom + 8 * 60_000;
  for (;;) {
    const { rows } = await s.pool.query(
      `SELECT count(*)::int AS total, count(DISTINCT message_id)::int AS distinct_ids,
              count(*) FILTER (WHERE status IN ('received', 'processing'))::int AS open,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
         FROM inbound_emails WHERE message_id LIKE 'chaos-in-%'`,
    );
    const r = rows[0] as { total: number; distinct_ids: number; open: number; failed: number };
    if (r.open === 0 || Date.now() > end)
      return [
        `inbound:    ${accepted} accepted (2xx) by the relay client; stored ${r.distinct_ids} distinct, ${r.total} rows`,
        `            lost ${Math.max(0, accepted - r.distinct_ids)}, duplicated ${r.total - r.distinct_ids}, failed ${r.failed}, unprocessed ${r.open} (after ${((Date.now() - waitFrom) / 1000).toFixed(0)} s more)`,
      ];
    await sleep(1000);
  }
}

export async function databaseOutage(db: Database): Promise<string[]> {
  const s = await stage(db, 'chaos_s3', { delay: [20, 60] });
  // A lease longer than the outage, as the default (300 s) is: a send whose outcome could not
  // be committed waits for the database instead of being given up and sent again.
  s.env = { ...s.env, RELAY_TOKENS: 'chaos-relay', OUTBOUND_LEASE_SECONDS: String(LEASE_SECONDS) };
  const notes: string[] = [];
  const codes: Record<Phase, { out: Codes; in: Codes; ready: Codes }> = {
    before: { out: {}, in: {}, ready: {} },
    outage: { out: {}, in: {}, ready: {} },
    after: { out: {}, in: {}, ready: {} },
  };
  let phase: Phase = 'before';
  try {
    const web = await startRole('web', s.env);
    s.procs.push(web, await startRole('worker', s.env));
    const base = `http://127.0.0.1:${web.port}`;
    const deadline = Date.now() + 180_000;
    let outAccepted = 0;
    let inAccepted = 0;
    const pending: Array<Promise<void>> = [];
    let loadDone = false;
    const supervising = supervise(s, notes, () => loadDone);
    const outage = (async () => {
      await sleep(OUTAGE_AT * 1000);
      phase = 'outage';
      await db.stop();
      notes.push(`PostgreSQL stopped at ${seconds(s)} s`);
      const polling = (async () => {
        while (phase === 'outage') {
          const r = await fetch(`${base}/readyz`).catch(() => null);
          const c = codes.outage.ready;
          c[r ? String(r.status) : 'no connection'] =
            (c[r ? String(r.status) : 'no connection'] ?? 0) + 1;
          await sleep(1000);
        }
      })();
      await sleep(OUTAGE_SECONDS * 1000);
      await db.start();
      phase = 'after';
      await polling;
      notes.push(`PostgreSQL started again at ${seconds(s)} s`);
    })();
    for (let i = 0; i < LOAD_SECONDS * PER_SECOND; i++) {
      const message = { to: [`s3-${i}@example.org`], subject: `s3 ${i}`, text: `message ${i}` };
      pending.push(
        sendUntilAccepted(
          base,
          s.key,
          message,
          `s3-out-${i}`,
          () => codes[phase].out,
          deadline,
        ).then((ok) => void (ok && outAccepted++)),
        relayUntilAccepted(
          base,
          'chaos-relay',
          inboundMail(i, 'chaos.test'),
          () => codes[phase].in,
          deadline,
        ).then((ok) => void (ok && inAccepted++)),
      );
      await sleep(1000 / PER_SECOND);
    }
    await outage;
    await Promise.all(pending);
    loadDone = true;
    await supervising;
    const outbound = await finish(s, outAccepted, null, {
      copies: 0,
      why: `no kills; with a ${LEASE_SECONDS} s lease, sends in flight when the database went away wait for it`,
    });
    return [
      `outbound:   ${outAccepted} messages accepted (202) by the API client`,
      ...outbound,
      ...(await inboundFigures(s, inAccepted)),
      ...notes,
      ...(['before', 'outage', 'after'] as const).map(
        (p) =>
          `answers ${p.padEnd(6)}: POST /v1/messages ${JSON.stringify(codes[p].out)}, POST /inbound/relay ${JSON.stringify(codes[p].in)}${p === 'outage' ? `, GET /readyz ${JSON.stringify(codes[p].ready)}` : ''}`,
      ),
    ];
  } finally {
    await teardown(s);
  }
}
