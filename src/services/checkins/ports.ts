/**
 * The check-in feature's only port file: the row and parameter types, declared once, and one
 * repository interface per aggregate (storage/repositories implements them). Each service names
 * the few repository functions it calls.
 */
import type { EntryKind, EntryView } from '../../domain/checkins/entry.js';
import type { FrozenDigest } from '../../domain/checkins/digest-view.js';
import type { DigestEvent, DigestStatus } from '../../domain/state/digest.js';
import type { PromptEvent, PromptStatus } from '../../domain/state/prompt.js';
import type { DigestSchedule, Schedule, Slot, DigestSlot } from '../../domain/schedule/slots.js';
import type { Executor } from '../ports.js';

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
export type VacationRow = { id: string; member_id: string; start_date: string; end_date: string };

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
  reminder_message_id: string | null;
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
/** An entry as a reply line or the member page writes it. */
export interface NewEntry {
  kind: EntryKind;
  text: string;
  tags: string[];
  mentions: string[];
  completed: boolean;
}
/** Issue 6's entry grammar (domain/entries), as the reply and the member page use it. */
export type ParseEntries = (text: string) => NewEntry[];

// ---------------------------------------------------------------- parameters and results

type Stamps = 'created_at' | 'updated_at';
/** A team as created: every column but the timestamps. */
export type NewTeam = Omit<TeamRow, Stamps>;
/** The team columns a PATCH may change; undefined leaves a column as it is. */
export type TeamChanges = Partial<Omit<TeamRow, 'id' | Stamps>>;
/** A member as invited: active, not paused. */
export type NewMember = Omit<MemberRow, Stamps | 'status' | 'pause_until'>;
/** A bulk invite: the rows it made, and the addresses already in the team. */
export type Invited = { created: MemberRow[]; existing: string[] };
/** The member columns a PATCH or an email command may change. */
export type MemberChanges = Partial<Omit<MemberRow, 'id' | 'team_id' | Stamps>>;
/** The entry columns an edit may change. */
export type EntryChanges = Partial<
  Pick<EntryRow, 'kind' | 'text' | 'tags' | 'mentions' | 'completed' | 'local_date'>
>;
export type EntryQuery = { from?: string; to?: string; memberId?: string; limit: number };
/** An open goal, shown again in the member's next prompt. */
export type OpenGoal = { text: string; local_date: string };
/** The reply ledger's row: who a processed inbound mail was from, and what it became. */
export type ReplyClaim = { memberId: string | null; promptId: string | null; outcome: string };
/** A digest as the operator CLI creates it when the tick has not. */
export type NewDigest = Pick<DigestRow, 'team_id' | 'local_date' | 'send_date' | 'due_at'>;
/** A digest source line: the entry with who wrote it. */
export type DigestEntry = EntryView & { memberId: string; memberName: string };
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

/** A prompt with what sending it needs, and the day rules re-checked at send time. */
export type PromptForSend = PromptRow & {
  member: MemberRow;
  team: TeamRow;
  skip: string | null;
  unsubscribed: UnsubscribeKind[];
};
/** What a prompt event records besides the status: when it happened, or why it was skipped. */
export type PromptPatch = { at?: Date; skipReason?: string };
/** What a digest event records besides the status; `build` freezes the content. */
export type DigestPatch = { at: Date; content?: FrozenDigest; recipients?: number };
/** One member's prompts in a date range: how many were asked and answered, day by day. */
export interface MemberStatsRow {
  member_id: string;
  name: string;
  asked: number;
  answered: number;
  days: Array<{ date: string; answered: boolean }>;
}

export type PlannedPrompt = { id: string; status: 'scheduled' | 'missed_by_outage' };
/** The team-level prompt and digest schedules a tick plans from. */
export type TeamSchedules = { prompts: Schedule[]; digests: DigestSchedule[] };
/** What a tick reads under its lock; the version moves when a member's own schedule changes. */
export type TickStart = {
  watermark: Date | null;
  scheduleVersion: number;
  schedules: TeamSchedules;
};
/** Reminders due in the tick's window, and how many prompts it closed as missed. */
export type TickEnd = { reminders: string[]; missed: number };

// ---------------------------------------------------------------- repositories

/** teams and team_holidays. */
export interface TeamRepository {
  createTeam(ex: Executor, t: NewTeam, at: Date): Promise<TeamRow>;
  getTeam(ex: Executor, id: string): Promise<TeamRow | null>;
  listTeams(ex: Executor, limit: number, afterId: string | null): Promise<TeamRow[]>;
  updateTeam(ex: Executor, id: string, patch: TeamChanges, at: Date): Promise<TeamRow | null>;
  deleteTeam(ex: Executor, id: string): Promise<boolean>;
  listHolidays(ex: Executor, teamId: string): Promise<HolidayRow[]>;
  /** Null when the team already has a holiday that day. */
  addHoliday(ex: Executor, h: HolidayRow, at: Date): Promise<HolidayRow | null>;
  deleteHoliday(ex: Executor, teamId: string, id: string): Promise<boolean>;
}

/** members, member_vacations and member_unsubscriptions. */
export interface MemberRepository {
  createMembers(ex: Executor, rows: readonly NewMember[], at: Date): Promise<Invited>;
  getMember(ex: Executor, id: string): Promise<MemberRow | null>;
  findMemberByEmail(ex: Executor, teamId: string, email: string): Promise<MemberRow | null>;
  listMembers(ex: Executor, teamId: string): Promise<MemberRow[]>;
  listMembersByIds(ex: Executor, ids: readonly string[]): Promise<MemberRow[]>;
  updateMember(ex: Executor, id: string, patch: MemberChanges, at: Date): Promise<MemberRow | null>;
  deleteMember(ex: Executor, id: string): Promise<boolean>;
  listVacations(ex: Executor, memberId: string): Promise<VacationRow[]>;
  addVacation(ex: Executor, v: VacationRow, at: Date): Promise<VacationRow>;
  deleteVacation(ex: Executor, memberId: string, id: string): Promise<boolean>;
  unsubscriptions(ex: Executor, memberId: string): Promise<UnsubscribeKind[]>;
  /** `on`: unsubscribed from that kind of mail. */
  setUnsubscribed(
    ex: Executor,
    memberId: string,
    kind: UnsubscribeKind,
    on: boolean,
    at: Date,
  ): Promise<void>;
}

/** prompts: the send batch, the lifecycle and completion stats. */
export interface PromptRepository {
  promptsForSend(ex: Executor, ids: readonly string[]): Promise<PromptForSend[]>;
  /** The conditional UPDATE of `event` (promptMachine); false when another worker won. */
  transitionPrompt(ex: Executor, id: string, event: PromptEvent, p?: PromptPatch): Promise<boolean>;
  recordPromptMessage(
    ex: Executor,
    id: string,
    outboundId: string,
    messageId: string | null,
  ): Promise<void>;
  recordReminderMessage(ex: Executor, id: string, outboundId: string): Promise<void>;
  getPrompt(ex: Executor, id: string): Promise<PromptRow | null>;
  listPrompts(ex: Executor, teamId: string, date: string): Promise<PromptRow[]>;
  stats(ex: Executor, teamId: string, from: string, to: string): Promise<MemberStatsRow[]>;
}

/** entries, and the reply ledger (checkin_replies) with its lock. */
export interface EntryRepository {
  /** Serialises two deliveries of one inbound mail until the transaction ends. */
  lockReplyProcessing(ex: Executor, inboundEmailId: string): Promise<void>;
  /** False when the mail was already processed: the caller then does nothing. */
  claimReply(ex: Executor, inboundEmailId: string, claim: ReplyClaim, at: Date): Promise<boolean>;
  insertEntries(ex: Executor, base: EntryBatch, entries: readonly NewEntry[]): Promise<EntryRow[]>;
  completeGoals(
    ex: Executor,
    memberId: string,
    texts: readonly string[],
    at: Date,
  ): Promise<number>;
  openGoals(ex: Executor, memberId: string, beforeDate: string, limit: number): Promise<OpenGoal[]>;
  listEntries(ex: Executor, teamId: string, q: EntryQuery): Promise<EntryRow[]>;
  getEntry(ex: Executor, id: string): Promise<EntryRow | null>;
  updateEntry(ex: Executor, id: string, patch: EntryChanges, at: Date): Promise<EntryRow | null>;
  deleteEntry(ex: Executor, id: string): Promise<boolean>;
}

/** digests and digest_deliveries. */
export interface DigestRepository {
  getDigest(ex: Executor, id: string): Promise<DigestRow | null>;
  findDigest(ex: Executor, teamId: string, localDate: string): Promise<DigestRow | null>;
  /** Or the one that exists: an operator run races the tick. */
  createDigest(ex: Executor, d: NewDigest, now: Date): Promise<DigestRow>;
  digestEntries(ex: Executor, teamId: string, localDate: string): Promise<DigestEntry[]>;
  /** The conditional UPDATE of `event` (digestMachine); false when the digest had moved on. */
  transitionDigest(ex: Executor, id: string, event: DigestEvent, p: DigestPatch): Promise<boolean>;
  /** `finish`, once every recipient of `round` has a delivery row. */
  finishDigestIfComplete(ex: Executor, id: string, round: number, at: Date): Promise<boolean>;
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
  digestRound(ex: Executor, digestId: string): Promise<number>;
}

/** The planner's set-based statements: the tick lock and watermark, prompts and digests planned. */
export interface CheckInTickRepository {
  /** Takes the tick lock (xact-scoped) and reads the watermark and the schedules. */
  beginTick(ex: Executor, teamId?: string): Promise<TickStart>;
  listPersonalSchedules(ex: Executor, teamId?: string): Promise<Schedule[]>;
  /** Reminders due in (from, to], missed prompts closed, the watermark moved to `to`. */
  finishTick(ex: Executor, from: Date, to: Date): Promise<TickEnd>;
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
}
