/** message_batches: one row per POST /v1/messages/batch, so a batch can be resent by id. */
import { query } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type { NewBatch } from '../../../services/outbound/ports/index.js';

export async function insertBatch(ex: Executor, b: NewBatch): Promise<void> {
  await query(
    ex,
    `INSERT INTO message_batches (id, api_key_id, size, created_at) VALUES ($1, $2, $3, $4)`,
    [b.id, b.apiKeyId, b.size, b.now],
  );
}

export async function batchExists(ex: Executor, id: string): Promise<boolean> {
  const { rows } = await query(ex, `SELECT 1 FROM message_batches WHERE id = $1`, [id]);
  return rows.length > 0;
}
