/**
 * Usage per API key: messages it had accepted today and this month (UTC, as the daily quota
 * counts), per stream, against its daily quota. A key at 80 % of its quota is "near" it; the
 * API keys page and GET /v1/keys/:id/usage say so before clients start getting 429s.
 */
import type { ApiKeyRecord } from '../../domain/outbound/message.js';
import { NotFoundError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import type { ApiKeyRepository } from './ports/index.js';
import type { OutboundSettings } from './settings.js';

/** The share of the daily quota at which a key reads as near it. */
export const NEAR_QUOTA = 0.8;

export interface ApiKeyUsage {
  keyId: string;
  /** From 00:00 UTC today, and from the first of this month, UTC. */
  periods: { dayStart: Date; monthStart: Date };
  today: number;
  month: number;
  byStream: Array<{ stream: string; today: number; month: number }>;
  /** The key's own quota, else API_KEY_DAILY_QUOTA; null: unlimited. */
  dailyQuota: number | null;
  remainingToday: number | null;
  nearQuota: boolean;
  quotaReached: boolean;
}

export interface KeyUsageDeps {
  db: Database;
  clock: Clock;
  settings: Pick<OutboundSettings, 'apiKeyDailyQuota'>;
  apiKeys: Pick<ApiKeyRepository, 'listApiKeys' | 'apiKeyUsage'>;
}

function periods(now: Date) {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return {
    dayStart: new Date(Date.UTC(y, m, now.getUTCDate())),
    monthStart: new Date(Date.UTC(y, m, 1)),
  };
}

function usageOf(
  deps: KeyUsageDeps,
  key: ApiKeyRecord,
  rows: Array<{ stream: string; today: number; month: number }>,
  p: ApiKeyUsage['periods'],
): ApiKeyUsage {
  const today = rows.reduce((a, r) => a + r.today, 0);
  const quota = key.dailyQuota ?? (deps.settings.apiKeyDailyQuota || null);
  return {
    keyId: key.id,
    periods: p,
    today,
    month: rows.reduce((a, r) => a + r.month, 0),
    byStream: rows.map(({ stream, today: t, month }) => ({ stream, today: t, month })),
    dailyQuota: quota,
    remainingToday: quota === null ? null : Math.max(0, quota - today),
    nearQuota: quota !== null && today >= quota * NEAR_QUOTA,
    quotaReached: quota !== null && today >= quota,
  };
}

/** Every key's usage (one statement), in the order the keys are listed. */
export async function usageOfAll(deps: KeyUsageDeps): Promise<Map<string, ApiKeyUsage>> {
  const keys = await deps.apiKeys.listApiKeys(deps.db);
  const p = periods(deps.clock.now());
  const rows = await deps.apiKeys.apiKeyUsage(
    deps.db,
    keys.map((k) => k.id),
    { day: p.dayStart, month: p.monthStart },
  );
  return new Map(
    keys.map((k) => [
      k.id,
      usageOf(
        deps,
        k,
        rows.filter((r) => r.apiKeyId === k.id),
        p,
      ),
    ]),
  );
}

export async function usageOfKey(deps: KeyUsageDeps, id: string): Promise<ApiKeyUsage> {
  const found = (await usageOfAll(deps)).get(id);
  if (!found) throw new NotFoundError('api_key_not_found', `No API key ${id}`);
  return found;
}
