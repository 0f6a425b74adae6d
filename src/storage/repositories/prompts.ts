/**
 * Prompts: loading a send batch, the lifecycle's conditional updates (one transition function
 * driven by domain/state/prompt.ts) and the completion stats.
 */
import { one, query, rows } from '../sql.js';
import { promptMachine, type PromptEvent } from '../../domain/state/prompt.js';
import type {
  MemberRow,
  MemberStatsRow,
  PromptForSend,
  PromptPatch,
  PromptRow,
  TeamRow,
  UnsubscribeKind,
} from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';
import { MEMBER_COLUMNS } from './members.js';
import { TEAM_COLUMNS } from './teams.js';

export const PROMPT_COLUMNS = `p.id, p.team_id, p.member_id, p.local_date, p.due_at, p.cutoff_at, p.remind_at, p.status,
  p.skip_reason, p.outbound_message_id, p.message_id, p.reminder_message_id, p.sent_at, p.reminded_at, p.answered_at`;

/** One statement for a whole batch; `skip` re-checks the day rules that may have changed since planning. */
export async function promptsForSend(
  ex: Executor,
  ids: readonly string[],
): Promise<PromptForSend[]> {
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

/**
 * What each event records besides the status ($4: its time, or the skip reason). An answer
 * keeps the first reply's time; `miss` and `outage` are set-based (finishTick, planPrompts).
 */
const EVENT_SETS: Record<PromptEvent, { set: string; value?: (p: PromptPatch) => unknown }> = {
  send: { set: ', sent_at = $4', value: (p) => p.at },
  remind: { set: ', reminded_at = $4', value: (p) => p.at },
  answer: { set: ', answered_at = coalesce(answered_at, $4)', value: (p) => p.at },
  skip: { set: ', skip_reason = $4', value: (p) => p.skipReason },
  miss: { set: '' },
  outage: { set: '' },
};

/**
 * The one status change of a prompt: `UPDATE … WHERE status = ANY(sources(event))`, so a
 * second worker (or a retried job) finds the prompt moved on and gets false. A send claims the
 * prompt; the caller mails it in the same transaction only if this won.
 */
export async function transitionPrompt(
  ex: Executor,
  id: string,
  event: PromptEvent,
  patch: PromptPatch = {},
): Promise<boolean> {
  const { set, value } = EVENT_SETS[event];
  const r = await query(
    ex,
    `UPDATE prompts SET status = $2${set} WHERE id = $1 AND status = ANY ($3::text[])`,
    [
      id,
      promptMachine.target(event),
      promptMachine.sources(event),
      ...(value ? [value(patch)] : []),
    ],
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

export async function recordReminderMessage(
  ex: Executor,
  id: string,
  outboundId: string,
): Promise<void> {
  await query(ex, 'UPDATE prompts SET reminder_message_id = $2 WHERE id = $1', [id, outboundId]);
}

export async function getPrompt(ex: Executor, id: string): Promise<PromptRow | null> {
  return one<PromptRow>(ex, `SELECT ${PROMPT_COLUMNS} FROM prompts p WHERE p.id = $1`, [id]);
}

export async function listPrompts(
  ex: Executor,
  teamId: string,
  date: string,
): Promise<PromptRow[]> {
  return rows<PromptRow>(
    ex,
    `SELECT ${PROMPT_COLUMNS} FROM prompts p WHERE p.team_id = $1 AND p.local_date = $2 ORDER BY p.due_at, p.id`,
    [teamId, date],
  );
}

/** Completion per member over a date range: asked = sent, reminded, answered or missed. */
export async function stats(
  ex: Executor,
  teamId: string,
  from: string,
  to: string,
): Promise<MemberStatsRow[]> {
  return rows<MemberStatsRow>(
    ex,
    `SELECT m.id AS member_id, m.name,
            count(p.id) FILTER (WHERE p.status IN ('sent', 'reminded', 'answered', 'missed'))::int AS asked,
            count(p.id) FILTER (WHERE p.status = 'answered')::int AS answered,
            coalesce(jsonb_agg(jsonb_build_object('date', p.local_date, 'answered', p.status = 'answered') ORDER BY p.local_date)
                     FILTER (WHERE p.status IN ('sent', 'reminded', 'answered', 'missed')), '[]') AS days
       FROM members m
       LEFT JOIN prompts p ON p.member_id = m.id AND p.local_date BETWEEN $2 AND $3
      WHERE m.team_id = $1 AND m.role <> 'observer'
      GROUP BY m.id, m.name ORDER BY m.name, m.id`,
    [teamId, from, to],
  );
}
