/**
 * API keys: "pr_" + 32 random bytes (base64url). Only the sha256 is stored; the key is shown
 * once. Scopes: send, read, admin (admin implies the other two). The daily quota counts
 * accepted messages per UTC day; past it the API answers 429 with Retry-After.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  ForbiddenError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { API_SCOPES, type ApiKeyRecord, type ApiScope } from '../../domain/outbound/message.js';
import type { Database, Executor } from '../ports.js';
import { usageOfAll, usageOfKey, type ApiKeyUsage } from './key-usage.js';
import type { ApiKeyRepository } from './ports/index.js';
import type { OutboundSettings } from './settings.js';

export interface ApiKeyService {
  create(input: NewKeyInput): Promise<{ key: string; record: ApiKeyRecord }>;
  /** The key's record, or 401. */
  authenticate(presented: string | undefined): Promise<ApiKeyRecord>;
  /** 403 unless the key has `scope` (or admin). */
  authorize(key: ApiKeyRecord, scope: ApiScope): void;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string): Promise<boolean>;
  /** Counts `n` messages against the key's daily quota inside `ex`; throws 429 past it. */
  consumeQuota(ex: Executor, key: ApiKeyRecord, n: number): Promise<void>;
  /** Sends today, this month and per stream against the quota (key-usage.ts); 404 for no key. */
  usage(id: string): Promise<ApiKeyUsage>;
  usageOfAll(): Promise<Map<string, ApiKeyUsage>>;
}

export interface NewKeyInput {
  name: string;
  scopes: string[];
  dailyQuota?: number | null | undefined;
  replyTracking?: boolean | undefined;
}

export interface ApiKeyDeps {
  db: Database;
  clock: Clock;
  settings: Pick<OutboundSettings, 'apiKeyDailyQuota'>;
  apiKeys: ApiKeyRepository;
}

/** Verified keys, by hash; `touched` is when last_used_at was last written. */
type KeyCache = Map<string, { record: ApiKeyRecord; at: number; touched: number }>;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Verified keys are cached briefly so a request costs no lookup; revocation by another process takes effect within this. */
const CACHE_MS = 10_000;
const TOUCH_MS = 60_000;

async function create(deps: ApiKeyDeps, input: NewKeyInput) {
  const bad = input.scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (bad.length > 0 || input.scopes.length === 0) {
    throw new ValidationError(
      `Scopes must be some of ${API_SCOPES.join(', ')}`,
      { invalid: bad },
      'invalid_scopes',
    );
  }
  if (!input.name.trim())
    throw new ValidationError('A key needs a name', undefined, 'invalid_name');
  const key = `pr_${randomBytes(32).toString('base64url')}`;
  const record = await deps.apiKeys.insertApiKey(
    deps.db,
    {
      id: newId(),
      name: input.name.trim(),
      keyHash: hashApiKey(key),
      keyPrefix: key.slice(0, 10),
      scopes: [...new Set(input.scopes)] as ApiScope[],
      dailyQuota: input.dailyQuota ?? null,
      replyTracking: input.replyTracking ?? false,
    },
    deps.clock.now(),
  );
  return { key, record };
}

async function authenticate(
  deps: ApiKeyDeps,
  cache: KeyCache,
  presented: string | undefined,
): Promise<ApiKeyRecord> {
  if (!presented)
    throw new UnauthorizedError(
      'missing_api_key',
      'Send the API key as "Authorization: Bearer <key>"',
    );
  const hash = hashApiKey(presented);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && now - hit.at < CACHE_MS) {
    if (now - hit.touched >= TOUCH_MS) {
      hit.touched = now;
      await deps.apiKeys.touchApiKey(deps.db, hit.record.id, deps.clock.now());
    }
    return hit.record;
  }
  const record = await deps.apiKeys.findApiKeyByHash(deps.db, hash);
  if (!record) {
    cache.delete(hash);
    throw new UnauthorizedError('invalid_api_key', 'The API key is unknown or revoked');
  }
  await deps.apiKeys.touchApiKey(deps.db, record.id, deps.clock.now());
  if (cache.size > 1000) cache.clear();
  cache.set(hash, { record, at: now, touched: now });
  return record;
}

function authorize(key: ApiKeyRecord, scope: ApiScope): void {
  if (!key.scopes.includes(scope) && !key.scopes.includes('admin')) {
    throw new ForbiddenError('insufficient_scope', `This API key lacks the "${scope}" scope`, {
      required: scope,
    });
  }
}

async function consumeQuota(deps: ApiKeyDeps, ex: Executor, key: ApiKeyRecord, n: number) {
  const quota = key.dailyQuota ?? deps.settings.apiKeyDailyQuota;
  if (!quota || n === 0) return;
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  if (await deps.apiKeys.consumeQuota(ex, key.id, day, n, quota)) return;
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  throw new TooManyRequestsError(
    'daily_quota_exceeded',
    `This API key may send ${quota} messages a day; the quota resets at 00:00 UTC`,
    Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)),
  );
}

export function createApiKeyService(deps: ApiKeyDeps): ApiKeyService {
  const cache: KeyCache = new Map();
  return {
    create: (input) => create(deps, input),
    authenticate: (presented) => authenticate(deps, cache, presented),
    authorize,
    list: () => deps.apiKeys.listApiKeys(deps.db),
    async revoke(id) {
      for (const [hash, entry] of cache) if (entry.record.id === id) cache.delete(hash);
      return deps.apiKeys.revokeApiKey(deps.db, id, deps.clock.now());
    },
    consumeQuota: (ex, key, n) => consumeQuota(deps, ex, key, n),
    usage: (id) => usageOfKey(deps, id),
    usageOfAll: () => usageOfAll(deps),
  };
}
