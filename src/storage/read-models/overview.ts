/**
 * The overview read model: last-24 h counts over outbound_messages and inbound_emails, sends
 * per hour, and live queue depths from pg-boss's job table. A feature's table that is not
 * installed yields null for its section instead of an error.
 */
import { one, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { CountByKey, Overview, QueueDepth } from '../../services/dashboard/ports/index.js';

const FAILURES = ['failed', 'bounced', 'expired', 'complained'];
const OUTCOMES = ['sent', 'delivered', ...FAILURES];

/** The pg-boss schema is spliced into SQL text, so only a plain identifier is accepted. */
export function checkBossSchema(bossSchema: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(bossSchema))
    throw new Error(`bad pg-boss schema name: ${bossSchema}`);
  return bossSchema;
}

export async function read(ex: Executor, bossSchema: string, now: Date): Promise<Overview> {
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const [outbound, inbound, queues] = await Promise.all([
    readOutbound(ex, since),
    readInbound(ex, since),
    readQueues(ex, checkBossSchema(bossSchema), now),
  ]);
  return { since, outbound, inbound, queues };
}

async function hasTable(ex: Executor, name: string): Promise<boolean> {
  const r = await one<{ t: string | null }>(ex, `SELECT to_regclass($1)::text AS t`, [name]);
  return r?.t != null;
}

/** Rows per status since `since`, most first; the table and column are ours, never input. */
function countByStatus(
  ex: Executor,
  table: 'outbound_messages' | 'inbound_emails',
  column: 'created_at' | 'received_at',
  since: Date,
): Promise<CountByKey[]> {
  return rows<CountByKey>(
    ex,
    `SELECT status AS key, count(*)::int AS count FROM ${table} WHERE ${column} >= $1
      GROUP BY status ORDER BY count DESC, status`,
    [since],
  );
}

async function readOutbound(ex: Executor, since: Date): Promise<Overview['outbound']> {
  if (!(await hasTable(ex, 'outbound_messages'))) return null;
  const byStatus = await countByStatus(ex, 'outbound_messages', 'created_at', since);
  const total = byStatus.reduce((a, s) => a + s.count, 0);
  const failed = byStatus.filter((s) => FAILURES.includes(s.key)).reduce((a, s) => a + s.count, 0);
  const settled = byStatus.filter((s) => OUTCOMES.includes(s.key)).reduce((a, s) => a + s.count, 0);
  const hourly = await rows<{ hour: Date; sent: number; failed: number }>(
    ex,
    `SELECT date_trunc('hour', coalesce(sent_at, updated_at)) AS hour,
            count(*) FILTER (WHERE status IN ('sent', 'delivered', 'complained'))::int AS sent,
            count(*) FILTER (WHERE status IN ('failed', 'bounced', 'expired'))::int AS failed
       FROM outbound_messages
      WHERE coalesce(sent_at, updated_at) >= date_trunc('hour', $1::timestamptz)
        AND status = ANY($2)
      GROUP BY 1 ORDER BY 1`,
    [since, OUTCOMES],
  );
  return {
    byStatus,
    total,
    failed,
    failureRate: settled === 0 ? 0 : failed / settled,
    hourly,
  };
}

async function readInbound(ex: Executor, since: Date): Promise<Overview['inbound']> {
  if (!(await hasTable(ex, 'inbound_emails'))) return null;
  const byStatus = await countByStatus(ex, 'inbound_emails', 'received_at', since);
  return { byStatus, total: byStatus.reduce((a, s) => a + s.count, 0) };
}

async function readQueues(ex: Executor, schema: string, now: Date): Promise<QueueDepth[]> {
  if (!(await hasTable(ex, `${schema}.job`))) return [];
  // Live counts rather than pg-boss's cached queue stats, which lag by the monitor interval.
  return rows<QueueDepth>(
    ex,
    `SELECT q.name,
            count(j.id) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after <= $1)::int AS queued,
            count(j.id) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after > $1)::int AS deferred,
            count(j.id) FILTER (WHERE j.state = 'active')::int AS active
       FROM ${schema}.queue q
       LEFT JOIN ${schema}.job j ON j.name = q.name AND j.state IN ('created', 'retry', 'active')
      WHERE left(q.name, 8) <> '__pgboss'
      GROUP BY q.name ORDER BY q.name`,
    [now],
  );
}
