/**
 * Read models the dashboard pages consume. storage/dashboard implements them with SQL over the
 * features' tables; the shapes here are what the pages need, not the tables.
 */
export interface CountByKey {
  key: string;
  count: number;
}

export interface HourBucket {
  /** Start of the hour (UTC). */
  hour: Date;
  sent: number;
  failed: number;
}

export interface QueueDepth {
  name: string;
  /** Ready to run now. */
  queued: number;
  /** Waiting for a start time (scheduled or retry backoff). */
  deferred: number;
  active: number;
}

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

export interface MessageFilter {
  status?: string;
  tag?: string;
  recipient?: string;
  /** Inclusive UTC dates, YYYY-MM-DD. */
  from?: string;
  to?: string;
  /** Keyset cursor: messages older than this id. */
  before?: string;
  limit: number;
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
  events: MessageEventView[];
}

export interface MessagesReaderPort {
  list(f: MessageFilter): Promise<{ items: MessageListItem[]; nextBefore: string | null }>;
  get(id: string): Promise<MessageDetail | null>;
  raw(id: string): Promise<Buffer | null>;
}

export type EntryKindName = 'done' | 'goal' | 'blocker';

export interface ArchiveEntry {
  id: string;
  memberId: string;
  memberName: string;
  date: string;
  kind: EntryKindName;
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

export interface ArchiveSearch {
  teamId: string;
  text: string;
  tags: string[];
  mentions: string[];
  kind?: string;
  from?: string;
  to?: string;
  limit: number;
}

export interface TeamsReaderPort {
  listTeams(): Promise<TeamSummary[]>;
  getTeam(id: string): Promise<TeamDetail | null>;
  promptHistory(
    teamId: string,
    since: string,
  ): Promise<Map<string, { date: string; status: string }[]>>;
  dayCounts(teamId: string, from: string, to: string): Promise<Map<string, number>>;
  entries(q: {
    teamId: string;
    date?: string;
    memberId?: string;
    beforeDate?: string;
    limit: number;
  }): Promise<ArchiveEntry[]>;
  search(q: ArchiveSearch): Promise<ArchiveEntry[]>;
}

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

export interface InboundDetail extends InboundListItem {
  messageId: string;
  reasonDetail: string | null;
  verdicts: unknown;
  classification: unknown;
  correlation: unknown;
  routedTo: unknown;
  reply: unknown;
  attempts: number;
  lastError: string | null;
  processedAt: Date | null;
  hasRaw: boolean;
  entries: Array<{
    id: string;
    teamId: string;
    memberName: string;
    date: string;
    kind: string;
    text: string;
  }>;
}

export interface InboundReaderPort {
  list(f: {
    status?: string;
    provider?: string;
    before?: string;
    limit: number;
  }): Promise<{ items: InboundListItem[]; nextBefore: string | null }>;
  get(id: string): Promise<InboundDetail | null>;
  raw(id: string): Promise<Buffer | null>;
}
