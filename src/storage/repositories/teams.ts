/** Teams, members, holidays, vacations and per-kind unsubscriptions (the admin API's rows). */
import { query } from '../sql.js';
import type {
  HolidayRow,
  MemberStatsRow,
  MemberRow,
  TeamRow,
  UnsubscribeKind,
  VacationRow,
} from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';
import { MEMBER_COLUMNS, TEAM_COLUMNS } from './columns.js';

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

export async function createTeam(
  ex: Executor,
  t: Omit<TeamRow, 'created_at' | 'updated_at'>,
  at: Date,
): Promise<TeamRow> {
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
  const r = await query<TeamRow>(ex, `SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.id = $1`, [id]);
  return r.rows[0] ?? null;
}

export async function listTeams(
  ex: Executor,
  limit: number,
  afterId: string | null,
): Promise<TeamRow[]> {
  const r = await query<TeamRow>(
    ex,
    `SELECT ${TEAM_COLUMNS} FROM teams t WHERE ($2::uuid IS NULL OR t.id > $2) ORDER BY t.id LIMIT $1`,
    [limit, afterId],
  );
  return r.rows;
}

export async function updateTeam(
  ex: Executor,
  id: string,
  patch: Partial<Omit<TeamRow, 'id' | 'created_at' | 'updated_at'>>,
  at: Date,
): Promise<TeamRow | null> {
  const sets: string[] = [];
  const values: unknown[] = [id, at];
  for (const f of TEAM_FIELDS) {
    if (patch[f] === undefined) continue;
    values.push(patch[f]);
    sets.push(`${f} = $${values.length}`);
  }
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

/** Bulk invite in one statement; addresses already in the team are reported, not duplicated. */
export async function createMembers(
  ex: Executor,
  rows: ReadonlyArray<Omit<MemberRow, 'created_at' | 'updated_at' | 'status' | 'pause_until'>>,
  at: Date,
): Promise<{ created: MemberRow[]; existing: string[] }> {
  if (rows.length === 0) return { created: [], existing: [] };
  const r = await query<MemberRow>(
    ex,
    `INSERT INTO members AS m (id, team_id, email, name, role, time_zone, prompt_time, status, created_at, updated_at)
     SELECT x.id, x.team_id, x.email, x.name, x.role, x.time_zone, x.prompt_time::time, 'active', $2, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, team_id uuid, email text, name text, role text, time_zone text, prompt_time text)
     ON CONFLICT (team_id, email) DO NOTHING
     RETURNING ${MEMBER_COLUMNS}`,
    [JSON.stringify(rows), at],
  );
  const made = new Set(r.rows.map((m) => m.email.toLowerCase()));
  return {
    created: r.rows,
    existing: rows.map((x) => x.email).filter((e) => !made.has(e.toLowerCase())),
  };
}

export async function getMember(ex: Executor, id: string): Promise<MemberRow | null> {
  const r = await query<MemberRow>(ex, `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.id = $1`, [
    id,
  ]);
  return r.rows[0] ?? null;
}

export async function findMemberByEmail(
  ex: Executor,
  teamId: string,
  email: string,
): Promise<MemberRow | null> {
  const r = await query<MemberRow>(
    ex,
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.team_id = $1 AND m.email = $2`,
    [teamId, email],
  );
  return r.rows[0] ?? null;
}

export async function listMembers(ex: Executor, teamId: string): Promise<MemberRow[]> {
  const r = await query<MemberRow>(
    ex,
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.team_id = $1 ORDER BY m.id`,
    [teamId],
  );
  return r.rows;
}

export async function listMembersByIds(ex: Executor, ids: readonly string[]): Promise<MemberRow[]> {
  const r = await query<MemberRow>(
    ex,
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.id = ANY ($1::uuid[]) ORDER BY m.id`,
    [ids],
  );
  return r.rows;
}

const MEMBER_FIELDS = [
  'name',
  'role',
  'time_zone',
  'prompt_time',
  'status',
  'pause_until',
  'email',
] as const;

export async function updateMember(
  ex: Executor,
  id: string,
  patch: Partial<
    Pick<
      MemberRow,
      'name' | 'role' | 'time_zone' | 'prompt_time' | 'status' | 'pause_until' | 'email'
    >
  >,
  at: Date,
): Promise<MemberRow | null> {
  const sets: string[] = [];
  const values: unknown[] = [id, at];
  for (const f of MEMBER_FIELDS) {
    if (patch[f] === undefined) continue;
    values.push(patch[f]);
    sets.push(`${f} = $${values.length}`);
  }
  const r = await query(
    ex,
    `UPDATE members SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1`,
    values,
  );
  return r.rowCount === 1 ? getMember(ex, id) : null;
}

export async function deleteMember(ex: Executor, id: string): Promise<boolean> {
  const r = await query(ex, 'DELETE FROM members WHERE id = $1', [id]);
  return r.rowCount === 1;
}

export async function listHolidays(ex: Executor, teamId: string): Promise<HolidayRow[]> {
  const r = await query<HolidayRow>(
    ex,
    'SELECT id, team_id, date, name, yearly FROM team_holidays WHERE team_id = $1 ORDER BY date',
    [teamId],
  );
  return r.rows;
}

export async function addHoliday(
  ex: Executor,
  h: HolidayRow,
  at: Date,
): Promise<HolidayRow | null> {
  const r = await query<HolidayRow>(
    ex,
    `INSERT INTO team_holidays (id, team_id, date, name, yearly, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (team_id, date) DO NOTHING RETURNING id, team_id, date, name, yearly`,
    [h.id, h.team_id, h.date, h.name, h.yearly, at],
  );
  return r.rows[0] ?? null;
}

export async function deleteHoliday(ex: Executor, teamId: string, id: string): Promise<boolean> {
  const r = await query(ex, 'DELETE FROM team_holidays WHERE team_id = $1 AND id = $2', [
    teamId,
    id,
  ]);
  return r.rowCount === 1;
}

export async function listVacations(ex: Executor, memberId: string): Promise<VacationRow[]> {
  const r = await query<VacationRow>(
    ex,
    'SELECT id, member_id, start_date, end_date FROM member_vacations WHERE member_id = $1 ORDER BY start_date',
    [memberId],
  );
  return r.rows;
}

export async function addVacation(ex: Executor, v: VacationRow, at: Date): Promise<VacationRow> {
  await query(
    ex,
    'INSERT INTO member_vacations (id, member_id, start_date, end_date, created_at) VALUES ($1, $2, $3, $4, $5)',
    [v.id, v.member_id, v.start_date, v.end_date, at],
  );
  return v;
}

export async function deleteVacation(ex: Executor, memberId: string, id: string): Promise<boolean> {
  const r = await query(ex, 'DELETE FROM member_vacations WHERE member_id = $1 AND id = $2', [
    memberId,
    id,
  ]);
  return r.rowCount === 1;
}

export async function unsubscriptions(ex: Executor, memberId: string): Promise<UnsubscribeKind[]> {
  const r = await query<{ kind: UnsubscribeKind }>(
    ex,
    'SELECT kind FROM member_unsubscriptions WHERE member_id = $1 ORDER BY kind',
    [memberId],
  );
  return r.rows.map((x) => x.kind);
}

export async function setUnsubscribed(
  ex: Executor,
  memberId: string,
  kind: UnsubscribeKind,
  on: boolean,
  at: Date,
): Promise<void> {
  if (on) {
    await query(
      ex,
      'INSERT INTO member_unsubscriptions (member_id, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [memberId, kind, at],
    );
  } else {
    await query(ex, 'DELETE FROM member_unsubscriptions WHERE member_id = $1 AND kind = $2', [
      memberId,
      kind,
    ]);
  }
}

/** Completion per member over a date range: asked = sent, reminded, answered or missed. */
export async function stats(
  ex: Executor,
  teamId: string,
  from: string,
  to: string,
): Promise<MemberStatsRow[]> {
  const r = await query<{
    member_id: string;
    name: string;
    asked: number;
    answered: number;
    days: Array<{ date: string; answered: boolean }>;
  }>(
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
  return r.rows;
}
