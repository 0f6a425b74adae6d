/** The ApiKey repository: keys (stored as sha256 hashes) and their per-day usage (api_key_usage). */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { ApiKeyUsageRow, NewApiKey, UsageSince } from '../../services/outbound/ports/index.js';
import type { ApiKeyRecord, ApiScope } from '../../domain/outbound/message.js';

function toKey(r: Record<string, unknown>): ApiKeyRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    keyPrefix: r.key_prefix as string,
    scopes: r.scopes as ApiScope[],
    dailyQuota: (r.daily_quota as number | null) ?? null,
    replyTracking: (r.reply_tracking as boolean | undefined) ?? false,
    createdAt: r.created_at as Date,
    lastUsedAt: (r.last_used_at as Date | null) ?? null,
    revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}

export async function insertApiKey(ex: Executor, k: NewApiKey, now: Date): Promise<ApiKeyRecord> {
  const { rows } = await query(
    ex,
    `INSERT INTO api_keys (id, name, key_hash, key_prefix, scopes, daily_quota, created_at, reply_tracking)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [k.id, k.name, k.keyHash, k.keyPrefix, k.scopes, k.dailyQuota, now, k.replyTracking],
  );
  return toKey(rows[0]!);
}

export async function findApiKeyByHash(
  ex: Executor,
  keyHash: string,
): Promise<ApiKeyRecord | null> {
  const { rows } = await query(
    ex,
    `SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
    [keyHash],
  );
  return rows[0] ? toKey(rows[0]) : null;
}

/** At most one write a minute per key, so authentication stays a read. */
export async function touchApiKey(ex: Executor, id: string, now: Date): Promise<void> {
  await query(
    ex,
    `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
    [id, now],
  );
}

export async function listApiKeys(ex: Executor): Promise<ApiKeyRecord[]> {
  const { rows } = await query(ex, `SELECT * FROM api_keys ORDER BY created_at`);
  return rows.map(toKey);
}

export async function revokeApiKey(ex: Executor, id: string, now: Date): Promise<boolean> {
  const { rowCount } = await query(
    ex,
    `UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`,
    [id, now],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Counts `n` messages against today's quota, atomically: the row only moves when the total stays
 * within `quota`. Returns false (nothing counted) when it would not.
 */
export async function consumeQuota(
  ex: Executor,
  apiKeyId: string,
  day: string,
  n: number,
  quota: number,
): Promise<boolean> {
  const { rows } = await query(
    ex,
    `INSERT INTO api_key_usage (api_key_id, day, messages) SELECT $1, $2::date, $3::int WHERE $3::int <= $4::int
     ON CONFLICT (api_key_id, day) DO UPDATE SET messages = api_key_usage.messages + EXCLUDED.messages
       WHERE api_key_usage.messages + EXCLUDED.messages <= $4::int
     RETURNING messages`,
    [apiKeyId, day, n, quota],
  );
  return rows.length > 0;
}

/** Per key and stream: messages accepted this month, and today (outbound_messages_api_key_idx). */
export async function apiKeyUsage(
  ex: Executor,
  ids: readonly string[],
  since: UsageSince,
): Promise<ApiKeyUsageRow[]> {
  if (ids.length === 0) return [];
  const r = await query<ApiKeyUsageRow>(
    ex,
    `SELECT api_key_id AS "apiKeyId", stream,
            count(*) FILTER (WHERE created_at >= $2)::int AS today, count(*)::int AS month
       FROM outbound_messages
      WHERE api_key_id = ANY($1::uuid[]) AND created_at >= $3
      GROUP BY api_key_id, stream ORDER BY api_key_id, stream`,
    [ids, since.day, since.month],
  );
  return r.rows;
}
