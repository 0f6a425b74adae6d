/**
 * What the outbound use cases need from storage: one repository per aggregate, and the row,
 * result and parameter types they exchange, declared here once. storage/repositories/* implement
 * them (storage/index.ts checks each with `satisfies`); services never import storage, and each
 * service names only the repositories (or the few functions of one) it calls.
 */
import type { Executor } from '../ports.js';
import type {
  ApiKeyRecord,
  ApiScope,
  MessageEventRecord,
  MessageStream,
  NewOutboundMessage,
  OutboundMessageRecord,
  Suppression,
  SuppressionScope,
  TemplateVersion,
  WebhookDelivery,
  WebhookEndpoint,
} from '../../domain/outbound/message.js';
import type { OutboundEvent, OutboundStatus } from '../../domain/state/outbound-message.js';

// ---------------------------------------------------------------- outbound messages

/** Per-row details of a transition; all optional. */
export interface TransitionRow {
  id: string;
  reason?: string | null | undefined;
  smtpCode?: number | null | undefined;
  smtpResponse?: string | null | undefined;
  nextAttemptAt?: Date | null | undefined;
  providerMessageId?: string | null | undefined;
  data?: unknown;
}

export interface TransitionOptions {
  now: Date;
  /** claim: lease end */
  leaseUntil?: Date | undefined;
  /** retry: the new deadline */
  expiresAt?: Date | undefined;
  /** defer for a rate limit: the attempt did not happen, give it back */
  uncount?: boolean | undefined;
  /** sweeper: a lease expired while sending */
  possiblyDuplicate?: boolean | undefined;
  /** narrower guard than the table's sources, e.g. claim only due deferred rows */
  extraWhere?: 'due' | undefined;
  /** event type written to message_events; defaults to the transition event */
  eventType?: string | undefined;
}

export interface TransitionedRow {
  id: string;
  from: OutboundStatus;
  to: OutboundStatus;
  attempts: number;
  reason: string | null;
  smtpCode: number | null;
  recipients: string[];
  tags: string[];
  /** Accepted, or its send_at: when it became due (accept → sent latency). */
  dueAt: Date;
}

export interface MessageFilter {
  status?: OutboundStatus[] | undefined;
  tag?: string | undefined;
  to?: string | undefined;
  since?: Date | undefined;
  batchId?: string | undefined;
  /** keyset: ids are UUIDv7, so "older than this id" pages by creation time */
  before?: string | undefined;
  limit: number;
}

/** A timeline entry that is not a status change (a provider report, an unsubscribe). */
export interface NewMessageEvent {
  type: string;
  reason?: string | null;
  data?: unknown;
  at: Date;
}

/** The MIME of a message as it was handed to the transport. */
export interface RawMessage {
  id: string;
  raw: Buffer;
}

/** What the sweeper looks for: each kind is a status and the time field that makes it due. */
export type DueKind = 'scheduled' | 'deferred' | 'lease_expired' | 'expired' | 'stale_queued';

/** How a provider names one of our messages: our Message-ID, or its own id. */
export interface MessageRef {
  messageId?: string | undefined;
  providerMessageId?: string | undefined;
}

export interface NewBatch {
  id: string;
  apiKeyId: string | null;
  size: number;
  now: Date;
}

export interface OutboundMessageRepository {
  insertMessages(ex: Executor, messages: NewOutboundMessage[], now: Date): Promise<void>;
  getMessage(ex: Executor, id: string): Promise<OutboundMessageRecord | null>;
  getMessages(ex: Executor, ids: readonly string[]): Promise<OutboundMessageRecord[]>;
  listMessages(ex: Executor, f: MessageFilter): Promise<OutboundMessageRecord[]>;
  findByRef(ex: Executor, ref: MessageRef): Promise<OutboundMessageRecord | null>;
  getEvents(ex: Executor, id: string): Promise<MessageEventRecord[]>;
  addEvent(ex: Executor, messageId: string, e: NewMessageEvent): Promise<void>;
  getRaw(ex: Executor, id: string): Promise<Buffer | null>;
  storeRaw(ex: Executor, items: readonly RawMessage[], transport: string, now: Date): Promise<void>;
  applyTransition(
    ex: Executor,
    event: OutboundEvent,
    rows: readonly TransitionRow[],
    o: TransitionOptions,
  ): Promise<TransitionedRow[]>;
  claimMessages(
    ex: Executor,
    ids: readonly string[],
    now: Date,
    leaseUntil: Date,
  ): Promise<OutboundMessageRecord[]>;
  findDue(
    ex: Executor,
    kind: DueKind,
    now: Date,
    limit: number,
    staleBefore?: Date,
  ): Promise<string[]>;
  insertBatch(ex: Executor, b: NewBatch): Promise<void>;
  batchExists(ex: Executor, id: string): Promise<boolean>;
}

// ---------------------------------------------------------------- suppressions

export type NewSuppression = Omit<Suppression, 'createdAt'>;

export interface SuppressionFilter {
  address?: string | undefined;
  reason?: string | undefined;
  /** keyset: addresses after this one */
  after?: string | undefined;
  limit: number;
}

export interface SuppressionRepository {
  addSuppressions(ex: Executor, items: readonly NewSuppression[], now: Date): Promise<number>;
  suppressedAmong(
    ex: Executor,
    addresses: readonly string[],
    stream: MessageStream,
  ): Promise<Set<string>>;
  listSuppressions(ex: Executor, f: SuppressionFilter): Promise<Suppression[]>;
  getSuppressions(ex: Executor, address: string): Promise<Suppression[]>;
  deleteSuppression(ex: Executor, address: string, scope: SuppressionScope | null): Promise<number>;
}

// ---------------------------------------------------------------- templates

export type NewTemplateVersion = Omit<TemplateVersion, 'version' | 'createdAt'>;

export interface TemplateRepository {
  insertTemplateVersion(ex: Executor, t: NewTemplateVersion, now: Date): Promise<TemplateVersion>;
  getTemplate(ex: Executor, name: string, version?: number): Promise<TemplateVersion | null>;
  listTemplateVersions(ex: Executor, name: string): Promise<TemplateVersion[]>;
  deleteTemplate(ex: Executor, name: string, now: Date): Promise<number>;
}

// ---------------------------------------------------------------- API keys

export interface NewApiKey {
  id: string;
  name: string;
  keyHash: string;
  keyPrefix: string;
  scopes: ApiScope[];
  dailyQuota: number | null;
  replyTracking: boolean;
}

export interface ApiKeyRepository {
  insertApiKey(ex: Executor, k: NewApiKey, now: Date): Promise<ApiKeyRecord>;
  findApiKeyByHash(ex: Executor, keyHash: string): Promise<ApiKeyRecord | null>;
  touchApiKey(ex: Executor, id: string, now: Date): Promise<void>;
  listApiKeys(ex: Executor): Promise<ApiKeyRecord[]>;
  revokeApiKey(ex: Executor, id: string, now: Date): Promise<boolean>;
  consumeQuota(
    ex: Executor,
    apiKeyId: string,
    day: string,
    n: number,
    quota: number,
  ): Promise<boolean>;
  /** Per key and stream: messages accepted since `since.month`, and since `since.day`. */
  apiKeyUsage(ex: Executor, ids: readonly string[], since: UsageSince): Promise<ApiKeyUsageRow[]>;
}

export type UsageSince = { day: Date; month: Date };
export type ApiKeyUsageRow = { apiKeyId: string; stream: string; today: number; month: number };

// ---------------------------------------------------------------- webhook endpoints

export interface NewWebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  secret: string;
}

/** A status event queued for one webhook endpoint. */
export interface NewWebhookDelivery {
  id: string;
  endpointId: string;
  eventType: string;
  messageId: string | null;
  inboundEmailId?: string | null;
  payload: unknown;
}

/** One webhook delivery attempt and its outcome, as recorded on the delivery and endpoint. */
export interface WebhookAttempt {
  deliveryId: string;
  endpointId: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  ok: boolean;
  nextAttemptAt: Date | null;
  disableAfter: number;
  now: Date;
}

/** What recording an attempt did to its endpoint. */
export interface RecordedAttempt {
  endpointDisabled: boolean;
}

/** A recorded attempt, as the deliveries API lists it. */
export interface WebhookAttemptRecord {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
}

export interface WebhookEndpointRepository {
  insertEndpoint(ex: Executor, e: NewWebhookEndpoint, now: Date): Promise<WebhookEndpoint>;
  listEndpoints(ex: Executor, onlyEnabled?: boolean): Promise<WebhookEndpoint[]>;
  getEndpoint(ex: Executor, id: string): Promise<WebhookEndpoint | null>;
  deleteEndpoint(ex: Executor, id: string, now: Date): Promise<boolean>;
  enableEndpoint(ex: Executor, id: string): Promise<boolean>;
  insertDeliveries(ex: Executor, items: readonly NewWebhookDelivery[], now: Date): Promise<void>;
  getDelivery(ex: Executor, id: string): Promise<WebhookDelivery | null>;
  listDeliveries(ex: Executor, endpointId: string, limit: number): Promise<WebhookDelivery[]>;
  listAttempts(ex: Executor, deliveryId: string): Promise<WebhookAttemptRecord[]>;
  recordAttempt(ex: Executor, a: WebhookAttempt): Promise<RecordedAttempt>;
  resetDelivery(ex: Executor, id: string, now: Date): Promise<boolean>;
}

// ---------------------------------------------------------------- idempotency keys

export interface NewIdempotencyKey {
  scope: string;
  key: string;
  requestHash: string;
  now: Date;
  expiresAt: Date;
}

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; requestHash: string; statusCode: number | null; response: unknown };

export interface IdempotentResponse {
  scope: string;
  key: string;
  statusCode: number;
  response: unknown;
}

export interface IdempotencyKeyRepository {
  claimIdempotencyKey(ex: Executor, k: NewIdempotencyKey): Promise<IdempotencyClaim>;
  storeIdempotentResponse(ex: Executor, k: IdempotentResponse): Promise<void>;
}

// ---------------------------------------------------------------- rate limits

export interface RateLimitRepository {
  /** The theoretical arrival time of each key, locked until the transaction ends. */
  lockRateKeys(ex: Executor, keys: readonly string[], now: Date): Promise<Map<string, Date>>;
  saveRateKeys(ex: Executor, tats: Map<string, Date>): Promise<void>;
}
