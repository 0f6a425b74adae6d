/** A message's timeline (message_events) and the MIME it was sent as (outbound_message_raw). */
import { query } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type { NewMessageEvent } from '../../../services/outbound/ports/index.js';
import type { MessageEventRecord } from '../../../domain/outbound/message.js';
import { UNSETTLED_STATUSES, type OutboundStatus } from '../../../domain/state/outbound-message.js';

export async function getEvents(ex: Executor, id: string): Promise<MessageEventRecord[]> {
  const { rows } = await query(
    ex,
    `SELECT type, from_status, to_status, attempt, reason, smtp_code, smtp_response, data, at
     FROM message_events WHERE message_id = $1 ORDER BY id`,
    [id],
  );
  return rows.map((r) => ({
    type: r.type as string,
    fromStatus: (r.from_status as OutboundStatus | null) ?? null,
    toStatus: (r.to_status as OutboundStatus | null) ?? null,
    attempt: (r.attempt as number | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    smtpCode: (r.smtp_code as number | null) ?? null,
    smtpResponse: (r.smtp_response as string | null) ?? null,
    data: r.data ?? null,
    at: r.at as Date,
  }));
}

export async function addEvent(ex: Executor, messageId: string, e: NewMessageEvent): Promise<void> {
  await query(
    ex,
    `INSERT INTO message_events (message_id, type, reason, data, at) VALUES ($1, $2, $3, $4, $5)`,
    [
      messageId,
      e.type,
      e.reason ?? null,
      e.data === undefined ? null : JSON.stringify(e.data),
      e.at,
    ],
  );
}

export async function getRaw(ex: Executor, id: string): Promise<Buffer | null> {
  const { rows } = await query<{ raw: Buffer }>(
    ex,
    `SELECT raw FROM outbound_message_raw WHERE message_id = $1`,
    [id],
  );
  return rows[0]?.raw ?? null;
}

/**
 * Retention: the MIME of settled messages stored before `before`, `limit` at a time (the row and
 * its timeline stay). Returns how many went.
 */
export async function pruneRaw(ex: Executor, before: Date, limit: number): Promise<number> {
  const { rowCount } = await query(
    ex,
    `DELETE FROM outbound_message_raw r USING (
       SELECT x.message_id FROM outbound_message_raw x JOIN outbound_messages m ON m.id = x.message_id
       WHERE x.created_at < $1 AND m.status <> ALL($2::text[]) LIMIT $3) d
     WHERE r.message_id = d.message_id`,
    [before, UNSETTLED_STATUSES, limit],
  );
  return rowCount ?? 0;
}

/** Retention: timeline rows of settled messages older than `before`; the message row stays. */
export async function pruneEvents(ex: Executor, before: Date, limit: number): Promise<number> {
  const { rowCount } = await query(
    ex,
    `DELETE FROM message_events e USING (
       SELECT x.id FROM message_events x JOIN outbound_messages m ON m.id = x.message_id
       WHERE x.at < $1 AND m.status <> ALL($2::text[]) LIMIT $3) d
     WHERE e.id = d.id`,
    [before, UNSETTLED_STATUSES, limit],
  );
  return rowCount ?? 0;
}
