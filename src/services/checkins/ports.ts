/**
 * What the check-in use cases need from outside: the store (storage/checkins implements it),
 * the outbound engine (issue 4), reply extraction and the entry grammar (issue 6). The last
 * three are small structural interfaces so main/ can pass the other features' services as is.
 */
import type { EmailCommand } from '../../domain/checkins/email-command.js';
import type { EntryKind, EntryView } from '../../domain/checkins/entry.js';
import type { FrozenDigest } from '../../domain/checkins/digest-view.js';
import type { DigestStatus } from '../../domain/state/digest.js';
import type { PromptStatus } from '../../domain/state/prompt.js';
import type { DigestSchedule, Schedule, Slot, DigestSlot } from '../../domain/schedule/slots.js';
import type { Executor } from '../ports.js';

// ---------------------------------------------------------------- other features

/** Issue 6: the entry grammar over the extracted text. */
export type ParseEntries = (text: string) => Array<{
  kind: EntryKind;
  text: string;
  tags: string[];
  mentions: string[];
  completed?: boolean;
}>;

// ---------------------------------------------------------------- rows

export interface TeamRow {
  id: string;
  name: string;
  time_zone: string;
  prompt_time: string;
  digest_time: string;
  weekdays: number[];
  question: string;
  reminder_enabled: boolean;
  reminder_minutes_before_cutoff: number;
  cutoff_time: string;
  created_at: Date;
  updated_at: Date;
}

export type MemberRole = 'member' | 'observer' | 'admin';

export interface MemberRow {
  id: string;
  team_id: string;
  email: string;
  name: string;
  role: MemberRole;
  time_zone: string | null;
  prompt_time: string | null;
  status: 'active' | 'paused';
  pause_until: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface HolidayRow {
  id: string;
  team_id: string;
  date: string;
  name: string;
  yearly: boolean;
}

export interface VacationRow {
  id: string;
  member_id: string;
  start_date: string;
  end_date: string;
}

export interface PromptRow {
  id: string;
  team_id: string;
  member_id: string;
  local_date: string;
  due_at: Date;
  cutoff_at: Date;
  remind_at: Date | null;
  status: PromptStatus;
  skip_reason: string | null;
  outbound_message_id: string | null;
  message_id: string | null;
  sent_at: Date | null;
  reminded_at: Date | null;
  answered_at: Date | null;
}

export interface EntryRow extends EntryView {
  id: string;
  team_id: string;
  member_id: string;
  prompt_id: string | null;
  local_date: string;
  completed: boolean;
  source: 'email' | 'api';
  created_at: Date;
  updated_at: Date;
}

export interface DigestRow {
  id: string;
  team_id: string;
  local_date: string;
  send_date: string;
  due_at: Date;
  status: DigestStatus;
  content: FrozenDigest | null;
  recipients_total: number | null;
  built_at: Date | null;
  sent_at: Date | null;
}

export type UnsubscribeKind = 'prompt' | 'reminder' | 'digest';

export interface NewEntry {
  kind: EntryKind;
  text: string;
  tags: string[];
  mentions: string[];
  completed: boolean;
}

// ---------------------------------------------------------------- the store

export interface PlannedPrompt {
  id: string;
  status: 'scheduled' | 'missed_by_outage';
}

/** One member's prompts in a date range: how many were asked and answered, day by day. */
export interface MemberStatsRow {
  member_id: string;
  name: string;
  asked: number;
  answered: number;
  days: Array<{ date: string; answered: boolean }>;
}

/** What every entry of one reply (or one API call) shares: who, which day, where from. */
export interface EntryBatch {
  teamId: string;
  memberId: string;
  promptId: string | null;
  localDate: string;
  inboundEmailId: string | null;
  source: 'email' | 'api';
  at: Date;
}

export interface CheckinsStore {
  // planner
  /** Takes the tick lock (xact-scoped); returns the watermark and the personal-schedule version. */
  beginTick(
    ex: Executor,
    teamId?: string,
  ): Promise<{
    watermark: Date | null;
    scheduleVersion: number;
    /** The team-level prompt and digest schedules, read in the same statement. */
    schedules: { prompts: Schedule[]; digests: DigestSchedule[] };
  }>;
  listPersonalSchedules(ex: Executor, teamId?: string): Promise<Schedule[]>;
  /** Queues nothing itself: returns reminders due in (from, to], closes missed prompts, moves the watermark. */
  finishTick(ex: Executor, from: Date, to: Date): Promise<{ reminders: string[]; missed: number }>;
  /** One INSERT … SELECT for every member the slots concern; returns the rows it created. */
  planPrompts(
    ex: Executor,
    slots: readonly Slot[],
    now: Date,
    teamId?: string,
  ): Promise<PlannedPrompt[]>;
  /** One INSERT … SELECT: a pending digest per team whose send date is a working day. */
  planDigests(
    ex: Executor,
    slots: readonly DigestSlot[],
    now: Date,
    teamId?: string,
  ): Promise<string[]>;

  // prompts
  promptsForSend(
    ex: Executor,
    ids: readonly string[],
  ): Promise<
    Array<
      PromptRow & {
        member: MemberRow;
        team: TeamRow;
        skip: string | null;
        unsubscribed: UnsubscribeKind[];
      }
    >
  >;
  markPromptSent(ex: Executor, id: string, at: Date): Promise<boolean>;
  recordPromptMessage(
    ex: Executor,
    id: string,
    outboundId: string,
    messageId: string | null,
  ): Promise<void>;
  recordReminderMessage(ex: Executor, id: string, outboundId: string): Promise<void>;
  markPromptSkipped(ex: Executor, id: string, reason: string): Promise<boolean>;
  markPromptReminded(ex: Executor, id: string, at: Date): Promise<boolean>;
  markPromptAnswered(ex: Executor, id: string, at: Date): Promise<void>;
  getPrompt(ex: Executor, id: string): Promise<PromptRow | null>;
  listPrompts(ex: Executor, teamId: string, date: string): Promise<PromptRow[]>;
  openGoals(
    ex: Executor,
    memberId: string,
    beforeDate: string,
    limit: number,
  ): Promise<Array<{ text: string; local_date: string }>>;

  // replies and entries
  lockReplyProcessing(ex: Executor, inboundEmailId: string): Promise<void>;
  claimReply(
    ex: Executor,
    inboundEmailId: string,
    memberId: string | null,
    promptId: string | null,
    outcome: string,
    at: Date,
  ): Promise<boolean>;
  insertEntries(ex: Executor, base: EntryBatch, entries: readonly NewEntry[]): Promise<EntryRow[]>;
  completeGoals(
    ex: Executor,
    memberId: string,
    texts: readonly string[],
    at: Date,
  ): Promise<number>;
  listEntries(
    ex: Executor,
    teamId: string,
    q: { from?: string; to?: string; memberId?: string; limit: number },
  ): Promise<EntryRow[]>;
  getEntry(ex: Executor, id: string): Promise<EntryRow | null>;
  updateEntry(
    ex: Executor,
    id: string,
    patch: Partial<
      Pick<EntryRow, 'kind' | 'text' | 'tags' | 'mentions' | 'completed' | 'local_date'>
    >,
    at: Date,
  ): Promise<EntryRow | null>;
  deleteEntry(ex: Executor, id: string): Promise<boolean>;

  // digests
  getDigest(ex: Executor, id: string): Promise<DigestRow | null>;
  findDigest(ex: Executor, teamId: string, localDate: string): Promise<DigestRow | null>;
  createDigest(
    ex: Executor,
    teamId: string,
    localDate: string,
    sendDate: string,
    dueAt: Date,
    now: Date,
  ): Promise<DigestRow>;
  digestEntries(
    ex: Executor,
    teamId: string,
    localDate: string,
  ): Promise<Array<EntryView & { memberId: string; memberName: string }>>;
  freezeDigest(
    ex: Executor,
    id: string,
    content: FrozenDigest,
    recipients: number,
    at: Date,
  ): Promise<boolean>;
  markDigestEmpty(ex: Executor, id: string, at: Date): Promise<boolean>;
  finishDigestIfComplete(ex: Executor, id: string, round: number, at: Date): Promise<boolean>;
  transitionDigest(
    ex: Executor,
    id: string,
    from: DigestStatus[],
    to: DigestStatus,
    at: Date,
  ): Promise<boolean>;
  digestRecipients(
    ex: Executor,
    teamId: string,
    afterId: string | null,
    limit: number,
  ): Promise<MemberRow[]>;
  claimDeliveries(
    ex: Executor,
    digestId: string,
    round: number,
    memberIds: readonly string[],
    at: Date,
  ): Promise<string[]>;
  setRecipientsTotal(ex: Executor, digestId: string, total: number): Promise<void>;
  countDeliveries(ex: Executor, digestId: string, round: number): Promise<number>;
  digestRound(ex: Executor, digestId: string): Promise<number>;
  openDigests(ex: Executor, now: Date): Promise<DigestRow[]>;

  // teams, members, days off, subscriptions
  createTeam(
    ex: Executor,
    t: Omit<TeamRow, 'created_at' | 'updated_at'>,
    at: Date,
  ): Promise<TeamRow>;
  getTeam(ex: Executor, id: string): Promise<TeamRow | null>;
  listTeams(ex: Executor, limit: number, afterId: string | null): Promise<TeamRow[]>;
  updateTeam(
    ex: Executor,
    id: string,
    patch: Partial<Omit<TeamRow, 'id' | 'created_at' | 'updated_at'>>,
    at: Date,
  ): Promise<TeamRow | null>;
  deleteTeam(ex: Executor, id: string): Promise<boolean>;
  createMembers(
    ex: Executor,
    rows: ReadonlyArray<Omit<MemberRow, 'created_at' | 'updated_at' | 'status' | 'pause_until'>>,
    at: Date,
  ): Promise<{ created: MemberRow[]; existing: string[] }>;
  getMember(ex: Executor, id: string): Promise<MemberRow | null>;
  findMemberByEmail(ex: Executor, teamId: string, email: string): Promise<MemberRow | null>;
  listMembers(ex: Executor, teamId: string): Promise<MemberRow[]>;
  listMembersByIds(ex: Executor, ids: readonly string[]): Promise<MemberRow[]>;
  updateMember(
    ex: Executor,
    id: string,
    patch: Partial<
      Pick<
        MemberRow,
        'name' | 'role' | 'time_zone' | 'prompt_time' | 'status' | 'pause_until' | 'email'
      >
    >,
    at: Date,
  ): Promise<MemberRow | null>;
  deleteMember(ex: Executor, id: string): Promise<boolean>;
  listHolidays(ex: Executor, teamId: string): Promise<HolidayRow[]>;
  addHoliday(
    ex: Executor,
    h: Omit<HolidayRow, 'id'> & { id: string },
    at: Date,
  ): Promise<HolidayRow | null>;
  deleteHoliday(ex: Executor, teamId: string, id: string): Promise<boolean>;
  listVacations(ex: Executor, memberId: string): Promise<VacationRow[]>;
  addVacation(ex: Executor, v: VacationRow, at: Date): Promise<VacationRow>;
  deleteVacation(ex: Executor, memberId: string, id: string): Promise<boolean>;
  unsubscriptions(ex: Executor, memberId: string): Promise<UnsubscribeKind[]>;
  setUnsubscribed(
    ex: Executor,
    memberId: string,
    kind: UnsubscribeKind,
    on: boolean,
    at: Date,
  ): Promise<void>;

  // stats
  stats(ex: Executor, teamId: string, from: string, to: string): Promise<MemberStatsRow[]>;
}

export type { EmailCommand };
