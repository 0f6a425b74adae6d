/**
 * Every status change of an outbound message, driven by the machine: one conditional UPDATE
 * (`status = ANY(machine.sources(event))`, SET `machine.target(event)`) that writes its
 * message_events row in the same statement. A transition whose guard no longer holds simply
 * does not happen: the caller sees which ids moved and which did not.
 *
 * `transitionCtes` builds that UPDATE as named CTEs, so the send worker's commit
 * (outcomes.ts) can put several transitions, the recipients' and the MIME in one statement.
 */
import { query } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type {
  TransitionedRow,
  TransitionOptions,
  TransitionRow,
} from '../../../services/outbound/ports/index.js';
import {
  outboundMachine,
  type OutboundEvent,
  type OutboundStatus,
} from '../../../domain/state/outbound-message.js';

const EXTRA_SET: Partial<Record<OutboundEvent, string>> = {
  claim: `attempts = m.attempts + 1, lease_until = p.lease_until, next_attempt_at = NULL`,
  accept: `sent_at = p.now, lease_until = NULL, next_attempt_at = NULL,
           provider_message_id = coalesce(v.provider_message_id, m.provider_message_id),
           last_smtp_code = v.smtp_code, last_error = NULL`,
  partial: `sent_at = coalesce(m.sent_at, p.now), lease_until = NULL, next_attempt_at = NULL,
            provider_message_id = coalesce(v.provider_message_id, m.provider_message_id),
            last_error = coalesce(v.reason, m.last_error), last_smtp_code = coalesce(v.smtp_code, m.last_smtp_code)`,
  bounce: `lease_until = NULL, next_attempt_at = NULL, last_error = coalesce(v.reason, m.last_error),
           last_smtp_code = coalesce(v.smtp_code, m.last_smtp_code)`,
  defer: `lease_until = NULL, next_attempt_at = v.next_attempt_at, last_error = v.reason,
          last_smtp_code = v.smtp_code,
          attempts = CASE WHEN p.uncount THEN greatest(m.attempts - 1, 0) ELSE m.attempts END,
          possibly_duplicate = m.possibly_duplicate OR p.dup OR v.dup`,
  requeue: `next_attempt_at = NULL`,
  fail: `lease_until = NULL, next_attempt_at = NULL, last_error = coalesce(v.reason, m.last_error),
         last_smtp_code = coalesce(v.smtp_code, m.last_smtp_code)`,
  expire: `lease_until = NULL, next_attempt_at = NULL, last_error = coalesce(v.reason, m.last_error)`,
  suppress: `lease_until = NULL, next_attempt_at = NULL, last_error = v.reason`,
  cancel: `lease_until = NULL, next_attempt_at = NULL`,
  retry: `attempts = 0, expires_at = p.expires_at, possibly_duplicate = false, last_error = NULL, next_attempt_at = NULL`,
};

/** Adds a value to a statement's parameters and returns its placeholder. */
export type Param = (value: unknown) => string;

export function parameters(): { values: unknown[]; $: Param } {
  const values: unknown[] = [];
  return {
    values,
    $: (v) => {
      values.push(v);
      return `$${values.length}`;
    },
  };
}

/**
 * The CTEs of one transition, suffixed `tag`: `v` (the rows), `p` (the options), `o` (the rows
 * whose status allows the event, locked), `t` (the UPDATE, returning what moved) and `e` (their
 * timeline rows). What moved comes out of `t${tag}`.
 */
export function transitionCtes(
  tag: string,
  event: OutboundEvent,
  rows: readonly TransitionRow[],
  o: TransitionOptions,
  $: Param,
): string {
  const from = outboundMachine.sources(event).filter((s) => !o.onlyFrom || o.onlyFrom.includes(s));
  const to = outboundMachine.target(event);
  const extra = EXTRA_SET[event];
  const now = $(o.now);
  // The rows are found by `id = ANY(ids)`, not by a join on `v`: on a table that grows fast
  // the planner's stale row estimates made the join scan the status index (4 ms per commit
  // under load); the array keeps the lookup on the primary key.
  const ids = $(rows.map((r) => r.id));
  const due =
    o.extraWhere === 'due' ? `AND (m.status <> 'deferred' OR m.next_attempt_at <= ${now})` : '';
  return `v${tag} AS (
       SELECT * FROM unnest(${ids}::uuid[], ${$(rows.map((r) => r.reason ?? null))}::text[],
         ${$(rows.map((r) => r.smtpCode ?? null))}::int[], ${$(rows.map((r) => r.smtpResponse ?? null))}::text[],
         ${$(rows.map((r) => r.nextAttemptAt ?? null))}::timestamptz[],
         ${$(rows.map((r) => r.providerMessageId ?? null))}::text[],
         ${$(rows.map((r) => (r.data === undefined ? null : JSON.stringify(r.data))))}::jsonb[],
         ${$(rows.map((r) => r.possiblyDuplicate ?? false))}::boolean[])
         AS v(id, reason, smtp_code, smtp_response, next_attempt_at, provider_message_id, data, dup)
     ), p${tag} AS (
       SELECT ${now}::timestamptz AS now, ${$(o.leaseUntil ?? null)}::timestamptz AS lease_until,
         ${$(o.expiresAt ?? null)}::timestamptz AS expires_at, ${$(o.uncount ?? false)}::boolean AS uncount,
         ${$(o.possiblyDuplicate ?? false)}::boolean AS dup
     ), o${tag} AS (
       SELECT m.id, m.status FROM outbound_messages m
       WHERE m.id = ANY(${ids}::uuid[]) AND m.status = ANY(${$(from)}::text[]) ${due}
       ORDER BY m.id FOR UPDATE OF m
     ), t${tag} AS (
       UPDATE outbound_messages m SET status = '${to}', updated_at = p.now ${extra ? `, ${extra}` : ''}
       FROM o${tag} o, v${tag} v, p${tag} p WHERE m.id = o.id AND v.id = o.id
       RETURNING m.id, o.status AS from_status, m.attempts, v.reason, v.smtp_code, v.smtp_response, v.data,
         m.recipients, m.tags, greatest(m.created_at, coalesce(m.send_at, m.created_at)) AS due_at
     ), e${tag} AS (
       INSERT INTO message_events (message_id, type, from_status, to_status, attempt, reason, smtp_code, smtp_response, data, at)
       SELECT t.id, ${$(o.eventType ?? event)}::text, t.from_status, '${to}', t.attempts, t.reason, t.smtp_code,
         t.smtp_response, t.data, p.now FROM t${tag} t, p${tag} p
     )`;
}

/** The columns `t${tag}` gives back, for the caller's SELECT. */
export const MOVED = `id, from_status, attempts, reason, smtp_code, recipients, tags, due_at`;

export function toTransitioned(r: Record<string, unknown>, to: OutboundStatus): TransitionedRow {
  return {
    id: r.id as string,
    from: r.from_status as OutboundStatus,
    to,
    attempts: r.attempts as number,
    reason: (r.reason as string | null) ?? null,
    smtpCode: (r.smtp_code as number | null) ?? null,
    recipients: r.recipients as string[],
    tags: r.tags as string[],
    dueAt: r.due_at as Date,
  };
}

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
  const { values, $ } = parameters();
  const ctes = transitionCtes('', event, rows, o, $);
  const { rows: out } = await query<Record<string, unknown>>(
    ex,
    `WITH ${ctes} SELECT ${MOVED} FROM t`,
    values,
  );
  const to = outboundMachine.target(event);
  return out.map((r) => toTransitioned(r, to));
}
