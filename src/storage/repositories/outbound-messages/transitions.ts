/**
 * Every status change of an outbound message, driven by the machine: one conditional UPDATE
 * (`status = ANY(machine.sources(event))`, SET `machine.target(event)`) that writes its
 * message_events row in the same statement. A transition whose guard no longer holds simply
 * does not happen: the caller sees which ids moved and which did not.
 */
import { query } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type {
  TransitionedRow,
  TransitionOptions,
  TransitionRow,
} from '../../../services/outbound/ports.js';
import {
  outboundMachine,
  type OutboundEvent,
  type OutboundStatus,
} from '../../../domain/state/outbound-message.js';

const EXTRA_SET: Partial<Record<OutboundEvent, string>> = {
  claim: `attempts = m.attempts + 1, lease_until = p.lease_until, next_attempt_at = NULL`,
  accept: `sent_at = $3, lease_until = NULL, provider_message_id = v.provider_message_id,
           last_smtp_code = v.smtp_code, last_error = NULL`,
  defer: `lease_until = NULL, next_attempt_at = v.next_attempt_at, last_error = v.reason,
          last_smtp_code = v.smtp_code,
          attempts = CASE WHEN p.uncount THEN greatest(m.attempts - 1, 0) ELSE m.attempts END,
          possibly_duplicate = m.possibly_duplicate OR p.dup`,
  requeue: `next_attempt_at = NULL`,
  fail: `lease_until = NULL, next_attempt_at = NULL, last_error = coalesce(v.reason, m.last_error),
         last_smtp_code = coalesce(v.smtp_code, m.last_smtp_code)`,
  expire: `lease_until = NULL, next_attempt_at = NULL, last_error = coalesce(v.reason, m.last_error)`,
  suppress: `lease_until = NULL, next_attempt_at = NULL, last_error = v.reason`,
  cancel: `lease_until = NULL, next_attempt_at = NULL`,
  retry: `attempts = 0, expires_at = p.expires_at, possibly_duplicate = false, last_error = NULL, next_attempt_at = NULL`,
};

/**
 * Moves every listed message whose status allows `event`; the others are left alone (a race
 * lost, or a stale request). Returns what moved.
 */
export async function applyTransition(
  ex: Executor,
  event: OutboundEvent,
  rows: readonly TransitionRow[],
  o: TransitionOptions,
): Promise<TransitionedRow[]> {
  if (rows.length === 0) return [];
  const from = outboundMachine.sources(event);
  const to = outboundMachine.target(event);
  const extra = EXTRA_SET[event];
  const due =
    o.extraWhere === 'due' ? `AND (m.status <> 'deferred' OR m.next_attempt_at <= $3)` : '';
  const { rows: out } = await query<Record<string, unknown>>(
    ex,
    `WITH v AS (
       SELECT * FROM unnest($1::uuid[], $8::text[], $9::int[], $10::text[], $11::timestamptz[], $12::text[], $13::jsonb[])
         AS v(id, reason, smtp_code, smtp_response, next_attempt_at, provider_message_id, data)
     ), p AS (
       SELECT $4::timestamptz AS lease_until, $5::timestamptz AS expires_at, $6::boolean AS uncount, $7::boolean AS dup
     ), o AS (
       SELECT m.id, m.status, m.next_attempt_at FROM outbound_messages m JOIN v ON v.id = m.id
       WHERE m.status = ANY($2::text[]) ${due}
       ORDER BY m.id FOR UPDATE OF m
     ), t AS (
       UPDATE outbound_messages m SET status = '${to}', updated_at = $3::timestamptz ${extra ? `, ${extra}` : ''}
       FROM o, v, p WHERE m.id = o.id AND v.id = o.id
       RETURNING m.id, o.status AS from_status, m.attempts, v.reason, v.smtp_code, v.smtp_response, v.data,
         m.recipients, m.tags, greatest(m.created_at, coalesce(m.send_at, m.created_at)) AS due_at
     ), e AS (
       INSERT INTO message_events (message_id, type, from_status, to_status, attempt, reason, smtp_code, smtp_response, data, at)
       SELECT id, $14::text, from_status, '${to}', attempts, reason, smtp_code, smtp_response, data, $3 FROM t
     )
     SELECT id, from_status, attempts, reason, smtp_code, recipients, tags, due_at FROM t`,
    [
      rows.map((r) => r.id),
      from,
      o.now,
      o.leaseUntil ?? null,
      o.expiresAt ?? null,
      o.uncount ?? false,
      o.possiblyDuplicate ?? false,
      rows.map((r) => r.reason ?? null),
      rows.map((r) => r.smtpCode ?? null),
      rows.map((r) => r.smtpResponse ?? null),
      rows.map((r) => r.nextAttemptAt ?? null),
      rows.map((r) => r.providerMessageId ?? null),
      rows.map((r) => (r.data === undefined ? null : JSON.stringify(r.data))),
      o.eventType ?? event,
    ],
  );
  return out.map((r) => ({
    id: r.id as string,
    from: r.from_status as OutboundStatus,
    to,
    attempts: r.attempts as number,
    reason: (r.reason as string | null) ?? null,
    smtpCode: (r.smtp_code as number | null) ?? null,
    recipients: r.recipients as string[],
    tags: r.tags as string[],
    dueAt: r.due_at as Date,
  }));
}
