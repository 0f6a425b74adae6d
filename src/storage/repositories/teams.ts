/** Teams and their holidays (teams, team_holidays): the admin API's rows and the planner's calendar. */
import { assignments, one, query, rows } from '../sql.js';
import type { HolidayRow, NewTeam, TeamChanges, TeamRow } from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';

/** Times come back as 'HH:MM' and weekdays as numbers, as the API shows them. */
export const TEAM_COLUMNS = `t.id, t.name, t.time_zone, to_char(t.prompt_time, 'HH24:MI') AS prompt_time,
  to_char(t.digest_time, 'HH24:MI') AS digest_time, t.weekdays::int[] AS weekdays, t.question, t.reminder_enabled,
  t.reminder_minutes_before_cutoff, to_char(t.cutoff_time, 'HH24:MI') AS cutoff_time, t.created_at, t.updated_at`;

const TEAM_FIELDS = [
  'name',
  'time_zone',
  'prompt_time',
  'digest_time',
  'weekdays',
  'question',
  'reminder_enabled',
  'reminder_minutes_before_cutoff',
  'cutoff_time',
] as const;

export async function createTeam(ex: Executor, t: NewTeam, at: Date): Promise<TeamRow> {
  await query(
    ex,
    `INSERT INTO teams (id, name, time_zone, prompt_time, digest_time, weekdays, question, reminder_enabled, reminder_minutes_before_cutoff, cutoff_time, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    [
      t.id,
      t.name,
      t.time_zone,
      t.prompt_time,
      t.digest_time,
      t.weekdays,
      t.question,
      t.reminder_enabled,
      t.reminder_minutes_before_cutoff,
      t.cutoff_time,
      at,
    ],
  );
  return (await getTeam(ex, t.id))!;
}

export async function getTeam(ex: Executor, id: string): Promise<TeamRow | null> {
  return one<TeamRow>(ex, `SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.id = $1`, [id]);
}

export async function listTeams(
  ex: Executor,
  limit: number,
  afterId: string | null,
): Promise<TeamRow[]> {
  return rows<TeamRow>(
    ex,
    `SELECT ${TEAM_COLUMNS} FROM teams t WHERE ($2::uuid IS NULL OR t.id > $2) ORDER BY t.id LIMIT $1`,
    [limit, afterId],
  );
}

export async function updateTeam(
  ex: Executor,
  id: string,
  patch: TeamChanges,
  at: Date,
): Promise<TeamRow | null> {
  const values: unknown[] = [id, at];
  const sets = assignments(TEAM_FIELDS, patch, values);
  const r = await query(
    ex,
    `UPDATE teams SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1`,
    values,
  );
  return r.rowCount === 1 ? getTeam(ex, id) : null;
}

export async function deleteTeam(ex: Executor, id: string): Promise<boolean> {
  const r = await query(ex, 'DELETE FROM teams WHERE id = $1', [id]);
  return r.rowCount === 1;
}

export async function listHolidays(ex: Executor, teamId: string): Promise<HolidayRow[]> {
  return rows<HolidayRow>(
    ex,
    'SELECT id, team_id, date, name, yearly FROM team_holidays WHERE team_id = $1 ORDER BY date',
    [teamId],
  );
}

export async function addHoliday(
  ex: Executor,
  h: HolidayRow,
  at: Date,
): Promise<HolidayRow | null> {
  return one<HolidayRow>(
    ex,
    `INSERT INTO team_holidays (id, team_id, date, name, yearly, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (team_id, date) DO NOTHING RETURNING id, team_id, date, name, yearly`,
    [h.id, h.team_id, h.date, h.name, h.yearly, at],
  );
}

export async function deleteHoliday(ex: Executor, teamId: string, id: string): Promise<boolean> {
  const r = await query(ex, 'DELETE FROM team_holidays WHERE team_id = $1 AND id = $2', [
    teamId,
    id,
  ]);
  return r.rowCount === 1;
}
