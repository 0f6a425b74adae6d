/**
 * The idempotency_keys repository: Idempotency-Key records. The row is inserted in the same
 * transaction as the messages it guards, so a concurrent duplicate waits on the primary key and
 * then sees the stored answer.
 */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type {
  IdempotencyClaim,
  IdempotentResponse,
  NewIdempotencyKey,
} from '../../services/outbound/ports/index.js';

export async function claimIdempotencyKey(
  ex: Executor,
  k: NewIdempotencyKey,
): Promise<IdempotencyClaim> {
  // An expired record is free to reuse.
  await query(
    ex,
    `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at < $3`,
    [k.scope, k.key, k.now],
  );
  const { rows } = await query(
    ex,
    `INSERT INTO idempotency_keys (scope, key, request_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [k.scope, k.key, k.requestHash, k.now, k.expiresAt],
  );
  if (rows.length > 0) return { kind: 'new' };
  const { rows: existing } = await query<{
    request_hash: string;
    status_code: number | null;
    response: unknown;
  }>(
    ex,
    `SELECT request_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2`,
    [k.scope, k.key],
  );
  const row = existing[0]!;
  return {
    kind: 'replay',
    requestHash: row.request_hash,
    statusCode: row.status_code,
    response: row.response,
  };
}

export async function storeIdempotentResponse(ex: Executor, k: IdempotentResponse): Promise<void> {
  await query(
    ex,
    `UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2`,
    [k.scope, k.key, k.statusCode, JSON.stringify(k.response)],
  );
}

/** Retention: keys past their own expiry (a retry after that is a new request anyway). */
export async function pruneIdempotencyKeys(
  ex: Executor,
  now: Date,
  limit: number,
): Promise<number> {
  const { rowCount } = await query(
    ex,
    `DELETE FROM idempotency_keys k USING (
       SELECT scope, key FROM idempotency_keys WHERE expires_at < $1 LIMIT $2) d
     WHERE k.scope = d.scope AND k.key = d.key`,
    [now, limit],
  );
  return rowCount ?? 0;
}
