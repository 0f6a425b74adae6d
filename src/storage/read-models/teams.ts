/**
 * Read model over the check-in tables (migration 0004) for the teams and archive pages:
 * teams with members and schedules, participation (completion rate, streak inputs), entry
 * counts per day, a day's entries, one person's entries, and full-text search over
 * entries.search (tsvector, GIN-indexed) combined with #tag, @mention, kind and date filters.
 */
import { one, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type {
  ArchiveEntry,
  ArchiveQuery,
  ArchiveSearch,
  PromptHistory,
  TeamDetail,
  TeamSummary,
} from '../../services/dashboard/ports/index.js';

/** Below this many matches, search collects the hits before sorting (see search()). */
const FEW_HITS = 2000;

const CLOSED = ['answered', 'missed', 'missed_by_outage', 'sent', 'reminded'];

interface EntryDbRow {
  id: string;
  member_id: string;
  member_name: string;
  local_date: string;
  kind: ArchiveEntry['kind'];
  text: string;
  tags: string[];
  mentions: string[];
  completed: boolean;
}

const toEntry = (r: EntryDbRow): ArchiveEntry => ({
  id: r.id,
  memberId: r.member_id,
  memberName: r.member_name,
  date: r.local_date,
  kind: r.kind,
  text: r.text,
  tags: r.tags,
  mentions: r.mentions,
  completed: r.completed,
});

/** 'HH:MM:SS' → 'HH:MM': schedules are kept to the minute. */
const hhmm = (t: string): string => t.slice(0, 5);

export async function listTeams(ex: Executor): Promise<TeamSummary[]> {
  const r = await rows<{
    id: string;
    name: string;
    time_zone: string;
    members: number;
    entries_30d: number;
  }>(
    ex,
    `SELECT t.id, t.name, t.time_zone,
            (SELECT count(*)::int FROM members m WHERE m.team_id = t.id) AS members,
            (SELECT count(*)::int FROM entries e WHERE e.team_id = t.id AND e.created_at > now() - interval '30 days') AS entries_30d
       FROM teams t ORDER BY lower(t.name), t.id`,
  );
  return r.map((t) => ({
    id: t.id,
    name: t.name,
    timeZone: t.time_zone,
    members: t.members,
    entries30d: t.entries_30d,
  }));
}

export async function getTeam(ex: Executor, id: string): Promise<TeamDetail | null> {
  const team = await one<{
    id: string;
    name: string;
    time_zone: string;
    prompt_time: string;
    digest_time: string;
    cutoff_time: string;
    weekdays: number[];
    question: string;
    reminder_enabled: boolean;
    reminder_minutes_before_cutoff: number;
  }>(
    ex,
    `SELECT id, name, time_zone, prompt_time::text, digest_time::text, cutoff_time::text, weekdays, question,
            reminder_enabled, reminder_minutes_before_cutoff
       FROM teams WHERE id = $1`,
    [id],
  );
  if (!team) return null;
  const [members, holidays, vacations] = await Promise.all([
    teamMembers(ex, id),
    teamHolidays(ex, id),
    recentVacations(ex, id),
  ]);
  return {
    id: team.id,
    name: team.name,
    timeZone: team.time_zone,
    promptTime: hhmm(team.prompt_time),
    digestTime: hhmm(team.digest_time),
    cutoffTime: hhmm(team.cutoff_time),
    weekdays: team.weekdays,
    question: team.question,
    reminderEnabled: team.reminder_enabled,
    reminderMinutesBeforeCutoff: team.reminder_minutes_before_cutoff,
    members,
    holidays,
    vacations,
  };
}

async function teamMembers(ex: Executor, teamId: string): Promise<TeamDetail['members']> {
  const r = await rows<{
    id: string;
    name: string;
    email: string;
    role: string;
    time_zone: string | null;
    prompt_time: string | null;
    status: string;
    pause_until: string | null;
  }>(
    ex,
    `SELECT id, name, email::text, role, time_zone, prompt_time::text, status, pause_until::text
       FROM members WHERE team_id = $1 ORDER BY lower(name), id`,
    [teamId],
  );
  return r.map((m) => ({
    id: m.id,
    name: m.name,
    email: m.email,
    role: m.role,
    timeZone: m.time_zone,
    promptTime: m.prompt_time ? hhmm(m.prompt_time) : null,
    status: m.status,
    pauseUntil: m.pause_until,
  }));
}

function teamHolidays(ex: Executor, teamId: string): Promise<TeamDetail['holidays']> {
  return rows(
    ex,
    `SELECT id, date::text, name, yearly FROM team_holidays WHERE team_id = $1 ORDER BY date`,
    [teamId],
  );
}

/** Vacations still running or ended within the last 30 days. */
async function recentVacations(ex: Executor, teamId: string): Promise<TeamDetail['vacations']> {
  const r = await rows<{ id: string; member_id: string; start_date: string; end_date: string }>(
    ex,
    `SELECT v.id, v.member_id, v.start_date::text, v.end_date::text
       FROM member_vacations v JOIN members m ON m.id = v.member_id
      WHERE m.team_id = $1 AND v.end_date >= current_date - 30 ORDER BY v.start_date`,
    [teamId],
  );
  return r.map((v) => ({
    id: v.id,
    memberId: v.member_id,
    startDate: v.start_date,
    endDate: v.end_date,
  }));
}

/** Per member: prompt outcomes newest first since `since` (for completion rate and streak). */
export async function promptHistory(
  ex: Executor,
  teamId: string,
  since: string,
): Promise<PromptHistory> {
  const r = await rows<{ member_id: string; local_date: string; status: string }>(
    ex,
    `SELECT member_id, local_date::text, status FROM prompts
      WHERE team_id = $1 AND local_date >= $2::date AND status = ANY($3)
      ORDER BY member_id, local_date DESC`,
    [teamId, since, CLOSED],
  );
  const byMember: PromptHistory = new Map();
  for (const row of r) {
    const list = byMember.get(row.member_id) ?? [];
    list.push({ date: row.local_date, status: row.status });
    byMember.set(row.member_id, list);
  }
  return byMember;
}

export async function dayCounts(
  ex: Executor,
  teamId: string,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const r = await rows<{ local_date: string; n: number }>(
    ex,
    `SELECT local_date::text, count(*)::int AS n FROM entries
      WHERE team_id = $1 AND local_date BETWEEN $2::date AND $3::date GROUP BY local_date`,
    [teamId, from, to],
  );
  return new Map(r.map((x) => [x.local_date, x.n]));
}

export async function entries(ex: Executor, q: ArchiveQuery): Promise<ArchiveEntry[]> {
  const where = ['e.team_id = $1'];
  const args: unknown[] = [q.teamId];
  if (q.date) where.push(`e.local_date = $${args.push(q.date)}::date`);
  if (q.memberId) where.push(`e.member_id = $${args.push(q.memberId)}`);
  if (q.beforeDate) where.push(`e.local_date < $${args.push(q.beforeDate)}::date`);
  const r = await rows<EntryDbRow>(
    ex,
    `SELECT e.id, e.member_id, m.name AS member_name, e.local_date::text, e.kind, e.text, e.tags, e.mentions, e.completed
       FROM entries e JOIN members m ON m.id = e.member_id
      WHERE ${where.join(' AND ')}
      ORDER BY e.local_date DESC, m.name, e.created_at, e.id LIMIT $${args.push(q.limit)}`,
    args,
  );
  return r.map(toEntry);
}

export async function search(ex: Executor, q: ArchiveSearch): Promise<ArchiveEntry[]> {
  const { where, args, rank } = searchFilter(q);
  const materialize = await fewHits(ex, q, where, args);
  const r = await rows<EntryDbRow>(
    ex,
    `WITH hits AS ${materialize ? 'MATERIALIZED' : 'NOT MATERIALIZED'} (
       SELECT e.id, e.member_id, e.local_date, e.kind, e.text, e.tags, e.mentions, e.completed, ${rank} AS rank
         FROM entries e WHERE ${where.join(' AND ')}
     )
     SELECT h.id, h.member_id, m.name AS member_name, h.local_date::text, h.kind, h.text, h.tags, h.mentions, h.completed
       FROM hits h JOIN members m ON m.id = h.member_id
      ORDER BY h.local_date DESC, h.rank DESC, h.id LIMIT $${args.push(q.limit)}`,
    args,
  );
  return r.map(toEntry);
}

/** The WHERE clauses of a search, and how a hit ranks (only text searches rank). */
function searchFilter(q: ArchiveSearch): { where: string[]; args: unknown[]; rank: string } {
  const where = ['e.team_id = $1'];
  const args: unknown[] = [q.teamId];
  let rank = '0::real';
  if (q.text.trim()) {
    const i = args.push(q.text.trim());
    where.push(`e.search @@ websearch_to_tsquery('simple', $${i})`);
    rank = `ts_rank(e.search, websearch_to_tsquery('simple', $${i}))`;
  }
  if (q.tags.length) where.push(`e.tags @> $${args.push(q.tags)}::text[]`);
  if (q.mentions.length) where.push(`e.mentions @> $${args.push(q.mentions)}::text[]`);
  if (q.kind) where.push(`e.kind = $${args.push(q.kind)}`);
  if (q.from) where.push(`e.local_date >= $${args.push(q.from)}::date`);
  if (q.to) where.push(`e.local_date <= $${args.push(q.to)}::date`);
  return { where, args, rank };
}

/**
 * Newest first with LIMIT lets the planner walk the date index backwards, checking each
 * entry: quick when many entries match, 1.1 s at 1M entries for a rare word (it cannot tell
 * them apart: every tsquery is estimated alike). So probe the GIN index first and, when the
 * hits are few, collect them before sorting.
 */
async function fewHits(
  ex: Executor,
  q: ArchiveSearch,
  where: string[],
  args: unknown[],
): Promise<boolean> {
  if (q.text.trim() === '' && q.tags.length === 0 && q.mentions.length === 0) return false;
  const probe = await one<{ n: number }>(
    ex,
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM entries e WHERE ${where.join(' AND ')} LIMIT ${FEW_HITS}) x`,
    args,
  );
  return (probe?.n ?? 0) < FEW_HITS;
}
