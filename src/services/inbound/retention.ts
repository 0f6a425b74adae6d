/**
 * Retention: raw bytes are deleted after N days by status (processed 30, ignored 7 by
 * default; failed messages keep theirs so they can be reprocessed). The row and its metadata
 * stay. Old webhook nonces go once they are past every provider's retry window; unmapped
 * provider events are kept as long as the raw bytes of processed mail.
 */
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import type {
  InboundEmailRepository,
  UnmappedProviderEventRepository,
  WebhookNonceRepository,
} from './ports.js';

export interface RetentionSettings {
  processedDays: number;
  ignoredDays: number;
  nonceDays: number;
}

export interface RetentionDeps {
  db: Database;
  emails: Pick<InboundEmailRepository, 'deleteRaw'>;
  nonces: Pick<WebhookNonceRepository, 'deleteNonces'>;
  unmappedEvents: Pick<UnmappedProviderEventRepository, 'deleteUnmappedEvents'>;
  clock: Clock;
  settings: RetentionSettings;
}

const DAY = 86_400_000;

/** Deletes in batches of `batch` so no statement holds many row locks for long. */
async function drainRaw(
  deps: RetentionDeps,
  status: 'processed' | 'ignored',
  days: number,
  now: Date,
  batch: number,
): Promise<number> {
  const before = new Date(now.getTime() - days * DAY);
  let total = 0;
  for (;;) {
    const n = await deps.emails.deleteRaw(deps.db, status, before, batch, now);
    total += n;
    if (n < batch) return total;
  }
}

async function run(
  deps: RetentionDeps,
  batch = 1000,
): Promise<{ processed: number; ignored: number; nonces: number; unmappedEvents: number }> {
  const now = deps.clock.now();
  const { processedDays, ignoredDays, nonceDays } = deps.settings;
  return {
    processed: await drainRaw(deps, 'processed', processedDays, now, batch),
    ignored: await drainRaw(deps, 'ignored', ignoredDays, now, batch),
    nonces: await deps.nonces.deleteNonces(deps.db, new Date(now.getTime() - nonceDays * DAY)),
    unmappedEvents: await deps.unmappedEvents.deleteUnmappedEvents(
      deps.db,
      new Date(now.getTime() - processedDays * DAY),
    ),
  };
}

export function createRetentionService(deps: RetentionDeps) {
  return { run: (batch?: number) => run(deps, batch) };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
