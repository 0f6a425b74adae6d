/**
 * What the outbound use cases need from storage. storage/outbound/* implements it function by
 * function (main/features/outbound.ts assembles the object); services never import storage.
 */
import type { Executor } from '../ports.js';
import type {
  ApiKeyRecord,
  ApiScope,
  MessageEventRecord,
  NewOutboundMessage,
  OutboundMessageRecord,
  Suppression,
  SuppressionScope,
  TemplateVersion,
  WebhookDelivery,
  WebhookEndpoint,
} from '../../domain/outbound/message.js';
import type { OutboundEvent, OutboundStatus } from '../../domain/state/outbound-message.js';

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
}

export interface MessageFilter {
  status?: OutboundStatus[] | undefined;
  tag?: string | undefined;
  to?: string | undefined;
  since?: Date | undefined;
  batchId?: string | undefined;
  before?: string | undefined;
  limit: number;
}

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; requestHash: string; statusCode: number | null; response: unknown };

/** A status event queued for one webhook endpoint. */
export interface NewWebhookDelivery {
  id: string;
  endpointId: string;
  eventType: string;
  messageId: string | null;
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

export interface OutboundStore {
  insertMessages(ex: Executor, messages: NewOutboundMessage[], now: Date): Promise<void>;
  getMessage(ex: Executor, id: string): Promise<OutboundMessageRecord | null>;
  getMessages(ex: Executor, ids: readonly string[]): Promise<OutboundMessageRecord[]>;
  listMessages(ex: Executor, f: MessageFilter): Promise<OutboundMessageRecord[]>;
  getEvents(ex: Executor, id: string): Promise<MessageEventRecord[]>;
  addEvent(
    ex: Executor,
    messageId: string,
    e: { type: string; reason?: string | null; data?: unknown; at: Date },
  ): Promise<void>;
  getRaw(ex: Executor, id: string): Promise<Buffer | null>;
  storeRaw(
    ex: Executor,
    items: ReadonlyArray<{ id: string; raw: Buffer }>,
    transport: string,
    now: Date,
  ): Promise<void>;
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
    kind: 'scheduled' | 'deferred' | 'lease_expired' | 'expired' | 'stale_queued',
    now: Date,
    limit: number,
    staleBefore?: Date,
  ): Promise<string[]>;
  findByRef(
    ex: Executor,
    ref: { messageId?: string | undefined; providerMessageId?: string | undefined },
  ): Promise<OutboundMessageRecord | null>;
  insertBatch(
    ex: Executor,
    b: { id: string; apiKeyId: string | null; size: number; now: Date },
  ): Promise<void>;
  batchExists(ex: Executor, id: string): Promise<boolean>;

  addSuppressions(
    ex: Executor,
    items: ReadonlyArray<Omit<Suppression, 'createdAt'>>,
    now: Date,
  ): Promise<number>;
  suppressedAmong(
    ex: Executor,
    addresses: readonly string[],
    stream: 'transactional' | 'broadcast',
  ): Promise<Set<string>>;
  listSuppressions(
    ex: Executor,
    f: {
      address?: string | undefined;
      reason?: string | undefined;
      after?: string | undefined;
      limit: number;
    },
  ): Promise<Suppression[]>;
  getSuppressions(ex: Executor, address: string): Promise<Suppression[]>;
  deleteSuppression(ex: Executor, address: string, scope: SuppressionScope | null): Promise<number>;

  insertTemplateVersion(
    ex: Executor,
    t: Omit<TemplateVersion, 'version' | 'createdAt'>,
    now: Date,
  ): Promise<TemplateVersion>;
  getTemplate(ex: Executor, name: string, version?: number): Promise<TemplateVersion | null>;
  listTemplateVersions(ex: Executor, name: string): Promise<TemplateVersion[]>;
  deleteTemplate(ex: Executor, name: string, now: Date): Promise<number>;

  insertApiKey(
    ex: Executor,
    k: {
      id: string;
      name: string;
      keyHash: string;
      keyPrefix: string;
      scopes: ApiScope[];
      dailyQuota: number | null;
    },
    now: Date,
  ): Promise<ApiKeyRecord>;
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

  claimIdempotencyKey(
    ex: Executor,
    k: { scope: string; key: string; requestHash: string; now: Date; expiresAt: Date },
  ): Promise<IdempotencyClaim>;
  storeIdempotentResponse(
    ex: Executor,
    k: { scope: string; key: string; statusCode: number; response: unknown },
  ): Promise<void>;

  lockRateKeys(ex: Executor, keys: readonly string[], now: Date): Promise<Map<string, Date>>;
  saveRateKeys(ex: Executor, tats: Map<string, Date>): Promise<void>;

  insertEndpoint(
    ex: Executor,
    e: { id: string; url: string; events: string[]; secret: string },
    now: Date,
  ): Promise<WebhookEndpoint>;
  listEndpoints(ex: Executor, onlyEnabled?: boolean): Promise<WebhookEndpoint[]>;
  getEndpoint(ex: Executor, id: string): Promise<WebhookEndpoint | null>;
  deleteEndpoint(ex: Executor, id: string, now: Date): Promise<boolean>;
  enableEndpoint(ex: Executor, id: string): Promise<boolean>;
  insertDeliveries(
    ex: Executor,
    items: ReadonlyArray<NewWebhookDelivery>,
    now: Date,
  ): Promise<void>;
  getDelivery(ex: Executor, id: string): Promise<WebhookDelivery | null>;
  listDeliveries(ex: Executor, endpointId: string, limit: number): Promise<WebhookDelivery[]>;
  listAttempts(
    ex: Executor,
    deliveryId: string,
  ): Promise<
    Array<{
      attempt: number;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
      at: Date;
    }>
  >;
  recordAttempt(ex: Executor, a: WebhookAttempt): Promise<{ endpointDisabled: boolean }>;
  resetDelivery(ex: Executor, id: string, now: Date): Promise<boolean>;
}
