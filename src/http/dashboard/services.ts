/**
 * What the dashboard pages read and call. main/features/dashboard.ts fills it from the
 * dashboard's own services and read models and from the other features' services; a page
 * whose port is absent is not mounted.
 */
import type { AuthService } from '../../services/dashboard/auth.js';
import type { InboundRoute } from '../../domain/inbound/route.js';
import type { ApiKeyService, SuppressionService } from '../../services/outbound/index.js';
import type { WebhookService } from '../../services/outbound/webhooks.js';
import type { JobMonitor, ProcessView } from '../../services/operations/index.js';
import type { EntryOwner } from '../../services/checkins/entries.js';
import type {
  EntryRow,
  NewEntry,
  ParseEntries,
  UnsubscribeKind,
} from '../../services/checkins/ports.js';
import type {
  InboundReader,
  MessagesReader,
  OverviewReader,
  TeamsReader,
  TemplatesReader,
} from '../../services/dashboard/ports/index.js';

/** Outbound actions on one message (issue 4's service); they throw AppErrors on bad state. */
export interface MessageActions {
  cancel(id: string): Promise<void>;
  retry(id: string): Promise<void>;
}

/** Team changes the team page offers (issue 7's admin service). They throw AppErrors. */
export interface TeamActions {
  updateMember(
    teamId: string,
    id: string,
    p: { status: 'active' | 'paused'; pause_until?: string | null },
  ): Promise<unknown>;
  addHoliday(teamId: string, h: { date: string; name: string; yearly: boolean }): Promise<unknown>;
  deleteHoliday(teamId: string, id: string): Promise<void>;
  addVacation(memberId: string, v: { start_date: string; end_date: string }): Promise<unknown>;
  deleteVacation(memberId: string, id: string): Promise<void>;
}

/** Inbound actions (issue 5's service). */
export interface InboundActions {
  reprocess(id: string): Promise<void>;
}

export interface ComposeInput {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  html?: string;
  text?: string;
  template?: { name: string; data: Record<string, unknown> };
  attachments: { filename: string; contentType: string; content: Buffer }[];
  sendAt?: Date;
  tags: string[];
}

export interface ComposePort {
  send(input: ComposeInput): Promise<{ id: string }>;
  /** Renders a stored template with data, for the preview pane. */
  renderTemplate?(
    name: string,
    data: Record<string, unknown>,
  ): Promise<{ subject: string; html: string | null; text: string | null }>;
  templateNames?(): Promise<string[]>;
}

/** Inbound routes (the inbound feature's route service and dry run). They throw AppErrors. */
export interface RoutesPort {
  list(): Promise<InboundRoute[]>;
  getDefault(): Promise<InboundRoute>;
  create(body: unknown): Promise<{ route: InboundRoute; webhookSecret?: string }>;
  update(id: string, body: unknown): Promise<unknown>;
  remove(id: string): Promise<void>;
  setDefault(body: unknown): Promise<unknown>;
  clearDefault(): Promise<void>;
  test(body: unknown): Promise<unknown>;
}

export interface DashboardServices {
  auth: AuthService;
  overview: OverviewReader;
  messages?: { reader: MessagesReader; actions: MessageActions };
  compose?: ComposePort;
  teams?: TeamsReader;
  /** Issue 7's admin service: pause/resume, holidays, vacations. Null: the team pages are read-only. */
  teamActions?: TeamActions | null;
  inbound?: { reader: InboundReader; actions: InboundActions | null };
  routes?: RoutesPort;
  member?: MemberPort;
  templates?: TemplatesPort;
  suppressions?: Pick<SuppressionService, 'add' | 'remove' | 'list'>;
  webhooks?: Pick<
    WebhookService,
    'create' | 'list' | 'get' | 'remove' | 'enable' | 'deliveries' | 'redeliver'
  >;
  apiKeys?: Pick<ApiKeyService, 'create' | 'list' | 'revoke' | 'usageOfAll'>;
  /** The job monitor and the workers list (services/operations). */
  operations?: OperationsPort;
}

export interface OperationsPort {
  jobs: JobMonitor;
  processes(): Promise<ProcessView[]>;
  /** How long a process may stay silent before it reads as gone, for the page's note. */
  goneAfterSeconds: number;
}

export interface TemplatesPort {
  reader: TemplatesReader;
  put(
    name: string,
    body: { subject: string; html?: string | undefined; text?: string | undefined },
  ): Promise<{ version: number }>;
  preview(
    name: string,
    data: Record<string, unknown>,
    version?: number,
  ): Promise<{ subject: string; html: string | null; text: string | null }>;
  remove(name: string): Promise<void>;
}

/** A line as the member page adds or edits it (the check-in entry grammar's output). */
export type MemberEntryInput = NewEntry;

/**
 * The member page's data, from the check-in services (main/features/checkins.ts): scoped by
 * member id, which comes from a verified signed link.
 */
export interface MemberPort {
  verify(token: string, now: Date): { ok: true; memberId: string } | { ok: false; reason: string };
  find(memberId: string): Promise<EntryOwner | null>;
  entries(memberId: string, date: string): Promise<EntryRow[]>;
  /** How many were added: a line the member already has for that date and kind is skipped. */
  add(memberId: string, date: string, items: readonly NewEntry[]): Promise<number>;
  /** False when the entry is not this member's (or is gone). */
  update(memberId: string, entryId: string, e: NewEntry): Promise<boolean>;
  remove(memberId: string, entryId: string): Promise<boolean>;
  unsubscriptions(memberId: string): Promise<string[]>;
  setUnsubscribed(memberId: string, kind: UnsubscribeKind, unsubscribed: boolean): Promise<void>;
  /** The entry grammar (issue 6): one line per entry, `[]` goal, `!` blocker, `[x]` done goal. */
  parseEntries: ParseEntries;
}

/** What the check-in feature supplies for the member page; the dashboard adds the link check. */
export type MemberPageActions = Omit<MemberPort, 'verify' | 'parseEntries'>;
