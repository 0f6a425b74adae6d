/**
 * The outbound feature's supporting aggregates: templates, API keys, webhook endpoints (and their
 * deliveries), idempotency keys and rate limits. Re-exported by ports/index.ts.
 */
import type { Executor } from '../../ports.js';
import type {
  ApiKeyRecord,
  ApiScope,
  TemplateVersion,
  WebhookDelivery,
  WebhookEndpoint,
} from '../../../domain/outbound/message.js';

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
  /** Retention: finished deliveries created before `before`, with their attempts. */
  pruneDeliveries(ex: Executor, before: Date, limit: number): Promise<number>;
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
  /** Retention: keys past their expiry, `limit` at a time. */
  pruneIdempotencyKeys(ex: Executor, now: Date, limit: number): Promise<number>;
}

// ---------------------------------------------------------------- rate limits

export interface RateLimitRepository {
  /** The theoretical arrival time of each key, locked until the transaction ends. */
  lockRateKeys(ex: Executor, keys: readonly string[], now: Date): Promise<Map<string, Date>>;
  saveRateKeys(ex: Executor, tats: Map<string, Date>): Promise<void>;
}
