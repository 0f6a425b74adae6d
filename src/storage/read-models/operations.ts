/**
 * What an operator reads off our own tables: the planner's last tick (tick lag), the database
 * size, recent mail failures, and the team a prompt or digest belongs to (the job page's links).
 */
import { one, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { LinkedTeam } from '../../services/operations/ports.js';

export async function lastTickAt(ex: Executor): Promise<Date | null> {
  const r = await one<{ at: Date | null }>(
    ex,
    `SELECT CASE WHEN to_regclass('checkin_ticks') IS NULL THEN NULL
            ELSE (SELECT max(last_tick_at) FROM checkin_ticks) END AS at`,
  );
  return r?.at ?? null;
}

export async function databaseBytes(ex: Executor): Promise<number> {
  const r = await one<{ bytes: number }>(
    ex,
    `SELECT pg_database_size(current_database())::float8 AS bytes`,
  );
  return r?.bytes ?? 0;
}

export async function mailFailuresSince(
  ex: Executor,
  since: Date,
): Promise<{ outbound: number; inbound: number }> {
  const r = await one<{ outbound: number; inbound: number }>(
    ex,
    `SELECT (SELECT count(*) FROM outbound_messages
              WHERE status IN ('failed', 'bounced', 'expired') AND updated_at >= $1)::int AS outbound,
            (SELECT count(*) FROM inbound_emails
              WHERE status = 'failed' AND updated_at >= $1)::int AS inbound`,
    [since],
  );
  return r ?? { outbound: 0, inbound: 0 };
}

export async function promptTeams(ex: Executor, ids: readonly string[]): Promise<LinkedTeam[]> {
  if (ids.length === 0) return [];
  return rows<LinkedTeam>(
    ex,
    `SELECT id, team_id AS "teamId" FROM prompts WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

export async function digestTeams(ex: Executor, ids: readonly string[]): Promise<LinkedTeam[]> {
  if (ids.length === 0) return [];
  return rows<LinkedTeam>(
    ex,
    `SELECT id, team_id AS "teamId" FROM digests WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}
