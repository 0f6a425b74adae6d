/**
 * Reads of pg-boss's job table for the job monitor, where pg-boss 12 has no API: counts per
 * state (getQueues() caches queued/active/failed only, refreshed by its monitor), jobs of one
 * state newest first with keyset pagination (findJobs() filters by payload or key, not state),
 * and one job with its payload and output whatever its state. The actions themselves (retry,
 * cancel) go through pg-boss's API (jobs/job-control.ts). `schema` is checked to be a plain
 * identifier (checkBossSchema) before it is spliced into the SQL.
 */
import { one, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type {
  JobCursor,
  JobListItem,
  JobRecord,
  JobState,
} from '../../services/operations/ports.js';

const LIST_COLUMNS = `id, name AS queue, state::text AS state, retry_count AS "retryCount",
  retry_limit AS "retryLimit", created_on AS "createdOn", start_after AS "startAfter",
  started_on AS "startedOn", completed_on AS "completedOn", singleton_key AS "singletonKey",
  to_char(created_on AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdOnExact"`;

/** pg-boss's own bookkeeping queues (`__pgboss__…`) are not ours to show. */
const OURS = `left(name, 8) <> '__pgboss'`;

export async function countsByState(ex: Executor, schema: string) {
  return rows<{ queue: string; state: JobState; count: number }>(
    ex,
    `SELECT name AS queue, state::text AS state, count(*)::int AS count
       FROM ${schema}.job WHERE ${OURS} GROUP BY name, state ORDER BY name, state`,
  );
}

export async function oldestWaiting(ex: Executor, schema: string, now: Date) {
  return rows<{ queue: string; seconds: number }>(
    ex,
    `SELECT name AS queue, extract(epoch FROM $1::timestamptz - min(start_after))::float8 AS seconds
       FROM ${schema}.job
      WHERE state IN ('created', 'retry') AND start_after <= $1 AND ${OURS}
      GROUP BY name ORDER BY name`,
    [now],
  );
}

export async function listJobs(
  ex: Executor,
  schema: string,
  queue: string,
  state: JobState,
  after: JobCursor | null,
  limit: number,
): Promise<JobListItem[]> {
  return rows<JobListItem>(
    ex,
    `SELECT ${LIST_COLUMNS} FROM ${schema}.job
      WHERE name = $1 AND state = $2::${schema}.job_state
        AND ($3::timestamptz IS NULL OR (created_on, id) < ($3::timestamptz, $4::uuid))
      ORDER BY created_on DESC, id DESC LIMIT $5`,
    [queue, state, after?.createdOn ?? null, after?.id ?? null, limit],
  );
}

export async function getJob(
  ex: Executor,
  schema: string,
  queue: string,
  id: string,
): Promise<JobRecord | null> {
  return one<JobRecord>(
    ex,
    `SELECT ${LIST_COLUMNS}, priority, data, output, expire_seconds AS "expireInSeconds",
            keep_until AS "keepUntil", dead_letter AS "deadLetter"
       FROM ${schema}.job WHERE name = $1 AND id = $2`,
    [queue, id],
  );
}

export async function failedJobIds(
  ex: Executor,
  schema: string,
  queue: string,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const found = await rows<{ id: string }>(
    ex,
    `SELECT id FROM ${schema}.job
      WHERE name = $1 AND state = 'failed' AND ($2::uuid IS NULL OR id > $2::uuid)
      ORDER BY id LIMIT $3`,
    [queue, afterId, limit],
  );
  return found.map((r) => r.id);
}

export async function failuresSince(ex: Executor, schema: string, since: Date) {
  return rows<{ queue: string; count: number }>(
    ex,
    `SELECT name AS queue, count(*)::int AS count FROM ${schema}.job
      WHERE state = 'failed' AND completed_on >= $1 AND ${OURS}
      GROUP BY name ORDER BY count DESC, name`,
    [since],
  );
}
