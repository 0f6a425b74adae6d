/**
 * The send worker's rate limits: each message needs a slot on the transport's key and on each
 * recipient domain's key. The slots are taken in one short transaction of their own, so the
 * rate_limits rows stay locked only while the slots are computed, not while mail is sent.
 */
import type { OutboundMessageRecord } from '../../domain/outbound/message.js';
import { allocateSlots, type RateKey } from '../../domain/outbound/rate-limit.js';
import { domainOf } from '../../domain/outbound/recipients.js';
import type { Transport } from '../../outbound/composed-message.js';
import type { Database } from '../ports.js';
import type { RateLimitRepository } from './ports/index.js';
import type { OutboundSettings } from './settings.js';

export interface RateSlotDeps {
  db: Database;
  rateLimits: RateLimitRepository;
  settings: Pick<OutboundSettings, 'ratePerSecond' | 'domainRates' | 'inlineRateWindowMs'>;
  transport: Pick<Transport, 'name'>;
}

/** When each message may go; `inline` slots are near enough to wait for, the others are deferred. */
export type Slots = Map<string, { at: Date; inline: boolean; keys: RateKey[] }>;

function rateKeysFor(deps: RateSlotDeps, m: OutboundMessageRecord): RateKey[] {
  const { settings } = deps;
  const keys: RateKey[] = [];
  if (settings.ratePerSecond > 0)
    keys.push({ key: `transport:${deps.transport.name}`, rate: settings.ratePerSecond });
  for (const d of new Set(m.recipients.map(domainOf))) {
    const rate = settings.domainRates[d];
    if (rate && rate > 0) keys.push({ key: `domain:${d}`, rate });
  }
  return keys;
}

export async function reserveSlots(
  deps: RateSlotDeps,
  messages: OutboundMessageRecord[],
  now: Date,
): Promise<Slots> {
  const requests = messages
    .map((m) => ({ id: m.id, keys: rateKeysFor(deps, m) }))
    .filter((r) => r.keys.length > 0);
  const out: Slots = new Map();
  if (requests.length === 0) return out;
  await deps.db.transaction(async (tx) => {
    const tats = await deps.rateLimits.lockRateKeys(
      tx,
      requests.flatMap((r) => r.keys.map((k) => k.key)),
      now,
    );
    const { assignments, tats: next } = allocateSlots(
      requests,
      tats,
      now,
      deps.settings.inlineRateWindowMs,
    );
    await deps.rateLimits.saveRateKeys(tx, next);
    const keysOf = new Map(requests.map((r) => [r.id, r.keys]));
    for (const a of assignments)
      out.set(a.id, { at: a.at, inline: a.inline, keys: keysOf.get(a.id) ?? [] });
  });
  return out;
}

/**
 * The process's own spacing per rate key. A message waits for its slot before it waits for a
 * send slot; when send slots are what held it back, the messages behind it must not all go at
 * once to catch up. So each send also keeps 1/rate after this process's previous send on the
 * same key: mail is delayed, never sent faster than the limit.
 */
export interface Pacer {
  pace(keys: readonly RateKey[]): Promise<void>;
}

export function createPacer(): Pacer {
  const last = new Map<string, number>();
  return {
    async pace(keys) {
      for (;;) {
        const now = Date.now();
        const wait = Math.max(0, ...keys.map((k) => (last.get(k.key) ?? 0) + 1000 / k.rate - now));
        if (wait <= 0) break;
        await new Promise((r) => setTimeout(r, wait));
      }
      const sent = Date.now();
      for (const k of keys) last.set(k.key, sent);
    },
  };
}
