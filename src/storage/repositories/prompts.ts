/** Prompt rows: loading a send batch, and the conditional status updates of the lifecycle. */
import { query } from '../sql.js';
import { promptMachine } from '../../domain/state/prompt.js';
import type {
  MemberRow,
  PromptRow,
  TeamRow,
  UnsubscribeKind,
} from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';
import { MEMBER_COLUMNS, PROMPT_COLUMNS, TEAM_COLUMNS } from './columns.js';

type SendRow = PromptRow & {
  member: MemberRow;
  team: TeamRow;
  skip: string | null;
  unsubscribed: UnsubscribeKind[];
};

/** One statement for a whole batch; `skip` re-checks the day rules that may have changed since planning. */
export async function promptsForSend(ex: Executor, ids: readonly string[]): Promise<SendRow[]> {
  const r = await query<{
    p: PromptRow;
    m: MemberRow;
    t: TeamRow;
    skip: string | null;
    unsubscribed: UnsubscribeKind[];
  }>(
    ex,
    `SELECT to_jsonb(pp) AS p, to_jsonb(mm) AS m, to_jsonb(tt) AS t, x.skip, x.unsubscribed
       FROM prompts p0
       JOIN LATERAL (SELECT ${PROMPT_COLUMNS} FROM prompts p WHERE p.id = p0.id) pp ON true
       JOIN LATERAL (SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.id = p0.member_id) mm ON true
       JOIN LATERAL (SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.id = p0.team_id) tt ON true
       JOIN LATERAL (
         SELECT CASE
                  WHEN mm.status = 'paused' AND (mm.pause_until IS NULL OR p0.local_date < mm.pause_until) THEN 'paused'
                  WHEN EXISTS (SELECT 1 FROM member_vacations v WHERE v.member_id = p0.member_id
                                 AND p0.local_date BETWEEN v.start_date AND v.end_date) THEN 'vacation'
                  WHEN checkins_is_holiday(p0.team_id, p0.local_date) THEN 'holiday'
                  WHEN mm.role = 'observer' THEN 'observer'
                END AS skip,
                coalesce((SELECT array_agg(u.kind) FROM member_unsubscriptions u WHERE u.member_id = p0.member_id), '{}') AS unsubscribed
       ) x ON true
      WHERE p0.id = ANY ($1::uuid[])`,
    [ids],
  );
  return r.rows.map((row) => ({
    ...revivePrompt(row.p),
    member: reviveDates(row.m),
    team: reviveDates(row.t),
    skip: row.skip,
    unsubscribed: row.unsubscribed,
  }));
}

function reviveDates<T>(o: T): T {
  const x = o as Record<string, unknown>;
  for (const k of ['created_at', 'updated_at'])
    if (typeof x[k] === 'string') x[k] = new Date(x[k] as string);
  return o;
}

function revivePrompt(p: PromptRow): PromptRow {
  const x = p as unknown as Record<string, unknown>;
  for (const k of ['due_at', 'cutoff_at', 'remind_at', 'sent_at', 'reminded_at', 'answered_at']) {
    if (typeof x[k] === 'string') x[k] = new Date(x[k] as string);
  }
  return p;
}

/** Claims the prompt for sending; the caller sends in the same transaction only if this won. */
export async function markPromptSent(ex: Executor, id: string, at: Date): Promise<boolean> {
  const r = await query(
    ex,
    `UPDATE prompts SET status = 'sent', sent_at = $2 WHERE id = $1 AND status = ANY ($3::text[])`,
    [id, at, promptMachine.sources('send')],
  );
  return r.rowCount === 1;
}

export async function recordPromptMessage(
  ex: Executor,
  id: string,
  outboundId: string,
  messageId: string | null,
): Promise<void> {
  await query(ex, 'UPDATE prompts SET outbound_message_id = $2, message_id = $3 WHERE id = $1', [
    id,
    outboundId,
    messageId,
  ]);
}

export async function markPromptSkipped(
  ex: Executor,
  id: string,
  reason: string,
): Promise<boolean> {
  const r = await query(
    ex,
    `UPDATE prompts SET status = 'skipped', skip_reason = $2 WHERE id = $1 AND status = ANY ($3::text[])`,
    [id, reason, promptMachine.sources('skip')],
  );
  return r.rowCount === 1;
}

export async function markPromptReminded(ex: Executor, id: string, at: Date): Promise<boolean> {
  const r = await query(
    ex,
    `UPDATE prompts SET status = 'reminded', reminded_at = $2 WHERE id = $1 AND status = ANY ($3::text[])`,
    [id, at, promptMachine.sources('remind')],
  );
  return r.rowCount === 1;
}

export async function recordReminderMessage(
  ex: Executor,
  id: string,
  outboundId: string,
): Promise<void> {
  await query(ex, 'UPDATE prompts SET reminder_message_id = $2 WHERE id = $1', [id, outboundId]);
}

export async function markPromptAnswered(ex: Executor, id: string, at: Date): Promise<void> {
  await query(
    ex,
    `UPDATE prompts SET status = 'answered', answered_at = coalesce(answered_at, $2) WHERE id = $1 AND status = ANY ($3::text[])`,
    [id, at, promptMachine.sources('answer')],
  );
}

export async function getPrompt(ex: Executor, id: string): Promise<PromptRow | null> {
  const r = await query<PromptRow>(ex, `SELECT ${PROMPT_COLUMNS} FROM prompts p WHERE p.id = $1`, [
    id,
  ]);
  return r.rows[0] ?? null;
}

export async function listPrompts(
  ex: Executor,
  teamId: string,
  date: string,
): Promise<PromptRow[]> {
  const r = await query<PromptRow>(
    ex,
    `SELECT ${PROMPT_COLUMNS} FROM prompts p WHERE p.team_id = $1 AND p.local_date = $2 ORDER BY p.due_at, p.id`,
    [teamId, date],
  );
  return r.rows;
}

export async function openGoals(
  ex: Executor,
  memberId: string,
  beforeDate: string,
  limit: number,
): Promise<Array<{ text: string; local_date: string }>> {
  const r = await query<{ text: string; local_date: string }>(
    ex,
    `SELECT e.text, e.local_date FROM entries e
      WHERE e.member_id = $1 AND e.kind = 'goal' AND NOT e.completed AND e.local_date < $2
      ORDER BY e.local_date DESC, e.id LIMIT $3`,
    [memberId, beforeDate, limit],
  );
  return r.rows;
}
