/**
 * The check-in admin use cases behind /v1: teams, members (with bulk invite), holidays,
 * vacations, entries, prompts and stats. Input is already zod-validated at the edge; this
 * layer owns existence checks, defaults and the JSON views clients rely on (views.ts).
 */
import { localDateAt, addDays } from '../../domain/schedule/local-time.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Database } from '../ports.js';
import { deleteEntry, listEntries, updateEntry, type EntryApiDeps } from './entries.js';
import { requireMember, requireTeam } from './lookups.js';
import type {
  EntryChanges,
  MemberRepository,
  MemberStatsRow,
  NewMember,
  PromptRepository,
  TeamRepository,
} from './ports.js';
import type { MemberInput, MemberPatch, TeamInput, TeamPatch } from './schemas.js';
import type { CheckinsSettings } from './settings.js';
import { memberView, promptView, streaks, teamView } from './views.js';

export interface AdminDeps extends EntryApiDeps {
  db: Database;
  clock: Clock;
  settings: CheckinsSettings;
  teams: TeamRepository;
  members: Pick<
    MemberRepository,
    | 'createMembers'
    | 'getMember'
    | 'listMembers'
    | 'updateMember'
    | 'deleteMember'
    | 'listVacations'
    | 'addVacation'
    | 'deleteVacation'
  >;
  prompts: Pick<PromptRepository, 'listPrompts' | 'stats'>;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

// ---------------------------------------------------------------- teams

async function createTeam(deps: AdminDeps, input: TeamInput) {
  const now = deps.clock.now();
  const t = await deps.teams.createTeam(
    deps.db,
    {
      id: newId(now.getTime()),
      name: input.name,
      time_zone: input.time_zone,
      prompt_time: input.prompt_time,
      digest_time: input.digest_time,
      weekdays: input.weekdays,
      question: input.question ?? deps.settings.defaultQuestion,
      reminder_enabled: input.reminder.enabled,
      reminder_minutes_before_cutoff: input.reminder.minutes_before_cutoff,
      cutoff_time: input.cutoff_time,
    },
    now,
  );
  return teamView(t);
}

async function listTeams(deps: AdminDeps, limit: number, cursor: string | null) {
  const rows = await deps.teams.listTeams(deps.db, limit + 1, cursor);
  const page = rows.slice(0, limit);
  return {
    data: page.map(teamView),
    next_cursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}

async function updateTeam(deps: AdminDeps, id: string, p: TeamPatch) {
  const { reminder, ...rest } = p;
  const changes = {
    ...rest,
    reminder_enabled: reminder?.enabled,
    reminder_minutes_before_cutoff: reminder?.minutes_before_cutoff,
  };
  const t = await deps.teams.updateTeam(deps.db, id, changes, deps.clock.now());
  if (!t) throw new NotFoundError('team_not_found', `No team ${id}`);
  return teamView(t);
}

async function deleteTeam(deps: AdminDeps, id: string): Promise<void> {
  if (!(await deps.teams.deleteTeam(deps.db, id)))
    throw new NotFoundError('team_not_found', `No team ${id}`);
}

// ---------------------------------------------------------------- members

function toMemberRow(teamId: string, m: MemberInput, now: Date): NewMember {
  return {
    id: newId(now.getTime()),
    team_id: teamId,
    email: m.email.toLowerCase(),
    name: m.name,
    role: m.role,
    time_zone: m.time_zone ?? null,
    prompt_time: m.prompt_time ?? null,
  };
}

async function addMember(deps: AdminDeps, teamId: string, input: MemberInput) {
  await requireTeam(deps, teamId);
  const now = deps.clock.now();
  const r = await deps.members.createMembers(deps.db, [toMemberRow(teamId, input, now)], now);
  if (r.created.length === 0)
    throw new ConflictError('member_exists', `${input.email} is already a member of this team`);
  return memberView(r.created[0]!);
}

async function inviteMembers(deps: AdminDeps, teamId: string, inputs: MemberInput[]) {
  await requireTeam(deps, teamId);
  const now = deps.clock.now();
  const seen = new Set<string>();
  const unique = inputs.filter(
    (m) => !seen.has(m.email.toLowerCase()) && seen.add(m.email.toLowerCase()),
  );
  const rows = unique.map((m) => toMemberRow(teamId, m, now));
  const r = await deps.members.createMembers(deps.db, rows, now);
  return { created: r.created.map(memberView), existing: r.existing };
}

async function listMembers(deps: AdminDeps, teamId: string) {
  await requireTeam(deps, teamId);
  return (await deps.members.listMembers(deps.db, teamId)).map(memberView);
}

async function getMember(deps: AdminDeps, teamId: string, id: string) {
  const m = await requireMember(deps, id);
  if (m.team_id !== teamId)
    throw new NotFoundError('member_not_found', `No member ${id} in team ${teamId}`);
  return memberView(m);
}

async function updateMember(deps: AdminDeps, teamId: string, id: string, p: MemberPatch) {
  await getMember(deps, teamId, id);
  const patch = { ...p, ...(p.email ? { email: p.email.toLowerCase() } : {}) };
  // Resuming clears the pause date; pausing without a date pauses until resumed.
  if (p.status === 'active' && p.pause_until === undefined) patch.pause_until = null;
  try {
    return memberView((await deps.members.updateMember(deps.db, id, patch, deps.clock.now()))!);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('member_exists', 'That address is already a member of this team');
    throw err;
  }
}

async function deleteMember(deps: AdminDeps, teamId: string, id: string): Promise<void> {
  await getMember(deps, teamId, id);
  await deps.members.deleteMember(deps.db, id);
}

// ---------------------------------------------------------------- days off

async function listHolidays(deps: AdminDeps, teamId: string) {
  await requireTeam(deps, teamId);
  return deps.teams.listHolidays(deps.db, teamId);
}

async function addHoliday(
  deps: AdminDeps,
  teamId: string,
  h: { date: string; name: string; yearly: boolean },
) {
  await requireTeam(deps, teamId);
  const now = deps.clock.now();
  const holiday = { id: newId(now.getTime()), team_id: teamId, ...h };
  const row = await deps.teams.addHoliday(deps.db, holiday, now);
  if (!row)
    throw new ConflictError('holiday_exists', `The team already has a holiday on ${h.date}`);
  return row;
}

async function deleteHoliday(deps: AdminDeps, teamId: string, id: string): Promise<void> {
  if (!(await deps.teams.deleteHoliday(deps.db, teamId, id)))
    throw new NotFoundError('holiday_not_found', `No holiday ${id}`);
}

async function listVacations(deps: AdminDeps, memberId: string) {
  await requireMember(deps, memberId);
  return deps.members.listVacations(deps.db, memberId);
}

async function addVacation(
  deps: AdminDeps,
  memberId: string,
  v: { start_date: string; end_date: string },
) {
  await requireMember(deps, memberId);
  const now = deps.clock.now();
  const vacation = { id: newId(now.getTime()), member_id: memberId, ...v };
  return deps.members.addVacation(deps.db, vacation, now);
}

async function deleteVacation(deps: AdminDeps, memberId: string, id: string): Promise<void> {
  if (!(await deps.members.deleteVacation(deps.db, memberId, id)))
    throw new NotFoundError('vacation_not_found', `No vacation ${id}`);
}

// ---------------------------------------------------------------- prompts and stats

async function listPrompts(deps: AdminDeps, teamId: string, date: string) {
  await requireTeam(deps, teamId);
  return (await deps.prompts.listPrompts(deps.db, teamId, date)).map(promptView);
}

const rate = (a: number, n: number) => (n === 0 ? null : Math.round((a / n) * 1000) / 1000);

function memberStats(r: MemberStatsRow, today: string) {
  const s = streaks(r.days, today);
  return {
    member_id: r.member_id,
    name: r.name,
    asked: r.asked,
    answered: r.answered,
    completion_rate: rate(r.answered, r.asked),
    current_streak: s.current,
    longest_streak: s.longest,
  };
}

async function stats(deps: AdminDeps, teamId: string, q: { from?: string; to?: string }) {
  const t = await requireTeam(deps, teamId);
  const today = localDateAt(deps.clock.now(), t.time_zone);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -29);
  const rows = await deps.prompts.stats(deps.db, teamId, from, to);
  const asked = rows.reduce((n, r) => n + r.asked, 0);
  const answered = rows.reduce((n, r) => n + r.answered, 0);
  return {
    from,
    to,
    team: { asked, answered, completion_rate: rate(answered, asked) },
    members: rows.map((r) => memberStats(r, today)),
  };
}

export function createAdminService(deps: AdminDeps) {
  return {
    createTeam: (input: TeamInput) => createTeam(deps, input),
    getTeam: async (id: string) => teamView(await requireTeam(deps, id)),
    listTeams: (limit: number, cursor: string | null) => listTeams(deps, limit, cursor),
    updateTeam: (id: string, p: TeamPatch) => updateTeam(deps, id, p),
    deleteTeam: (id: string) => deleteTeam(deps, id),
    addMember: (teamId: string, input: MemberInput) => addMember(deps, teamId, input),
    inviteMembers: (teamId: string, inputs: MemberInput[]) => inviteMembers(deps, teamId, inputs),
    listMembers: (teamId: string) => listMembers(deps, teamId),
    getMember: (teamId: string, id: string) => getMember(deps, teamId, id),
    updateMember: (teamId: string, id: string, p: MemberPatch) => updateMember(deps, teamId, id, p),
    deleteMember: (teamId: string, id: string) => deleteMember(deps, teamId, id),
    listHolidays: (teamId: string) => listHolidays(deps, teamId),
    addHoliday: (teamId: string, h: { date: string; name: string; yearly: boolean }) =>
      addHoliday(deps, teamId, h),
    deleteHoliday: (teamId: string, id: string) => deleteHoliday(deps, teamId, id),
    listVacations: (memberId: string) => listVacations(deps, memberId),
    addVacation: (memberId: string, v: { start_date: string; end_date: string }) =>
      addVacation(deps, memberId, v),
    deleteVacation: (memberId: string, id: string) => deleteVacation(deps, memberId, id),
    listEntries: (teamId: string, q: Parameters<typeof listEntries>[2]) =>
      listEntries(deps, teamId, q),
    updateEntry: (id: string, p: EntryChanges) => updateEntry(deps, id, p),
    deleteEntry: (id: string) => deleteEntry(deps, id),
    listPrompts: (teamId: string, date: string) => listPrompts(deps, teamId, date),
    stats: (teamId: string, q: { from?: string; to?: string }) => stats(deps, teamId, q),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
