/** A team's archive: the month calendar, one day as its digest, one person's entries, search. */
import type { Request, Response } from 'express';
import { freezeDigest } from '../../../domain/checkins/digest-view.js';
import { NotFoundError } from '../../../lib/errors.js';
import type { ArchiveEntry, TeamsReader } from '../../../services/dashboard/ports/index.js';
import type { PageDeps } from '../page-deps.js';
import { choices, str } from '../page-kit.js';
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
import { loadTeam, recentHistory, today, type TeamPages } from './teams.js';

const KINDS = ['done', 'goal', 'blocker'];
/** A person's page and a search show this many entries at most. */
const PAGE_ENTRIES = 200;

export function registerArchivePages(t: RouteTable, deps: PageDeps, teams: TeamsReader): void {
  const p: TeamPages = { ...deps, teams };
  t.get('/teams/:id/archive', 'admin', (req, res) => archiveMonth(p, req, res));
  t.get('/teams/:id/archive/:date', 'admin', (req, res) => archiveDay(p, req, res));
  t.get('/teams/:id/members/:memberId', 'admin', (req, res) => personArchive(p, req, res));
  t.get('/teams/:id/search', 'admin', (req, res) => archiveSearch(p, req, res));
}

async function archiveMonth(p: TeamPages, req: Request, res: Response): Promise<void> {
  const team = await loadTeam(p, String(req.params.id));
  const month = isMonth(req.query.month) ? req.query.month : today(p).slice(0, 7);
  const grid = monthGrid(month, new Map());
  const counts = await p.teams.dayCounts(team.id, grid.first, grid.last);
  p.kit.render(
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
}

async function archiveDay(p: TeamPages, req: Request, res: Response): Promise<void> {
  const team = await loadTeam(p, String(req.params.id));
  const date = String(req.params.date);
  if (!isIsoDate(date)) throw new NotFoundError('bad_date', 'Dates look like 2026-11-24');
  const entries = await p.teams.entries({ teamId: team.id, date, limit: 2000 });
  const digest = freezeDigest(team.name, date, entries);
  p.kit.render(
    req,
    res,
    'archive-day',
    { title: `${team.name} · ${date}`, nav: 'teams' },
    { team, date, digest, month: date.slice(0, 7), empty: entries.length === 0 },
  );
}

async function personArchive(p: TeamPages, req: Request, res: Response): Promise<void> {
  const team = await loadTeam(p, String(req.params.id));
  const member = team.members.find((m) => m.id === req.params.memberId);
  if (!member) throw new NotFoundError('member_not_found', 'No such member in this team');
  const before = isIsoDate(req.query.before) ? req.query.before : undefined;
  const entries = await p.teams.entries({
    teamId: team.id,
    memberId: member.id,
    limit: PAGE_ENTRIES,
    ...(before ? { beforeDate: before } : {}),
  });
  const days = groupByDate(entries);
  const history = await recentHistory(p, team.id);
  p.kit.render(
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
        entries.length === PAGE_ENTRIES
          ? `/teams/${team.id}/members/${member.id}?before=${days.at(-1)?.date ?? ''}`
          : null,
    },
  );
}

async function archiveSearch(p: TeamPages, req: Request, res: Response): Promise<void> {
  const team = await loadTeam(p, String(req.params.id));
  const q = str(req.query.q).slice(0, 500);
  const kind = KINDS.includes(str(req.query.kind)) ? str(req.query.kind) : '';
  const from = isIsoDate(req.query.from) ? req.query.from : '';
  const to = isIsoDate(req.query.to) ? req.query.to : '';
  const parsed = parseSearchBox(q);
  const asked = q.trim() !== '' || kind !== '' || from !== '' || to !== '';
  const results = asked
    ? await p.teams.search({
        teamId: team.id,
        ...parsed,
        limit: PAGE_ENTRIES,
        ...(kind ? { kind } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      })
    : [];
  const words = parsed.text.split(/\s+/);
  p.kit.render(
    req,
    res,
    'archive-search',
    { title: `Search ${team.name}`, nav: 'teams' },
    {
      team,
      q,
      from,
      to,
      kinds: choices(['', ...KINDS], kind, 'any kind'),
      asked,
      results: results.map((e) => ({ ...e, segments: highlight(e.text, words) })),
      count: results.length,
      permalink: `/teams/${team.id}/search${query({ q, kind, from, to })}`,
    },
  );
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
