/**
 * The pages' read models (storage/read-models/, bound in storage/index.ts): what the pages
 * need, not the tables.
 */
import type { RecipientDelivery } from '../../../domain/outbound/message.js';
import type { InboundEmailRow } from '../../inbound/ports.js';

// ---------------------------------------------------------------- overview
export type CountByKey = { key: string; count: number };

/** Sends and failures in the hour that starts at `hour` (UTC). */
export type HourBucket = { hour: Date; sent: number; failed: number };

/** `queued`: ready to run now; `deferred`: waiting for a start time (scheduled or retrying). */
export type QueueDepth = { name: string; queued: number; deferred: number; active: number };

export interface Overview {
  since: Date;
  /** Null when the outbound tables are not installed. */
  outbound: {
    byStatus: CountByKey[];
    total: number;
    failed: number;
    failureRate: number;
    hourly: HourBucket[];
  } | null;
  inbound: { byStatus: CountByKey[]; total: number } | null;
  queues: QueueDepth[];
}

export interface OverviewReader {
  read(now: Date): Promise<Overview>;
}

// ---------------------------------------------------------------- messages
/** Keyset pages on the UUIDv7 id, newest first: `before` asks for rows older than that id. */
export type PageRequest = { before?: string; limit: number };
export type Page<T> = { items: T[]; nextBefore: string | null };

export interface MessageFilter extends PageRequest {
  status?: string;
  tag?: string;
  recipient?: string;
  /** Inclusive UTC dates, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export interface MessageListItem {
  id: string;
  status: string;
  subject: string;
  recipients: string[];
  tags: string[];
  kind: string;
  createdAt: Date;
  sendAt: Date | null;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
}

export interface MessageEventView {
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  attempt: number | null;
  reason: string | null;
  smtpCode: number | null;
  smtpResponse: string | null;
  /** An attempt's per-recipient results, or the recipient a provider named. */
  data: unknown;
  at: Date;
}

export interface MessageDetail extends MessageListItem {
  stream: string;
  from: unknown;
  to: unknown;
  cc: unknown;
  bcc: unknown;
  replyTo: unknown;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  attachments: unknown;
  metadata: unknown;
  templateName: string | null;
  templateVersion: number | null;
  messageIdHeader: string;
  expiresAt: Date;
  nextAttemptAt: Date | null;
  lastSmtpCode: number | null;
  possiblyDuplicate: boolean;
  hasRaw: boolean;
  /** Each recipient and what happened to it, in To, Cc, Bcc order. */
  deliveries: RecipientDelivery[];
  events: MessageEventView[];
}

export interface MessagesReader {
  list(f: MessageFilter): Promise<Page<MessageListItem>>;
  get(id: string): Promise<MessageDetail | null>;
  raw(id: string): Promise<Buffer | null>;
}

// ---------------------------------------------------------------- teams and the archive
export interface ArchiveEntry {
  id: string;
  memberId: string;
  memberName: string;
  date: string;
  kind: 'done' | 'goal' | 'blocker';
  text: string;
  tags: string[];
  mentions: string[];
  completed: boolean;
}

export interface TeamSummary {
  id: string;
  name: string;
  timeZone: string;
  members: number;
  entries30d: number;
}

export interface TeamDetail {
  id: string;
  name: string;
  timeZone: string;
  promptTime: string;
  digestTime: string;
  cutoffTime: string;
  weekdays: number[];
  question: string;
  reminderEnabled: boolean;
  reminderMinutesBeforeCutoff: number;
  members: Array<{
    id: string;
    name: string;
    email: string;
    role: string;
    timeZone: string | null;
    promptTime: string | null;
    status: string;
    pauseUntil: string | null;
  }>;
  holidays: Array<{ id: string; date: string; name: string; yearly: boolean }>;
  vacations: Array<{ id: string; memberId: string; startDate: string; endDate: string }>;
}

/** One day, one person, or everything before a date; newest first. */
export interface ArchiveQuery {
  teamId: string;
  date?: string;
  memberId?: string;
  beforeDate?: string;
  limit: number;
}

export interface ArchiveSearch extends Pick<ArchiveQuery, 'teamId' | 'limit'> {
  text: string;
  tags: string[];
  mentions: string[];
  kind?: string;
  from?: string;
  to?: string;
}

/** A member's closed prompts, newest first: completion rate and streak inputs. */
export type PromptHistory = Map<string, { date: string; status: string }[]>;

export interface TeamsReader {
  listTeams(): Promise<TeamSummary[]>;
  getTeam(id: string): Promise<TeamDetail | null>;
  promptHistory(teamId: string, since: string): Promise<PromptHistory>;
  dayCounts(teamId: string, from: string, to: string): Promise<Map<string, number>>;
  entries(q: ArchiveQuery): Promise<ArchiveEntry[]>;
  search(q: ArchiveSearch): Promise<ArchiveEntry[]>;
}

// ---------------------------------------------------------------- inbound
export interface InboundListItem {
  id: string;
  provider: string;
  status: string;
  reason: string | null;
  from: string;
  to: string[];
  subject: string | null;
  receivedAt: Date;
  sizeBytes: number;
}

/** What the inbound engine recorded, as the detail page shows it. */
type InboundRecord = Pick<
  InboundEmailRow,
  | 'messageId'
  | 'reasonDetail'
  | 'verdicts'
  | 'classification'
  | 'correlation'
  | 'routedTo'
  | 'reply'
  | 'attempts'
  | 'lastError'
  | 'processedAt'
>;

export interface InboundDetail extends InboundListItem, InboundRecord {
  hasRaw: boolean;
  /** The entries this message produced. */
  entries: Array<{
    id: string;
    teamId: string;
    memberName: string;
    date: string;
    kind: string;
    text: string;
  }>;
}

export type InboundFilter = PageRequest & { status?: string; provider?: string };

export interface InboundReader {
  list(f: InboundFilter): Promise<Page<InboundListItem>>;
  get(id: string): Promise<InboundDetail | null>;
  raw(id: string): Promise<Buffer | null>;
}

// ---------------------------------------------------------------- templates
export interface TemplateSummary {
  name: string;
  version: number;
  subject: string;
  updatedAt: Date;
  versions: number;
}

export interface TemplateVersionView {
  version: number;
  subject: string;
  html: string | null;
  text: string | null;
  createdAt: Date;
}

export interface TemplatesReader {
  /** Live templates (latest version not deleted), with their version count. */
  list(): Promise<TemplateSummary[]>;
  versions(name: string): Promise<TemplateVersionView[]>;
}
