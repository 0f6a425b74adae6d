/** Teams (members, schedule, holidays, vacations, participation) and the team archive. */
import { freezeDigest } from '../../../domain/checkins/digest-view.js';
import { NotFoundError, ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import type { ArchiveEntry, TeamsReader } from '../../../services/dashboard/ports.js';
import type { TeamActions } from '../services.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import {
  WEEKDAY_NAMES,
  highlight,
  isMonth,
  monthGrid,
  parseSearchBox,
  participation,
  shiftMonth,
} from '../view-models/archive.js';
import { isIsoDate, query } from '../view-models/format.js';
import { statusTone } from '../view-models/status.js';
import type { PageDeps } from '../page-deps.js';

const KINDS = ['done', 'goal', 'blocker'];

export function registerTeamPages(
  t: RouteTable,
  deps: PageDeps,
  teams: TeamsReader,
  actions: TeamActions | null,
): void {
  const { kit } = deps;
  const today = () => deps.clock.now().toISOString().slice(0, 10);

  const loadTeam = async (id: string) => {
    const team = isUuid(id) ? await teams.getTeam(id) : null;
    if (!team) throw new NotFoundError('team_not_found', 'No such team');
    return team;
  };

  t.get('/teams', 'admin', async (req, res) => {
    kit.render(
      req,
      res,
      'teams',
      { title: 'Teams', nav: 'teams' },
      { teams: await teams.listTeams() },
    );
  });

  t.get('/teams/:id', 'admin', async (req, res) => {
    const team = await loadTeam(String(req.params.id));
    const since = new Date(deps.clock.now().getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    const history = await teams.promptHistory(team.id, since);
    const names = new Map(team.members.map((m) => [m.id, m.name]));
    const members = team.members.map((m) => ({
      ...m,
      tone: statusTone(m.status),
      p: participation(history.get(m.id) ?? []),
    }));
    const all = [...history.values()].flat();
    kit.render(
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
        canEdit: actions !== null,
        today: today(),
      },
    );
  });

  if (actions) registerTeamActions(t, deps, loadTeam, actions);

  t.get('/teams/:id/archive', 'admin', async (req, res) => {
    const team = await loadTeam(String(req.params.id));
    const month = isMonth(req.query.month) ? req.query.month : today().slice(0, 7);
    const grid = monthGrid(month, new Map());
    const counts = await teams.dayCounts(team.id, grid.first, grid.last);
    kit.render(
      req,
      res,
      'archive',
      { title: `${team.name} archive`, nav: 'teams' },
      {
        team,
        month,
        prev: shiftMonth(month, -1),
        next: shiftMonth(month, 1),
        weeks: monthGrid(month, counts).weeks,
        weekdays: WEEKDAY_NAMES,
        kinds: KINDS,
      },
    );
  });

  t.get('/teams/:id/archive/:date', 'admin', async (req, res) => {
    const team = await loadTeam(String(req.params.id));
    const date = String(req.params.date);
    if (!isIsoDate(date)) throw new NotFoundError('bad_date', 'Dates look like 2026-11-24');
    const entries = await teams.entries({ teamId: team.id, date, limit: 2000 });
    const digest = freezeDigest(team.name, date, entries);
    kit.render(
      req,
      res,
      'archive-day',
      { title: `${team.name} · ${date}`, nav: 'teams' },
      {
        team,
        date,
        digest,
        month: date.slice(0, 7),
        empty: entries.length === 0,
      },
    );
  });

  t.get('/teams/:id/members/:memberId', 'admin', async (req, res) => {
    const team = await loadTeam(String(req.params.id));
    const member = team.members.find((m) => m.id === req.params.memberId);
    if (!member) throw new NotFoundError('member_not_found', 'No such member in this team');
    const before = isIsoDate(req.query.before) ? req.query.before : undefined;
    const entries = await teams.entries({
      teamId: team.id,
      memberId: member.id,
      limit: 200,
      ...(before ? { beforeDate: before } : {}),
    });
    const days = groupByDate(entries);
    const since = new Date(deps.clock.now().getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    const history = await teams.promptHistory(team.id, since);
    kit.render(
      req,
      res,
      'archive-person',
      { title: member.name, nav: 'teams' },
      {
        team,
        member,
        p: participation(history.get(member.id) ?? []),
        days,
        olderHref:
          entries.length === 200
            ? `/teams/${team.id}/members/${member.id}?before=${days.at(-1)?.date ?? ''}`
            : null,
      },
    );
  });

  t.get('/teams/:id/search', 'admin', async (req, res) => {
    const team = await loadTeam(String(req.params.id));
    const q = str(req.query.q).slice(0, 500);
    const kind = KINDS.includes(str(req.query.kind)) ? str(req.query.kind) : '';
    const from = isIsoDate(req.query.from) ? req.query.from : '';
    const to = isIsoDate(req.query.to) ? req.query.to : '';
    const parsed = parseSearchBox(q);
    const asked = q.trim() !== '' || kind !== '' || from !== '' || to !== '';
    const results = asked
      ? await teams.search({
          teamId: team.id,
          ...parsed,
          limit: 200,
          ...(kind ? { kind } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        })
      : [];
    const words = parsed.text.split(/\s+/);
    kit.render(
      req,
      res,
      'archive-search',
      { title: `Search ${team.name}`, nav: 'teams' },
      {
        team,
        q,
        from,
        to,
        kinds: ['', ...KINDS].map((k) => ({
          value: k,
          label: k || 'any kind',
          selected: k === kind,
        })),
        asked,
        results: results.map((e) => ({ ...e, segments: highlight(e.text, words) })),
        count: results.length,
        permalink: `/teams/${team.id}/search${query({ q, kind, from, to })}`,
      },
    );
  });
}

type LoadTeam = (id: string) => Promise<{ id: string; members: { id: string }[] }>;

const date = (v: unknown, what: string): string => {
  if (!isIsoDate(v)) throw new ValidationError(`${what} must be a date`, undefined, 'invalid_date');
  return v;
};

/** Pause and resume members, holidays and vacations, through the check-ins admin service. */
function registerTeamActions(
  t: RouteTable,
  deps: PageDeps,
  loadTeam: LoadTeam,
  actions: TeamActions,
): void {
  const { kit } = deps;
  const memberOf = async (teamId: string, memberId: string) => {
    const team = await loadTeam(teamId);
    if (!team.members.some((m) => m.id === memberId))
      throw new NotFoundError('member_not_found', 'No such member in this team');
    return team;
  };

  t.post('/teams/:id/members/:memberId/status', 'admin', 'form', async (req, res) => {
    const team = await memberOf(String(req.params.id), String(req.params.memberId));
    const pause = req.body.status === 'paused';
    const until = str(req.body.pause_until);
    await actions.updateMember(team.id, String(req.params.memberId), {
      status: pause ? 'paused' : 'active',
      ...(pause ? { pause_until: until ? date(until, 'Pause until') : null } : {}),
    });
    kit.redirectWith(res, `/teams/${team.id}`, pause ? 'Member paused.' : 'Member resumed.');
  });

  t.post('/teams/:id/holidays', 'admin', 'form', async (req, res) => {
    const team = await loadTeam(String(req.params.id));
    await actions.addHoliday(team.id, {
      date: date(req.body.date, 'Holiday'),
      name: str(req.body.name).trim().slice(0, 200),
      yearly: req.body.yearly === 'on',
    });
    kit.redirectWith(res, `/teams/${team.id}`, 'Holiday added.');
  });

  t.post('/teams/:id/holidays/:holidayId/delete', 'admin', 'form', async (req, res) => {
    const team = await loadTeam(String(req.params.id));
    const holidayId = String(req.params.holidayId);
    if (!isUuid(holidayId)) throw new NotFoundError('holiday_not_found', 'No such holiday');
    await actions.deleteHoliday(team.id, holidayId);
    kit.redirectWith(res, `/teams/${team.id}`, 'Holiday removed.');
  });

  t.post('/teams/:id/vacations', 'admin', 'form', async (req, res) => {
    const memberId = str(req.body.member_id);
    const team = await memberOf(String(req.params.id), memberId);
    const start = date(req.body.start_date, 'Start');
    const end = date(req.body.end_date, 'End');
    if (end < start)
      throw new ValidationError('The vacation ends before it starts', undefined, 'invalid_range');
    await actions.addVacation(memberId, { start_date: start, end_date: end });
    kit.redirectWith(res, `/teams/${team.id}`, 'Vacation added.');
  });

  t.post('/teams/:id/vacations/:vacationId/delete', 'admin', 'form', async (req, res) => {
    const memberId = str(req.body.member_id);
    const team = await memberOf(String(req.params.id), memberId);
    const vacationId = String(req.params.vacationId);
    if (!isUuid(vacationId)) throw new NotFoundError('vacation_not_found', 'No such vacation');
    await actions.deleteVacation(memberId, vacationId);
    kit.redirectWith(res, `/teams/${team.id}`, 'Vacation removed.');
  });
}

function groupByDate(entries: readonly ArchiveEntry[]) {
  const days: { date: string; entries: ArchiveEntry[] }[] = [];
  for (const e of entries) {
    const last = days.at(-1);
    if (last && last.date === e.date) last.entries.push(e);
    else days.push({ date: e.date, entries: [e] });
  }
  return days;
}
