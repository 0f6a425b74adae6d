/** What the workers pick up: the claim (queued → sending, with a lease) and the sweeper's due lists. */
import { prepared, query } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type { ClaimedMessage, DueKind } from '../../../services/outbound/ports/index.js';
import { outboundMachine } from '../../../domain/state/outbound-message.js';
import { deliveriesByMessage, toDeliveries } from './recipients.js';
import { COLUMNS, toRecord } from './record.js';

/**
 * The machine's `claim` (queued → sending) for the given ids, with a lease; returns the claimed
 * rows in full with their recipients' deliveries. One statement (atomic on its own), so claiming
 * costs one round trip; rows another worker holds are skipped, not waited for.
 */
export async function claimMessages(
  ex: Executor,
  ids: readonly string[],
  now: Date,
  leaseUntil: Date,
): Promise<ClaimedMessage[]> {
  if (ids.length === 0) return [];
  const from = outboundMachine.sources('claim');
  const to = outboundMachine.target('claim');
  const cols = COLUMNS.split(',')
    .map((c) => `m.${c.trim()}`)
    .join(', ');
  const { rows } = await prepared(
    ex,
    `WITH o AS (
       SELECT id, status FROM outbound_messages WHERE id = ANY($1::uuid[]) AND status = ANY($4::text[])
       ORDER BY id FOR UPDATE SKIP LOCKED
     ), t AS (
       UPDATE outbound_messages m SET status = '${to}', updated_at = $2, attempts = m.attempts + 1,
         lease_until = $3, next_attempt_at = NULL
       FROM o WHERE m.id = o.id
       RETURNING ${cols}, o.status AS from_status
     ), d AS (${deliveriesByMessage('$1')}
     ), e AS (
       INSERT INTO message_events (message_id, type, from_status, to_status, attempt, at)
       SELECT id, 'claim', from_status, status, attempts, $2 FROM t
     )
     SELECT t.*, coalesce(d.deliveries, '[]'::jsonb) AS deliveries
     FROM t LEFT JOIN d ON d.message_id = t.id ORDER BY t.id`,
    [ids, now, leaseUntil, from],
  );
  return rows.map((r) => ({ ...toRecord(r), deliveries: toDeliveries(r.deliveries) }));
}

/** Ids of one due kind, the longest due first, for the sweeper. */
export async function findDue(
  ex: Executor,
  kind: DueKind,
  now: Date,
  limit: number,
  staleBefore?: Date,
): Promise<string[]> {
  const sql = {
    scheduled: `SELECT id FROM outbound_messages WHERE status = 'scheduled' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
    deferred: `SELECT id FROM outbound_messages WHERE status = 'deferred' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
    lease_expired: `SELECT id FROM outbound_messages WHERE status = 'sending' AND lease_until < $1 ORDER BY lease_until LIMIT $2`,
    expired: `SELECT id FROM outbound_messages WHERE status IN ('scheduled','queued','deferred') AND expires_at < $1 LIMIT $2`,
    stale_queued: `SELECT id FROM outbound_messages WHERE $1::timestamptz IS NOT NULL AND status = 'queued' AND updated_at < $3 ORDER BY id LIMIT $2`,
  }[kind];
  const { rows } = await query<{ id: string }>(
    ex,
    sql,
    kind === 'stale_queued' ? [now, limit, staleBefore] : [now, limit],
  );
  return rows.map((r) => r.id);
}
