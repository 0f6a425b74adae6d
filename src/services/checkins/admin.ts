/**
 * The check-in admin use cases behind /v1: teams, members (with bulk invite), holidays,
 * vacations, entries, prompts and stats. Input is already zod-validated at the edge; this
 * layer owns existence checks, defaults and the JSON views clients rely on.
 */
import { localDateAt, addDays } from '../../domain/schedule/local-time.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Database } from '../ports.js';
import type { CheckinsStore, EntryRow, MemberRow, PromptRow, TeamRow } from './ports.js';
import type { MemberInput, MemberPatch, TeamInput, TeamPatch } from './schemas.js';
import type { CheckinsSettings } from './settings.js';

export function teamView(t: TeamRow) {
  return {
    id: t.id,
    name: t.name,
    time_zone: t.time_zone,
    prompt_time: t.prompt_time,
    digest_time: t.digest_time,
    weekdays: t.weekdays,
    question: t.question,
    reminder: {
      enabled: t.reminder_enabled,
      minutes_before_cutoff: t.reminder_minutes_before_cutoff,
    },
    cutoff_time: t.cutoff_time,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

export function memberView(m: MemberRow) {
  return {
    id: m.id,
    team_id: m.team_id,
    email: m.email,
    name: m.name,
    role: m.role,
    time_zone: m.time_zone,
    prompt_time: m.prompt_time,
    status: m.status,
    pause_until: m.pause_until,
    created_at: m.created_at,
    updated_at: m.updated_at,
  };
}

export function entryView(e: EntryRow) {
  return {
    id: e.id,
    member_id: e.member_id,
    local_date: e.local_date,
    kind: e.kind,
    text: e.text,
    tags: e.tags,
    mentions: e.mentions,
    ...(e.kind === 'goal' ? { completed: e.completed } : {}),
    prompt_id: e.prompt_id,
    source: e.source,
    created_at: e.created_at,
    updated_at: e.updated_at,
  };
}

export function promptView(p: PromptRow) {
  return {
    id: p.id,
    member_id: p.member_id,
    local_date: p.local_date,
    status: p.status,
    skip_reason: p.skip_reason,
    due_at: p.due_at,
    cutoff_at: p.cutoff_at,
    remind_at: p.remind_at,
    sent_at: p.sent_at,
    reminded_at: p.reminded_at,
    answered_at: p.answered_at,
    message_id: p.message_id,
  };
}

/** Current streak: answered asked-days counting back from the latest; a still-open latest day is not a break. */
export function streaks(
  days: ReadonlyArray<{ date: string; answered: boolean }>,
  openDate: string | null,
) {
  let longest = 0;
  let run = 0;
  for (const d of days) {
    run = d.answered ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  let current = 0;
  for (let i = days.length - 1; i >= 0; i--) {
    const d = days[i]!;
    if (d.answered) current++;
    else if (i === days.length - 1 && d.date === openDate) continue;
    else break;
  }
  return { current, longest };
}

export interface AdminDeps {
  db: Database;
  store: CheckinsStore;
  clock: Clock;
  settings: CheckinsSettings;
}

export function createAdminService({ db, store, clock, settings }: AdminDeps) {
  async function team(id: string): Promise<TeamRow> {
    const t = await store.getTeam(db, id);
    if (!t) throw new NotFoundError('team_not_found', `No team ${id}`);
    return t;
  }
  async function member(id: string): Promise<MemberRow> {
    const m = await store.getMember(db, id);
    if (!m) throw new NotFoundError('member_not_found', `No member ${id}`);
    return m;
  }
  const toMemberRow = (teamId: string, m: MemberInput, now: Date) => ({
    id: newId(now.getTime()),
    team_id: teamId,
    email: m.email.toLowerCase(),
    name: m.name,
    role: m.role,
    time_zone: m.time_zone ?? null,
    prompt_time: m.prompt_time ?? null,
  });

  return {
    async createTeam(input: TeamInput) {
      const now = clock.now();
      const t = await store.createTeam(
        db,
        {
          id: newId(now.getTime()),
          name: input.name,
          time_zone: input.time_zone,
          prompt_time: input.prompt_time,
          digest_time: input.digest_time,
          weekdays: input.weekdays,
          question: input.question ?? settings.defaultQuestion,
          reminder_enabled: input.reminder.enabled,
          reminder_minutes_before_cutoff: input.reminder.minutes_before_cutoff,
          cutoff_time: input.cutoff_time,
        },
        now,
      );
      return teamView(t);
    },
    async getTeam(id: string) {
      return teamView(await team(id));
    },
    async listTeams(limit: number, cursor: string | null) {
      const rows = await store.listTeams(db, limit + 1, cursor);
      const page = rows.slice(0, limit);
      return {
        data: page.map(teamView),
        next_cursor: rows.length > limit ? page[page.length - 1]!.id : null,
      };
    },
    async updateTeam(id: string, p: TeamPatch) {
      const { reminder, ...rest } = p;
      const t = await store.updateTeam(
        db,
        id,
        {
          ...rest,
          reminder_enabled: reminder?.enabled,
          reminder_minutes_before_cutoff: reminder?.minutes_before_cutoff,
        },
        clock.now(),
      );
      if (!t) throw new NotFoundError('team_not_found', `No team ${id}`);
      return teamView(t);
    },
    async deleteTeam(id: string) {
      if (!(await store.deleteTeam(db, id)))
        throw new NotFoundError('team_not_found', `No team ${id}`);
    },

    async addMember(teamId: string, input: MemberInput) {
      await team(teamId);
      const now = clock.now();
      const r = await store.createMembers(db, [toMemberRow(teamId, input, now)], now);
      if (r.created.length === 0)
        throw new ConflictError('member_exists', `${input.email} is already a member of this team`);
      return memberView(r.created[0]!);
    },
    async inviteMembers(teamId: string, inputs: MemberInput[]) {
      await team(teamId);
      const now = clock.now();
      const seen = new Set<string>();
      const unique = inputs.filter(
        (m) => !seen.has(m.email.toLowerCase()) && seen.add(m.email.toLowerCase()),
      );
      const r = await store.createMembers(
        db,
        unique.map((m) => toMemberRow(teamId, m, now)),
        now,
      );
      return { created: r.created.map(memberView), existing: r.existing };
    },
    async listMembers(teamId: string) {
      await team(teamId);
      return (await store.listMembers(db, teamId)).map(memberView);
    },
    async getMember(teamId: string, id: string) {
      const m = await member(id);
      if (m.team_id !== teamId)
        throw new NotFoundError('member_not_found', `No member ${id} in team ${teamId}`);
      return memberView(m);
    },
    async updateMember(teamId: string, id: string, p: MemberPatch) {
      await this.getMember(teamId, id);
      const patch = { ...p, ...(p.email ? { email: p.email.toLowerCase() } : {}) };
      // Resuming clears the pause date; pausing without a date pauses until resumed.
      if (p.status === 'active' && p.pause_until === undefined) patch.pause_until = null;
      try {
        return memberView((await store.updateMember(db, id, patch, clock.now()))!);
      } catch (err) {
        if ((err as { code?: string }).code === '23505')
          throw new ConflictError('member_exists', 'That address is already a member of this team');
        throw err;
      }
    },
    async deleteMember(teamId: string, id: string) {
      await this.getMember(teamId, id);
      await store.deleteMember(db, id);
    },

    async listHolidays(teamId: string) {
      await team(teamId);
      return store.listHolidays(db, teamId);
    },
    async addHoliday(teamId: string, h: { date: string; name: string; yearly: boolean }) {
      await team(teamId);
      const now = clock.now();
      const row = await store.addHoliday(
        db,
        { id: newId(now.getTime()), team_id: teamId, ...h },
        now,
      );
      if (!row)
        throw new ConflictError('holiday_exists', `The team already has a holiday on ${h.date}`);
      return row;
    },
    async deleteHoliday(teamId: string, id: string) {
      if (!(await store.deleteHoliday(db, teamId, id)))
        throw new NotFoundError('holiday_not_found', `No holiday ${id}`);
    },

    async listVacations(memberId: string) {
      await member(memberId);
      return store.listVacations(db, memberId);
    },
    async addVacation(memberId: string, v: { start_date: string; end_date: string }) {
      await member(memberId);
      const now = clock.now();
      return store.addVacation(db, { id: newId(now.getTime()), member_id: memberId, ...v }, now);
    },
    async deleteVacation(memberId: string, id: string) {
      if (!(await store.deleteVacation(db, memberId, id)))
        throw new NotFoundError('vacation_not_found', `No vacation ${id}`);
    },

    async listEntries(
      teamId: string,
      q: { from?: string; to?: string; member?: string; limit: number },
    ) {
      await team(teamId);
      const rows = await store.listEntries(db, teamId, {
        from: q.from,
        to: q.to,
        memberId: q.member,
        limit: q.limit,
      });
      return rows.map(entryView);
    },
    async updateEntry(id: string, p: Parameters<CheckinsStore['updateEntry']>[2]) {
      try {
        const e = await store.updateEntry(db, id, p, clock.now());
        if (!e) throw new NotFoundError('entry_not_found', `No entry ${id}`);
        return entryView(e);
      } catch (err) {
        if ((err as { code?: string }).code === '23505')
          throw new ConflictError('entry_exists', 'An identical entry exists on that day');
        throw err;
      }
    },
    async deleteEntry(id: string) {
      if (!(await store.deleteEntry(db, id)))
        throw new NotFoundError('entry_not_found', `No entry ${id}`);
    },

    async listPrompts(teamId: string, date: string) {
      await team(teamId);
      return (await store.listPrompts(db, teamId, date)).map(promptView);
    },

    async stats(teamId: string, q: { from?: string; to?: string }) {
      const t = await team(teamId);
      const today = localDateAt(clock.now(), t.time_zone);
      const to = q.to ?? today;
      const from = q.from ?? addDays(to, -29);
      const rows = await store.stats(db, teamId, from, to);
      const rate = (a: number, n: number) => (n === 0 ? null : Math.round((a / n) * 1000) / 1000);
      const members = rows.map((r) => {
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
      });
      const asked = rows.reduce((n, r) => n + r.asked, 0);
      const answered = rows.reduce((n, r) => n + r.answered, 0);
      return {
        from,
        to,
        team: { asked, answered, completion_rate: rate(answered, asked) },
        members,
      };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
