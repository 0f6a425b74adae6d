/**
 * The set-based planner statements. A tick runs a handful of these whatever the member count:
 * the distinct schedules in use, one INSERT … SELECT for the prompts of every due slot, one for
 * the digests, and the watermark. Skip rules (weekday, holiday incl. yearly, vacation, pause,
 * prompt unsubscription) are evaluated here for all members at once; the reference for the
 * same rules is domain/schedule/skip-rules.ts.
 */
import { query, rows } from '../sql.js';
import type { DigestSlot, Schedule, Slot } from '../../domain/schedule/slots.js';
import { promptMachine } from '../../domain/state/prompt.js';
import type {
  PlannedPrompt,
  TeamSchedules,
  TickEnd,
  TickStart,
} from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';

const WATERMARK = 'prompts';
/** Serialises ticks across workers; the unique keys stay the real guarantee. */
const TICK_LOCK = 0x0c4ec1a5;

/**
 * Takes the tick lock and reads the watermark and the personal-schedule version in one round
 * trip. It also turns off the commit flush for the tick: everything a tick writes (prompts,
 * jobs, the watermark) commits together, so losing the last ticks in a crash only means the
 * next tick plans the same rows again.
 */
export async function beginTick(ex: Executor, teamId?: string): Promise<TickStart> {
  const r = await query<{
    last_tick_at: Date | null;
    version: string;
    schedules: ScheduleRow[] | null;
  }>(
    ex,
    `SELECT pg_advisory_xact_lock($1), set_config('synchronous_commit', 'off', true),
            (SELECT last_tick_at FROM checkin_ticks WHERE name = $2) AS last_tick_at,
            (SELECT version FROM checkin_schedule_version WHERE id = 1) AS version,
            (SELECT json_agg(x) FROM (${TEAM_SCHEDULES}) x) AS schedules`,
    [TICK_LOCK, WATERMARK, teamId ?? null],
  );
  const row = r.rows[0]!;
  return {
    watermark: row.last_tick_at ?? null,
    scheduleVersion: Number(row.version ?? 0),
    schedules: toSchedules(row.schedules ?? []),
  };
}

type ScheduleRow = {
  kind: 'p' | 'd';
  zone: string;
  at: string;
  cutoff_time: string | null;
  reminder_minutes: number | null;
};

function toSchedules(rows: ScheduleRow[]): TeamSchedules {
  const prompts: TeamSchedules['prompts'] = [];
  const digests: TeamSchedules['digests'] = [];
  for (const x of rows) {
    if (x.kind === 'p')
      prompts.push({
        zone: x.zone,
        promptTime: x.at,
        cutoffTime: x.cutoff_time!,
        reminderMinutes: x.reminder_minutes,
      });
    else digests.push({ zone: x.zone, digestTime: x.at });
  }
  return { prompts, digests };
}

/**
 * The team-level prompt and digest schedules (one row per team at most, so cheap every tick),
 * read in the tick's first statement. A team with no asked member may add a schedule that
 * plans nothing, which is harmless.
 */
const TEAM_SCHEDULES = `
  SELECT DISTINCT 'p' AS kind, t.time_zone AS zone, to_char(t.prompt_time, 'HH24:MI') AS at, to_char(t.cutoff_time, 'HH24:MI') AS cutoff_time,
         CASE WHEN t.reminder_enabled THEN t.reminder_minutes_before_cutoff END AS reminder_minutes
    FROM teams t WHERE ($3::uuid IS NULL OR t.id = $3)
  UNION ALL
  SELECT DISTINCT 'd', time_zone, to_char(digest_time, 'HH24:MI'), NULL::text, NULL::int
    FROM teams WHERE ($3::uuid IS NULL OR id = $3)`;

/** Schedules from members' own zone or prompt time (their partial index); cached by version. */
export async function listPersonalSchedules(ex: Executor, teamId?: string): Promise<Schedule[]> {
  const r = await query<ScheduleRow>(
    ex,
    `SELECT DISTINCT 'p' AS kind, coalesce(m.time_zone, t.time_zone) AS zone,
            to_char(coalesce(m.prompt_time, t.prompt_time), 'HH24:MI') AS at,
            to_char(t.cutoff_time, 'HH24:MI') AS cutoff_time,
            CASE WHEN t.reminder_enabled THEN t.reminder_minutes_before_cutoff END AS reminder_minutes
       FROM members m JOIN teams t ON t.id = m.team_id
      WHERE (m.time_zone IS NOT NULL OR m.prompt_time IS NOT NULL) AND m.role <> 'observer'
        AND ($1::uuid IS NULL OR t.id = $1)`,
    [teamId ?? null],
  );
  return toSchedules(r.rows).prompts;
}

/** PLAN_PROMPTS' parameters: one array per slot column (unnest), then the tick time and team. */
export function planPromptsParams(slots: readonly Slot[], now: Date, teamId?: string): unknown[] {
  return [
    slots.map((s) => s.zone),
    slots.map((s) => s.promptTime),
    slots.map((s) => s.cutoffTime),
    slots.map((s) => s.reminderMinutes),
    slots.map((s) => s.localDate),
    slots.map((s) => s.dueAt),
    slots.map((s) => s.cutoffAt),
    slots.map((s) => s.remindAt),
    slots.map((s) => s.status),
    now,
    teamId ?? null,
  ];
}

/**
 * The end of a tick in one statement: reminders whose time fell in (from, to] and are still
 * before the cutoff (so each is queued once), prompts past their cutoff without a reply become
 * missed (promptMachine's `miss`, set-based; a late reply still answers them), and the
 * watermark moves to `to`.
 */
export async function finishTick(ex: Executor, from: Date, to: Date): Promise<TickEnd> {
  const r = await query<{ reminders: string[] | null; missed: number }>(
    ex,
    `WITH rem AS (
       SELECT id FROM prompts WHERE status = 'sent' AND remind_at > $1 AND remind_at <= $2 AND cutoff_at > $2
     ), missed AS (
       UPDATE prompts SET status = $4 WHERE status = ANY ($5::text[]) AND cutoff_at <= $2 RETURNING 1
     ), wm AS (
       INSERT INTO checkin_ticks (name, last_tick_at, updated_at) VALUES ($3, $2, now())
       ON CONFLICT (name) DO UPDATE SET last_tick_at = greatest(checkin_ticks.last_tick_at, EXCLUDED.last_tick_at), updated_at = now()
     )
     SELECT (SELECT array_agg(id) FROM rem) AS reminders, (SELECT count(*)::int FROM missed) AS missed`,
    [from, to, WATERMARK, promptMachine.target('miss'), promptMachine.sources('miss')],
  );
  return { reminders: r.rows[0]!.reminders ?? [], missed: r.rows[0]!.missed };
}

/*
 * Members are joined to the slots on their effective schedule (a hash join: one pass over the
 * members, whatever the slot count), and holidays are evaluated once per team and date rather
 * than once per member. MATERIALIZED keeps the planner, which cannot estimate the unnest,
 * from turning this into a per-slot index scan of members (1.3 M rows visited for 30 k).
 */
export const PLAN_PROMPTS = `
WITH slots AS (
  SELECT * FROM unnest($1::text[], $2::time[], $3::time[], $4::int[], $5::date[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::text[])
    AS s(time_zone, prompt_time, cutoff_time, reminder_minutes, local_date, due_at, cutoff_at, remind_at, status)
), off_days AS MATERIALIZED (
  SELECT t.id AS team_id, d.local_date
    FROM teams t CROSS JOIN (SELECT DISTINCT local_date FROM slots) d
   WHERE ($11::uuid IS NULL OR t.id = $11) AND checkins_is_holiday(t.id, d.local_date)
), asked AS MATERIALIZED (
  SELECT m.id, m.team_id, m.created_at, m.status, m.pause_until, t.weekdays,
         coalesce(m.time_zone, t.time_zone) AS zone,
         coalesce(m.prompt_time, t.prompt_time) AS prompt_time,
         t.cutoff_time,
         CASE WHEN t.reminder_enabled THEN t.reminder_minutes_before_cutoff ELSE -1 END AS reminder_minutes
    FROM members m JOIN teams t ON t.id = m.team_id
   WHERE m.role <> 'observer' AND ($11::uuid IS NULL OR m.team_id = $11)
)
INSERT INTO prompts (id, team_id, member_id, local_date, due_at, cutoff_at, remind_at, status, created_at)
SELECT checkins_uuidv7(), a.team_id, a.id, s.local_date, s.due_at, s.cutoff_at, s.remind_at, s.status, $10
  FROM asked a
  JOIN slots s ON s.time_zone = a.zone AND s.prompt_time = a.prompt_time AND s.cutoff_time = a.cutoff_time
              AND coalesce(s.reminder_minutes, -1) = a.reminder_minutes
 -- a member added after the prompt time is first asked the next day
 WHERE a.created_at <= s.due_at
   AND extract(isodow FROM s.local_date)::smallint = ANY (a.weekdays)
   AND NOT (a.status = 'paused' AND (a.pause_until IS NULL OR s.local_date < a.pause_until))
   AND NOT EXISTS (SELECT 1 FROM off_days o WHERE o.team_id = a.team_id AND o.local_date = s.local_date)
   AND NOT EXISTS (SELECT 1 FROM member_vacations v
                    WHERE v.member_id = a.id AND s.local_date BETWEEN v.start_date AND v.end_date)
   AND NOT EXISTS (SELECT 1 FROM member_unsubscriptions u WHERE u.member_id = a.id AND u.kind = 'prompt')
ON CONFLICT (member_id, local_date) DO NOTHING
RETURNING id, status`;

export async function planPrompts(
  ex: Executor,
  slots: readonly Slot[],
  now: Date,
  teamId?: string,
): Promise<PlannedPrompt[]> {
  if (slots.length === 0) return [];
  return rows<PlannedPrompt>(ex, PLAN_PROMPTS, planPromptsParams(slots, now, teamId));
}

const PLAN_DIGESTS = `
WITH slots AS (
  SELECT * FROM unnest($1::text[], $2::time[], $3::date[], $4::timestamptz[]) AS s(time_zone, digest_time, send_date, due_at)
)
INSERT INTO digests (id, team_id, local_date, send_date, due_at, status, created_at)
SELECT checkins_uuidv7(), t.id, r.day, s.send_date, s.due_at, 'pending', $5
  FROM teams t
  JOIN slots s ON s.time_zone = t.time_zone AND s.digest_time = t.digest_time
  -- the report covers the previous working day of the team
  CROSS JOIN LATERAL (
    SELECT g.d::date AS day
      FROM generate_series((s.send_date - 1)::timestamp, (s.send_date - 60)::timestamp, interval '-1 day') AS g(d)
     WHERE extract(isodow FROM g.d)::smallint = ANY (t.weekdays) AND NOT checkins_is_holiday(t.id, g.d::date)
     LIMIT 1
  ) r
 WHERE ($6::uuid IS NULL OR t.id = $6)
   AND extract(isodow FROM s.send_date)::smallint = ANY (t.weekdays)
   AND NOT checkins_is_holiday(t.id, s.send_date)
   AND r.day IS NOT NULL
ON CONFLICT (team_id, local_date) DO NOTHING
RETURNING id`;

export async function planDigests(
  ex: Executor,
  slots: readonly DigestSlot[],
  now: Date,
  teamId?: string,
): Promise<string[]> {
  if (slots.length === 0) return [];
  const r = await query<{ id: string }>(ex, PLAN_DIGESTS, [
    slots.map((s) => s.zone),
    slots.map((s) => s.digestTime),
    slots.map((s) => s.sendDate),
    slots.map((s) => s.dueAt),
    now,
    teamId ?? null,
  ]);
  return r.rows.map((x) => x.id);
}
