/**
 * inbound_email_raw: the bytes of each InboundEmail as received, written and read apart from
 * the row. bytea travels badly through pg in bulk (hex text, twice the size, in one string),
 * so large messages are written as binary parameters and read in slices.
 */
import type { InboundStatus } from '../../../domain/state/inbound-email.js';
import type { Executor } from '../../../services/ports.js';
import type { ReceivedInboundEmail } from '../../../services/inbound/ports.js';
import { one, query } from '../../sql.js';

/** Raw bytes per statement: small messages share one, a large one goes alone. */
const RAW_BYTES_PER_STATEMENT = 4 * 1024 * 1024;

/**
 * The raw bytes as binary parameters (`$n::bytea`, one per message). Inside a bytea[] array
 * pg would send each as hex text, twice its size and slow to build for a 40 MB message.
 */
export async function insertRaw(
  ex: Executor,
  items: readonly ReceivedInboundEmail[],
): Promise<void> {
  let i = 0;
  while (i < items.length) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    let size = 0;
    while (
      i < items.length &&
      (tuples.length === 0 || size + items[i]!.raw.length <= RAW_BYTES_PER_STATEMENT)
    ) {
      const item = items[i++]!;
      size += item.raw.length;
      values.push(item.row.id, item.raw);
      tuples.push(`($${values.length - 1}::uuid, $${values.length}::bytea)`);
    }
    await query(
      ex,
      `INSERT INTO inbound_email_raw (inbound_email_id, raw) VALUES ${tuples.join(', ')}`,
      values,
    );
  }
}

/** Raw bytes read per round trip: pg returns bytea as hex text, twice the size, in one string. */
const RAW_SLICE_BYTES = 4 * 1024 * 1024;

/** The raw bytes; a large message is read in slices into one buffer, not as one hex string. */
export async function loadRaw(ex: Executor, id: string): Promise<Buffer | null> {
  const head = await one<{ size: number; raw: Buffer | null }>(
    ex,
    `SELECT octet_length(raw) AS size, CASE WHEN octet_length(raw) <= $2 THEN raw END AS raw
       FROM inbound_email_raw WHERE inbound_email_id = $1`,
    [id, RAW_SLICE_BYTES],
  );
  if (!head || head.raw) return head?.raw ?? null;
  const out = Buffer.allocUnsafe(head.size);
  for (let offset = 0; offset < head.size; offset += RAW_SLICE_BYTES) {
    const slice = await one<{ part: Buffer }>(
      ex,
      'SELECT substring(raw FROM $2 FOR $3) AS part FROM inbound_email_raw WHERE inbound_email_id = $1',
      [id, offset + 1, RAW_SLICE_BYTES],
    );
    if (!slice) return null; // retention took it meanwhile
    slice.part.copy(out, offset);
  }
  return out;
}

export async function deleteRaw(
  ex: Executor,
  status: InboundStatus,
  before: Date,
  limit: number,
  now: Date,
): Promise<number> {
  const { rowCount } = await query(
    ex,
    `WITH doomed AS (
       SELECT id FROM inbound_emails
        WHERE status = $1 AND processed_at < $2 AND raw_deleted_at IS NULL
        ORDER BY processed_at LIMIT $3 FOR UPDATE SKIP LOCKED
     ), gone AS (
       DELETE FROM inbound_email_raw WHERE inbound_email_id IN (SELECT id FROM doomed)
     )
     UPDATE inbound_emails SET raw_deleted_at = $4 WHERE id IN (SELECT id FROM doomed)`,
    [status, before, limit, now],
  );
  return rowCount ?? 0;
}
