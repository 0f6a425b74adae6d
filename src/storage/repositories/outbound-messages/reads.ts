/** Reads for the API and the workers: by id, by ids, a filtered page, by a provider's reference. */
import { query } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type { MessageFilter, MessageRef } from '../../../services/outbound/ports/index.js';
import type { OutboundMessageRecord } from '../../../domain/outbound/message.js';
import { COLUMNS, toRecord } from './record.js';

export async function getMessage(ex: Executor, id: string): Promise<OutboundMessageRecord | null> {
  const { rows } = await query(ex, `SELECT ${COLUMNS} FROM outbound_messages WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function getMessages(
  ex: Executor,
  ids: readonly string[],
): Promise<OutboundMessageRecord[]> {
  const { rows } = await query(
    ex,
    `SELECT ${COLUMNS} FROM outbound_messages WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map(toRecord);
}

export async function listMessages(
  ex: Executor,
  f: MessageFilter,
): Promise<OutboundMessageRecord[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  if (f.status?.length) where.push(`status = ANY(${p(f.status)}::text[])`);
  if (f.tag) where.push(`tags @> ARRAY[${p(f.tag)}]::text[]`);
  if (f.to) where.push(`recipients @> ARRAY[${p(f.to.toLowerCase())}]::text[]`);
  if (f.since) where.push(`created_at >= ${p(f.since)}`);
  if (f.batchId) where.push(`batch_id = ${p(f.batchId)}`);
  if (f.before) where.push(`id < ${p(f.before)}`);
  const { rows } = await query(
    ex,
    `SELECT ${COLUMNS} FROM outbound_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT ${p(f.limit)}`,
    values,
  );
  return rows.map(toRecord);
}

export async function findByRef(
  ex: Executor,
  ref: MessageRef,
): Promise<OutboundMessageRecord | null> {
  if (ref.messageId) {
    const bare = ref.messageId.replace(/^<|>$/g, '');
    const { rows } = await query(
      ex,
      `SELECT ${COLUMNS} FROM outbound_messages
       WHERE ($1::text ~ '^[0-9a-fA-F-]{36}$' AND id = CASE WHEN $1::text ~ '^[0-9a-fA-F-]{36}$' THEN $1::uuid END)
          OR message_id_header = $2 LIMIT 1`,
      [bare, `<${bare}>`],
    );
    if (rows[0]) return toRecord(rows[0]);
  }
  if (ref.providerMessageId) {
    const { rows } = await query(
      ex,
      `SELECT ${COLUMNS} FROM outbound_messages WHERE provider_message_id = $1 LIMIT 1`,
      [ref.providerMessageId],
    );
    if (rows[0]) return toRecord(rows[0]);
  }
  return null;
}
