/**
 * The rate_limits repository, GCRA state: lock the keys (sorted, so two workers never deadlock),
 * then save.
 */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';

export async function lockRateKeys(
  ex: Executor,
  keys: readonly string[],
  now: Date,
): Promise<Map<string, Date>> {
  const sorted = [...new Set(keys)].sort();
  await query(
    ex,
    `INSERT INTO rate_limits (key, tat) SELECT k, $2 FROM unnest($1::text[]) AS k ORDER BY k ON CONFLICT (key) DO NOTHING`,
    [sorted, now],
  );
  const { rows } = await query<{ key: string; tat: Date }>(
    ex,
    `SELECT key, tat FROM rate_limits WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
    [sorted],
  );
  return new Map(rows.map((r) => [r.key, r.tat]));
}

export async function saveRateKeys(ex: Executor, tats: Map<string, Date>): Promise<void> {
  if (tats.size === 0) return;
  await query(
    ex,
    `UPDATE rate_limits r SET tat = greatest(r.tat, v.tat) FROM unnest($1::text[], $2::timestamptz[]) AS v(key, tat)
     WHERE r.key = v.key`,
    [[...tats.keys()], [...tats.values()]],
  );
}
