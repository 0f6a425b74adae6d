/** Teams: the list, one team (members, schedule, holidays, vacations, participation) and its edits. */
import type { Request, Response } from 'express';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type {
  PromptHistory,
  TeamDetail,
  TeamsReader,
} from '../../../services/dashboard/ports/index.js';
import type { PageDeps } from '../page-deps.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import type { TeamActions } from '../services.js';
import { WEEKDAY_NAMES, participation } from '../view-models/archive.js';
import { isIsoDate } from '../view-models/format.js';
import { statusTone } from '../view-models/status.js';

/** What the team and archive pages read. */
export interface TeamPages extends PageDeps {
  teams: TeamsReader;
}

/** Participation looks back this far: completion rate and streaks over the last 90 days. */
const HISTORY_DAYS = 90;

export function registerTeamPages(
  t: RouteTable,
  deps: PageDeps,
  teams: TeamsReader,
  actions: TeamActions | null,
): void {
  const p: TeamPages = { ...deps, teams };
  t.get('/teams', 'admin', (req, res) => teamList(p, req, res));
  // Without the check-ins admin service the team page is read-only.
  t.get('/teams/:id', 'admin', (req, res) => teamPage(p, actions !== null, req, res));
  if (actions) registerTeamActions(t, p, actions);
}

export async function loadTeam(p: TeamPages, id: string): Promise<TeamDetail> {
  const team = isUuid(id) ? await p.teams.getTeam(id) : null;
  if (!team) throw new NotFoundError('team_not_found', 'No such team');
  return team;
}

export const today = (p: PageDeps): string => p.clock.now().toISOString().slice(0, 10);

/** The team's prompt outcomes per member over the participation window. */
export function recentHistory(p: TeamPages, teamId: string): Promise<PromptHistory> {
  const since = new Date(p.clock.now().getTime() - HISTORY_DAYS * 86_400_000);
  return p.teams.promptHistory(teamId, since.toISOString().slice(0, 10));
}

async function teamList(p: TeamPages, req: Request, res: Response): Promise<void> {
  const teams = await p.teams.listTeams();
  p.kit.render(req, res, 'teams', { title: 'Teams', nav: 'teams' }, { teams });
}

async function teamPage(p: TeamPages, canEdit: boolean, req: Request, res: Response) {
  const team = await loadTeam(p, String(req.params.id));
  const history = await recentHistory(p, team.id);
  const names = new Map(team.members.map((m) => [m.id, m.name]));
  const members = team.members.map((m) => ({
    ...m,
    tone: statusTone(m.status),
    p: participation(history.get(m.id) ?? []),
  }));
  const all = [...history.values()].flat();
  p.kit.render(
    req,
    res,
    'team',
    { title: team.name, nav: 'teams' },
    {
      team,
      members,
      teamRate: participation(all).completionRate,
      weekdayNames: team.weekdays.map((d) => WEEKDAY_NAMES[d - 1] ?? String(d)).join(', '),
      vacations: team.vacations.map((v) => ({
        ...v,
        memberName: names.get(v.memberId) ?? v.memberId,
      })),
      canEdit,
      today: today(p),
    },
  );
}

// ---------------------------------------------------------------- edits (check-ins admin service)

const date = (v: unknown, what: string): string => {
  if (!isIsoDate(v)) throw new ValidationError(`${what} must be a date`, undefined, 'invalid_date');
  return v;
};

/** Pause and resume members, holidays and vacations, through the check-ins admin service. */
function registerTeamActions(t: RouteTable, p: TeamPages, actions: TeamActions): void {
  const path = '/teams/:id';
  t.post(`${path}/members/:memberId/status`, 'admin', 'form', (req, res) =>
    setMemberStatus(p, actions, req, res),
  );
  t.post(`${path}/holidays`, 'admin', 'form', (req, res) => addHoliday(p, actions, req, res));
  t.post(`${path}/holidays/:holidayId/delete`, 'admin', 'form', (req, res) =>
    deleteHoliday(p, actions, req, res),
  );
  t.post(`${path}/vacations`, 'admin', 'form', (req, res) => addVacation(p, actions, req, res));
  t.post(`${path}/vacations/:vacationId/delete`, 'admin', 'form', (req, res) =>
    deleteVacation(p, actions, req, res),
  );
}

/** The team, once the member is known to be in it (ids in a form are not trusted). */
async function teamOfMember(p: TeamPages, teamId: string, memberId: string): Promise<TeamDetail> {
  const team = await loadTeam(p, teamId);
  if (!team.members.some((m) => m.id === memberId))
    throw new NotFoundError('member_not_found', 'No such member in this team');
  return team;
}

async function setMemberStatus(p: TeamPages, actions: TeamActions, req: Request, res: Response) {
  const team = await teamOfMember(p, String(req.params.id), String(req.params.memberId));
  const pause = req.body.status === 'paused';
  const until = str(req.body.pause_until);
  await actions.updateMember(team.id, String(req.params.memberId), {
    status: pause ? 'paused' : 'active',
    ...(pause ? { pause_until: until ? date(until, 'Pause until') : null } : {}),
  });
  p.kit.redirectWith(res, `/teams/${team.id}`, pause ? 'Member paused.' : 'Member resumed.');
}

async function addHoliday(p: TeamPages, actions: TeamActions, req: Request, res: Response) {
  const team = await loadTeam(p, String(req.params.id));
  await actions.addHoliday(team.id, {
    date: date(req.body.date, 'Holiday'),
    name: str(req.body.name).trim().slice(0, 200),
    yearly: req.body.yearly === 'on',
  });
  p.kit.redirectWith(res, `/teams/${team.id}`, 'Holiday added.');
}

async function deleteHoliday(p: TeamPages, actions: TeamActions, req: Request, res: Response) {
  const team = await loadTeam(p, String(req.params.id));
  const holidayId = String(req.params.holidayId);
  if (!isUuid(holidayId)) throw new NotFoundError('holiday_not_found', 'No such holiday');
  await actions.deleteHoliday(team.id, holidayId);
  p.kit.redirectWith(res, `/teams/${team.id}`, 'Holiday removed.');
}

async function addVacation(p: TeamPages, actions: TeamActions, req: Request, res: Response) {
  const memberId = str(req.body.member_id);
  const team = await teamOfMember(p, String(req.params.id), memberId);
  const start = date(req.body.start_date, 'Start');
  const end = date(req.body.end_date, 'End');
  if (end < start)
    throw new ValidationError('The vacation ends before it starts', undefined, 'invalid_range');
  await actions.addVacation(memberId, { start_date: start, end_date: end });
  p.kit.redirectWith(res, `/teams/${team.id}`, 'Vacation added.');
}

async function deleteVacation(p: TeamPages, actions: TeamActions, req: Request, res: Response) {
  const memberId = str(req.body.member_id);
  const team = await teamOfMember(p, String(req.params.id), memberId);
  const vacationId = String(req.params.vacationId);
  if (!isUuid(vacationId)) throw new NotFoundError('vacation_not_found', 'No such vacation');
  await actions.deleteVacation(memberId, vacationId);
  p.kit.redirectWith(res, `/teams/${team.id}`, 'Vacation removed.');
}
