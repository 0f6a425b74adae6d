/**
 * Entries, and the reply ledger (checkin_replies) that makes reprocessing an inbound mail a
 * no-op. Replies, the /v1 API and the member page all write entries through this module.
 */
import { jsonParam, one, query, rows } from '../sql.js';
import type {
  EntryBatch,
  EntryChanges,
  EntryQuery,
  EntryRow,
  NewEntry,
  OpenGoal,
  ReplyClaim,
} from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';

export const ENTRY_COLUMNS = `e.id, e.team_id, e.member_id, e.prompt_id, e.local_date, e.kind, e.text, e.tags, e.mentions,
  e.completed, e.source, e.created_at, e.updated_at`;

/**
 * Serialises two deliveries of the same inbound mail (a provider retry racing the first) until
 * the caller's transaction ends.
 */
export async function lockReplyProcessing(ex: Executor, inboundEmailId: string): Promise<void> {
  await query(ex, 'SELECT pg_advisory_xact_lock(hashtext($1))', [
    `checkins.reply:${inboundEmailId}`,
  ]);
}

export async function claimReply(
  ex: Executor,
  inboundEmailId: string,
  claim: ReplyClaim,
  at: Date,
): Promise<boolean> {
  const r = await query(
    ex,
    `INSERT INTO checkin_replies (inbound_email_id, member_id, prompt_id, outcome, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (inbound_email_id) DO NOTHING`,
    [inboundEmailId, claim.memberId, claim.promptId, claim.outcome, at],
  );
  return r.rowCount === 1;
}

/** One INSERT for all lines; identical lines on the same member-day are skipped by the unique index. */
export async function insertEntries(
  ex: Executor,
  base: EntryBatch,
  entries: readonly NewEntry[],
): Promise<EntryRow[]> {
  if (entries.length === 0) return [];
  return rows<EntryRow>(
    ex,
    `INSERT INTO entries AS e (id, team_id, member_id, prompt_id, local_date, kind, text, tags, mentions, completed, source, inbound_email_id, created_at, updated_at)
     SELECT checkins_uuidv7(), $1, $2, $3, $4, x.kind, x.text,
            coalesce((SELECT array_agg(v) FROM jsonb_array_elements_text(x.tags) v), '{}'),
            coalesce((SELECT array_agg(v) FROM jsonb_array_elements_text(x.mentions) v), '{}'),
            x.completed, $5, $6, $7, $7
       FROM jsonb_to_recordset($8::jsonb) AS x(kind text, text text, tags jsonb, mentions jsonb, completed boolean, ord int)
      ORDER BY x.ord
     ON CONFLICT (member_id, local_date, kind, md5(text)) DO NOTHING
     RETURNING ${ENTRY_COLUMNS}`,
    [
      base.teamId,
      base.memberId,
      base.promptId,
      base.localDate,
      base.source,
      base.inboundEmailId,
      base.at,
      jsonParam(entries.map((e, ord) => ({ ...e, ord }))),
    ],
  );
}

/** `[x] text` completes the member's open goal with the same text (case and spacing ignored). */
export async function completeGoals(
  ex: Executor,
  memberId: string,
  texts: readonly string[],
  at: Date,
): Promise<number> {
  if (texts.length === 0) return 0;
  const r = await query(
    ex,
    `UPDATE entries SET completed = true, updated_at = $3
      WHERE member_id = $1 AND kind = 'goal' AND NOT completed
        AND lower(regexp_replace(text, '\\s+', ' ', 'g')) = ANY (SELECT lower(regexp_replace(t, '\\s+', ' ', 'g')) FROM unnest($2::text[]) t)`,
    [memberId, texts, at],
  );
  return r.rowCount ?? 0;
}

/** The goals a prompt shows again: open, from before its date, newest first. */
export async function openGoals(
  ex: Executor,
  memberId: string,
  beforeDate: string,
  limit: number,
): Promise<OpenGoal[]> {
  return rows<OpenGoal>(
    ex,
    `SELECT e.text, e.local_date FROM entries e
      WHERE e.member_id = $1 AND e.kind = 'goal' AND NOT e.completed AND e.local_date < $2
      ORDER BY e.local_date DESC, e.id LIMIT $3`,
    [memberId, beforeDate, limit],
  );
}

export async function listEntries(
  ex: Executor,
  teamId: string,
  q: EntryQuery,
): Promise<EntryRow[]> {
  return rows<EntryRow>(
    ex,
    `SELECT ${ENTRY_COLUMNS} FROM entries e
      WHERE e.team_id = $1 AND ($2::date IS NULL OR e.local_date >= $2) AND ($3::date IS NULL OR e.local_date <= $3)
        AND ($4::uuid IS NULL OR e.member_id = $4)
      ORDER BY e.local_date, e.member_id, e.seq LIMIT $5`,
    [teamId, q.from ?? null, q.to ?? null, q.memberId ?? null, q.limit],
  );
}

export async function getEntry(ex: Executor, id: string): Promise<EntryRow | null> {
  return one<EntryRow>(ex, `SELECT ${ENTRY_COLUMNS} FROM entries e WHERE e.id = $1`, [id]);
}

export async function updateEntry(
  ex: Executor,
  id: string,
  patch: EntryChanges,
  at: Date,
): Promise<EntryRow | null> {
  return one<EntryRow>(
    ex,
    `UPDATE entries e SET kind = coalesce($2, kind), text = coalesce($3, text), tags = coalesce($4, tags),
            mentions = coalesce($5, mentions), completed = coalesce($6, completed), local_date = coalesce($7, local_date), updated_at = $8
      WHERE e.id = $1 RETURNING ${ENTRY_COLUMNS}`,
    [
      id,
      patch.kind ?? null,
      patch.text ?? null,
      patch.tags ?? null,
      patch.mentions ?? null,
      patch.completed ?? null,
      patch.local_date ?? null,
      at,
    ],
  );
}

export async function deleteEntry(ex: Executor, id: string): Promise<boolean> {
  const r = await query(ex, 'DELETE FROM entries WHERE id = $1', [id]);
  return r.rowCount === 1;
}
