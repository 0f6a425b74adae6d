/**
 * The operations feature's ports: the process heartbeat table, reads of pg-boss's job table
 * (where pg-boss 12 has no API: counts by state, lists by state with keyset pagination, one job
 * with its payload), pg-boss's own queue API for the rest, and what the other tables tell an
 * operator (tick lag, database size, failures).
 */
import type { Executor } from '../ports.js';

export const JOB_STATES = [
  'created',
  'retry',
  'active',
  'completed',
  'cancelled',
  'failed',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export type ProcessRole = 'web' | 'worker';

// ---------------------------------------------------------------- processes

export interface NewProcess {
  id: string;
  host: string;
  pid: number;
  roles: ProcessRole[];
  version: string;
  startedAt: Date;
}

export interface ProcessRow extends NewProcess {
  heartbeatAt: Date;
  stoppedAt: Date | null;
}

export interface ProcessHeartbeatRepository {
  /** Inserts the row, or refreshes its heartbeat (and clears `stoppedAt` after a hiccup). */
  beat(ex: Executor, p: NewProcess, now: Date): Promise<void>;
  markStopped(ex: Executor, id: string, now: Date): Promise<void>;
  /** Forgets processes silent since `before`; returns how many. */
  prune(ex: Executor, before: Date): Promise<number>;
  /** Every process heard from since `since`, the latest first. */
  listProcesses(ex: Executor, since: Date): Promise<ProcessRow[]>;
}

// ---------------------------------------------------------------- pg-boss

/** A queue's settings as pg-boss stores them, and the worker settings our registry states. */
export interface QueuePolicyView {
  policy: string;
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax: number | null;
  expireInSeconds: number;
  deleteAfterSeconds: number;
  deadLetter: string | null;
  partition: boolean;
  notify: boolean;
  /** From the queue registry; null for a queue this build does not work. */
  batchSize: number | null;
  localConcurrency: number | null;
}

/** pg-boss's cached counts (getQueues), refreshed by its monitor: what the gauges export. */
export interface QueueCounts {
  name: string;
  ready: number;
  deferred: number;
  active: number;
  failed: number;
}

export interface BossQueue extends QueueCounts {
  settings: QueuePolicyView;
}

/** pg-boss's own API: queues and the actions on jobs. */
export interface JobControl {
  queues(): Promise<BossQueue[]>;
  /** failed → retry; returns how many moved. */
  retry(queue: string, ids: readonly string[]): Promise<number>;
  /** created/retry/active → cancelled; returns how many moved. */
  cancel(queue: string, ids: readonly string[]): Promise<number>;
}

export interface JobListItem {
  id: string;
  queue: string;
  state: JobState;
  retryCount: number;
  retryLimit: number;
  createdOn: Date;
  startAfter: Date;
  startedOn: Date | null;
  completedOn: Date | null;
  singletonKey: string | null;
  /** created_on to the microsecond (a Date keeps milliseconds): the keyset position. */
  createdOnExact: string;
}

export interface JobRecord extends JobListItem {
  priority: number;
  data: unknown;
  output: unknown;
  expireInSeconds: number;
  keepUntil: Date | null;
  deadLetter: string | null;
}

/** Keyset position in a jobs list, newest first: created_on to the microsecond, then id. */
export interface JobCursor {
  createdOn: string;
  id: string;
}

/**
 * Reads of pg-boss's job table, for what its API lacks (counts per state including completed and
 * cancelled, lists by state, one job whatever its state). Bound to the schema in storage/index.ts.
 */
export interface JobTableReader {
  countsByState(): Promise<Array<{ queue: string; state: JobState; count: number }>>;
  /** Per queue: how long the oldest job ready to run has waited (since its start_after). */
  oldestWaiting(now: Date): Promise<Array<{ queue: string; seconds: number }>>;
  listJobs(
    queue: string,
    state: JobState,
    after: JobCursor | null,
    limit: number,
  ): Promise<JobListItem[]>;
  getJob(queue: string, id: string): Promise<JobRecord | null>;
  failedJobIds(queue: string, afterId: string | null, limit: number): Promise<string[]>;
  failuresSince(since: Date): Promise<Array<{ queue: string; count: number }>>;
}

// ---------------------------------------------------------------- the other tables

/** The team a prompt or digest belongs to, for the job page's link. */
export interface LinkedTeam {
  id: string;
  teamId: string;
}

export interface OperationsReader {
  /** When the check-in planner last completed a tick; null before the first. */
  lastTickAt(): Promise<Date | null>;
  databaseBytes(): Promise<number>;
  /** Outbound messages failed, bounced or expired, and inbound emails failed, since `since`. */
  mailFailuresSince(since: Date): Promise<{ outbound: number; inbound: number }>;
  promptTeams(ids: readonly string[]): Promise<LinkedTeam[]>;
  digestTeams(ids: readonly string[]): Promise<LinkedTeam[]>;
}

/** What the PostgreSQL-backed gauges report at one scrape. */
export interface OperationsSnapshot {
  queues: QueueCounts[];
  processes: Record<ProcessRole, number>;
  tickLagSeconds: number | null;
}
