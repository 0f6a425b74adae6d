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
import { newId } from '../../lib/ids.js';
import { API_SCOPES, type ApiKeyRecord, type ApiScope } from '../../domain/outbound/message.js';
import type { Executor } from '../ports.js';
import type { OutboundDeps } from './settings.js';

export interface ApiKeyService {
  create(input: {
    name: string;
    scopes: string[];
    dailyQuota?: number | null | undefined;
  }): Promise<{ key: string; record: ApiKeyRecord }>;
  /** The key's record, or 401. */
  authenticate(presented: string | undefined): Promise<ApiKeyRecord>;
  /** 403 unless the key has `scope` (or admin). */
  authorize(key: ApiKeyRecord, scope: ApiScope): void;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string): Promise<boolean>;
  /** Counts `n` messages against the key's daily quota inside `ex`; throws 429 past it. */
  consumeQuota(ex: Executor, key: ApiKeyRecord, n: number): Promise<void>;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Verified keys are cached briefly so a request costs no lookup; revocation by another process takes effect within this. */
const CACHE_MS = 10_000;
const TOUCH_MS = 60_000;

export function createApiKeyService(deps: OutboundDeps): ApiKeyService {
  const { db, store, clock, settings } = deps;
  const cache = new Map<string, { record: ApiKeyRecord; at: number; touched: number }>();
  return {
    async create(input) {
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
      const record = await store.insertApiKey(
        db,
        {
          id: newId(),
          name: input.name.trim(),
          keyHash: hashApiKey(key),
          keyPrefix: key.slice(0, 10),
          scopes: [...new Set(input.scopes)] as ApiScope[],
          dailyQuota: input.dailyQuota ?? null,
        },
        clock.now(),
      );
      return { key, record };
    },
    async authenticate(presented) {
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
          await store.touchApiKey(db, hit.record.id, clock.now());
        }
        return hit.record;
      }
      const record = await store.findApiKeyByHash(db, hash);
      if (!record) {
        cache.delete(hash);
        throw new UnauthorizedError('invalid_api_key', 'The API key is unknown or revoked');
      }
      await store.touchApiKey(db, record.id, clock.now());
      if (cache.size > 1000) cache.clear();
      cache.set(hash, { record, at: now, touched: now });
      return record;
    },
    authorize(key, scope) {
      if (!key.scopes.includes(scope) && !key.scopes.includes('admin')) {
        throw new ForbiddenError('insufficient_scope', `This API key lacks the "${scope}" scope`, {
          required: scope,
        });
      }
    },
    list: () => store.listApiKeys(db),
    async revoke(id) {
      for (const [hash, entry] of cache) if (entry.record.id === id) cache.delete(hash);
      return store.revokeApiKey(db, id, clock.now());
    },
    async consumeQuota(ex, key, n) {
      const quota = key.dailyQuota ?? settings.apiKeyDailyQuota;
      if (!quota || n === 0) return;
      const now = clock.now();
      const day = now.toISOString().slice(0, 10);
      if (await store.consumeQuota(ex, key.id, day, n, quota)) return;
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      throw new TooManyRequestsError(
        'daily_quota_exceeded',
        `This API key may send ${quota} messages a day; the quota resets at 00:00 UTC`,
        Math.max(1, Math.ceil((midnight - now.getTime()) / 1000)),
      );
    },
  };
}
