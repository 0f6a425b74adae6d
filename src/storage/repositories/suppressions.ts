/** The Suppression repository (address + scope; citext, so case never matters). */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { NewSuppression, SuppressionFilter } from '../../services/outbound/ports/index.js';
import type {
  MessageStream,
  Suppression,
  SuppressionReason,
  SuppressionScope,
} from '../../domain/outbound/message.js';

function toSuppression(r: Record<string, unknown>): Suppression {
  return {
    address: r.address as string,
    scope: r.scope as SuppressionScope,
    reason: r.reason as SuppressionReason,
    sourceMessageId: (r.source_message_id as string | null) ?? null,
    detail: (r.detail as string | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

/** Adds entries; an existing (address, scope) keeps its first reason. Returns how many were new. */
export async function addSuppressions(
  ex: Executor,
  items: readonly NewSuppression[],
  now: Date,
): Promise<number> {
  if (items.length === 0) return 0;
  const { rowCount } = await query(
    ex,
    `INSERT INTO suppressions (address, scope, reason, source_message_id, detail, created_at)
     SELECT a, s, r, m, d, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[]) AS x(a, s, r, m, d)
     ON CONFLICT (address, scope) DO NOTHING`,
    [
      items.map((i) => i.address.toLowerCase()),
      items.map((i) => i.scope),
      items.map((i) => i.reason),
      items.map((i) => i.sourceMessageId),
      items.map((i) => i.detail),
      now,
    ],
  );
  return rowCount ?? 0;
}

/** Which of `addresses` may not receive mail of `stream` (lower-cased). */
export async function suppressedAmong(
  ex: Executor,
  addresses: readonly string[],
  stream: MessageStream,
): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const scopes = stream === 'broadcast' ? ['all', 'broadcast'] : ['all'];
  const { rows } = await query<{ address: string }>(
    ex,
    `SELECT DISTINCT lower(address::text) AS address FROM suppressions
     WHERE address = ANY($1::citext[]) AND scope = ANY($2::text[])`,
    [addresses, scopes],
  );
  return new Set(rows.map((r) => r.address));
}

export async function listSuppressions(ex: Executor, f: SuppressionFilter): Promise<Suppression[]> {
  const { rows } = await query(
    ex,
    `SELECT * FROM suppressions
     WHERE ($1::citext IS NULL OR address = $1) AND ($2::text IS NULL OR reason = $2)
       AND ($3::citext IS NULL OR address > $3)
     ORDER BY address, scope LIMIT $4`,
    [f.address ?? null, f.reason ?? null, f.after ?? null, f.limit],
  );
  return rows.map(toSuppression);
}

export async function getSuppressions(ex: Executor, address: string): Promise<Suppression[]> {
  const { rows } = await query(ex, `SELECT * FROM suppressions WHERE address = $1 ORDER BY scope`, [
    address,
  ]);
  return rows.map(toSuppression);
}

export async function deleteSuppression(
  ex: Executor,
  address: string,
  scope: SuppressionScope | null,
): Promise<number> {
  const { rowCount } = await query(
    ex,
    `DELETE FROM suppressions WHERE address = $1 AND ($2::text IS NULL OR scope = $2)`,
    [address, scope],
  );
  return rowCount ?? 0;
}
