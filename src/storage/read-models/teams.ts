/**
 * Read model over the check-in tables (migration 0004) for the teams and archive pages:
 * teams with members and schedules, participation (completion rate, streak inputs), entry
 * counts per day, a day's entries, one person's entries, and full-text search over
 * entries.search (tsvector, GIN-indexed) combined with #tag, @mention, kind and date filters.
 */
import { query } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { ArchiveSearch } from '../../services/dashboard/read-ports.js';

/** Below this many matches, search collects the hits before sorting (see search()). */
const FEW_HITS = 2000;

const CLOSED = ['answered', 'missed', 'missed_by_outage', 'sent', 'reminded'];

export function createTeamsReader(db: Executor) {
  return {
    async listTeams() {
      const r = await query<{
        id: string;
        name: string;
        time_zone: string;
        members: number;
        entries_30d: number;
      }>(
        db,
        `SELECT t.id, t.name, t.time_zone,
                (SELECT count(*)::int FROM members m WHERE m.team_id = t.id) AS members,
                (SELECT count(*)::int FROM entries e WHERE e.team_id = t.id AND e.created_at > now() - interval '30 days') AS entries_30d
           FROM teams t ORDER BY lower(t.name), t.id`,
      );
      return r.rows.map((t) => ({
        id: t.id,
        name: t.name,
        timeZone: t.time_zone,
        members: t.members,
        entries30d: t.entries_30d,
      }));
    },

    async getTeam(id: string) {
      const t = await query<{
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
        db,
        `SELECT id, name, time_zone, prompt_time::text, digest_time::text, cutoff_time::text, weekdays, question,
                reminder_enabled, reminder_minutes_before_cutoff
           FROM teams WHERE id = $1`,
        [id],
      );
      const team = t.rows[0];
      if (!team) return null;
      const [members, holidays, vacations] = await Promise.all([
        query<{
          id: string;
          name: string;
          email: string;
          role: string;
          time_zone: string | null;
          prompt_time: string | null;
          status: string;
          pause_until: string | null;
        }>(
          db,
          `SELECT id, name, email::text, role, time_zone, prompt_time::text, status, pause_until::text
             FROM members WHERE team_id = $1 ORDER BY lower(name), id`,
          [id],
        ),
        query<{ id: string; date: string; name: string; yearly: boolean }>(
          db,
          `SELECT id, date::text, name, yearly FROM team_holidays WHERE team_id = $1 ORDER BY date`,
          [id],
        ),
        query<{ id: string; member_id: string; start_date: string; end_date: string }>(
          db,
          `SELECT v.id, v.member_id, v.start_date::text, v.end_date::text
             FROM member_vacations v JOIN members m ON m.id = v.member_id
            WHERE m.team_id = $1 AND v.end_date >= current_date - 30 ORDER BY v.start_date`,
          [id],
        ),
      ]);
      return {
        id: team.id,
        name: team.name,
        timeZone: team.time_zone,
        promptTime: team.prompt_time.slice(0, 5),
        digestTime: team.digest_time.slice(0, 5),
        cutoffTime: team.cutoff_time.slice(0, 5),
        weekdays: team.weekdays,
        question: team.question,
        reminderEnabled: team.reminder_enabled,
        reminderMinutesBeforeCutoff: team.reminder_minutes_before_cutoff,
        members: members.rows.map((m) => ({
          id: m.id,
          name: m.name,
          email: m.email,
          role: m.role,
          timeZone: m.time_zone,
          promptTime: m.prompt_time ? m.prompt_time.slice(0, 5) : null,
          status: m.status,
          pauseUntil: m.pause_until,
        })),
        holidays: holidays.rows,
        vacations: vacations.rows.map((v) => ({
          id: v.id,
          memberId: v.member_id,
          startDate: v.start_date,
          endDate: v.end_date,
        })),
      };
    },

    /** Per member: prompt outcomes newest first since `since` (for completion rate and streak). */
    async promptHistory(teamId: string, since: string) {
      const r = await query<{ member_id: string; local_date: string; status: string }>(
        db,
        `SELECT member_id, local_date::text, status FROM prompts
          WHERE team_id = $1 AND local_date >= $2::date AND status = ANY($3)
          ORDER BY member_id, local_date DESC`,
        [teamId, since, CLOSED],
      );
      const byMember = new Map<string, { date: string; status: string }[]>();
      for (const row of r.rows) {
        const list = byMember.get(row.member_id) ?? [];
        list.push({ date: row.local_date, status: row.status });
        byMember.set(row.member_id, list);
      }
      return byMember;
    },

    async dayCounts(teamId: string, from: string, to: string) {
      const r = await query<{ local_date: string; n: number }>(
        db,
        `SELECT local_date::text, count(*)::int AS n FROM entries
          WHERE team_id = $1 AND local_date BETWEEN $2::date AND $3::date GROUP BY local_date`,
        [teamId, from, to],
      );
      return new Map(r.rows.map((x) => [x.local_date, x.n]));
    },

    async entries(q: {
      teamId: string;
      date?: string;
      memberId?: string;
      beforeDate?: string;
      limit: number;
    }) {
      const where = ['e.team_id = $1'];
      const args: unknown[] = [q.teamId];
      if (q.date) where.push(`e.local_date = $${args.push(q.date)}::date`);
      if (q.memberId) where.push(`e.member_id = $${args.push(q.memberId)}`);
      if (q.beforeDate) where.push(`e.local_date < $${args.push(q.beforeDate)}::date`);
      const r = await query<EntryDbRow>(
        db,
        `SELECT e.id, e.member_id, m.name AS member_name, e.local_date::text, e.kind, e.text, e.tags, e.mentions, e.completed
           FROM entries e JOIN members m ON m.id = e.member_id
          WHERE ${where.join(' AND ')}
          ORDER BY e.local_date DESC, m.name, e.created_at, e.id LIMIT $${args.push(q.limit)}`,
        args,
      );
      return r.rows.map(toEntry);
    },

    async search(q: ArchiveSearch) {
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
      // Newest first with LIMIT lets the planner walk the date index backwards, checking each
      // entry: quick when many entries match, 1.1 s at 1M entries for a rare word (it cannot
      // tell them apart: every tsquery is estimated alike). So probe the GIN index first and,
      // when the hits are few, collect them before sorting.
      let materialize = false;
      if (q.text.trim() !== '' || q.tags.length > 0 || q.mentions.length > 0) {
        const probe = await query<{ n: number }>(
          db,
          `SELECT count(*)::int AS n FROM (SELECT 1 FROM entries e WHERE ${where.join(' AND ')} LIMIT ${FEW_HITS}) x`,
          args,
        );
        materialize = (probe.rows[0]?.n ?? 0) < FEW_HITS;
      }
      const r = await query<EntryDbRow>(
        db,
        `WITH hits AS ${materialize ? 'MATERIALIZED' : 'NOT MATERIALIZED'} (
           SELECT e.id, e.member_id, e.local_date, e.kind, e.text, e.tags, e.mentions, e.completed, ${rank} AS rank
             FROM entries e WHERE ${where.join(' AND ')}
         )
         SELECT h.id, h.member_id, m.name AS member_name, h.local_date::text, h.kind, h.text, h.tags, h.mentions, h.completed
           FROM hits h JOIN members m ON m.id = h.member_id
          ORDER BY h.local_date DESC, h.rank DESC, h.id LIMIT $${args.push(q.limit)}`,
        args,
      );
      return r.rows.map(toEntry);
    },
  };
}

interface EntryDbRow {
  id: string;
  member_id: string;
  member_name: string;
  local_date: string;
  kind: 'done' | 'goal' | 'blocker';
  text: string;
  tags: string[];
  mentions: string[];
  completed: boolean;
}

const toEntry = (r: EntryDbRow) => ({
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

export type TeamsReader = ReturnType<typeof createTeamsReader>;
