/**
 * Idempotency-Key for accept: the same key with the same body replays the first answer; a
 * different body is 409. The key row is written in the caller's transaction, so a rejected
 * request (4xx) releases its key, and a concurrent duplicate waits on it.
 */
import { createHash } from 'node:crypto';
import { ConflictError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { ApiKeyRecord } from '../../domain/outbound/message.js';
import type { Executor } from '../ports.js';
import type { IdempotencyKeyRepository } from './ports/index.js';

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export interface IdempotencyDeps {
  clock: Clock;
  idempotencyKeys: IdempotencyKeyRepository;
}

/** Runs `fn` once per idempotency key: replays the stored answer or refuses a different body. */
export async function withIdempotency<T>(
  deps: IdempotencyDeps,
  ex: Executor,
  apiKey: ApiKeyRecord | null | undefined,
  key: string | undefined,
  hashOf: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  if (!key) return fn();
  const { clock, idempotencyKeys } = deps;
  const scope = apiKey ? `key:${apiKey.id}` : 'internal';
  const now = clock.now();
  const requestHash = bodyHash(hashOf);
  const claim = await idempotencyKeys.claimIdempotencyKey(ex, {
    scope,
    key,
    requestHash,
    now,
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
  });
  if (claim.kind === 'replay') {
    if (claim.requestHash !== requestHash) {
      throw new ConflictError(
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request body',
      );
    }
    if (claim.response === null)
      throw new ConflictError(
        'idempotency_in_flight',
        'A request with this Idempotency-Key is in progress',
      );
    return claim.response as T;
  }
  const result = await fn();
  await idempotencyKeys.storeIdempotentResponse(ex, {
    scope,
    key,
    statusCode: 202,
    response: result,
  });
  return result;
}

function bodyHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

/** JSON with sorted keys, so the same body hashes the same whatever its key order. */
function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}
