/**
 * Members and what each one sets for themselves (members, member_vacations,
 * member_unsubscriptions). The member page and the preferences page write unsubscriptions
 * through the check-in services, so this module is their one writer.
 */
import { assignments, one, query, rows } from '../sql.js';
import type {
  Invited,
  MemberChanges,
  MemberRow,
  NewMember,
  UnsubscribeKind,
  VacationRow,
} from '../../services/checkins/ports.js';
import type { Executor } from '../../services/ports.js';

/** The prompt time comes back as 'HH:MM' and the address as text, as the API shows them. */
export const MEMBER_COLUMNS = `m.id, m.team_id, m.email::text AS email, m.name, m.role, m.time_zone,
  to_char(m.prompt_time, 'HH24:MI') AS prompt_time, m.status, m.pause_until, m.created_at, m.updated_at`;

/** Bulk invite in one statement; addresses already in the team are reported, not duplicated. */
export async function createMembers(
  ex: Executor,
  rows: readonly NewMember[],
  at: Date,
): Promise<Invited> {
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
  return one<MemberRow>(ex, `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.id = $1`, [id]);
}

export async function findMemberByEmail(
  ex: Executor,
  teamId: string,
  email: string,
): Promise<MemberRow | null> {
  return one<MemberRow>(
    ex,
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.team_id = $1 AND m.email = $2`,
    [teamId, email],
  );
}

export async function listMembers(ex: Executor, teamId: string): Promise<MemberRow[]> {
  return rows<MemberRow>(
    ex,
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.team_id = $1 ORDER BY m.id`,
    [teamId],
  );
}

export async function listMembersByIds(ex: Executor, ids: readonly string[]): Promise<MemberRow[]> {
  return rows<MemberRow>(
    ex,
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.id = ANY ($1::uuid[]) ORDER BY m.id`,
    [ids],
  );
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
  patch: MemberChanges,
  at: Date,
): Promise<MemberRow | null> {
  const values: unknown[] = [id, at];
  const sets = assignments(MEMBER_FIELDS, patch, values);
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

export async function listVacations(ex: Executor, memberId: string): Promise<VacationRow[]> {
  return rows<VacationRow>(
    ex,
    'SELECT id, member_id, start_date, end_date FROM member_vacations WHERE member_id = $1 ORDER BY start_date',
    [memberId],
  );
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
