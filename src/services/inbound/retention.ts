/**
 * Retention: raw bytes are deleted after N days by status (processed 30, ignored 7 by
 * default; failed messages keep theirs so they can be reprocessed). The row and its metadata
 * stay. Old webhook nonces go once they are past every provider's retry window, and stored
 * provider reports (delivery events) after INBOUND_RETENTION_PROVIDER_EVENTS_DAYS.
 */
import type { Clock } from '../../lib/clock.js';
import { drainInBatches } from '../../lib/drain.js';
import type { Database } from '../ports.js';
import type {
  InboundEmailRepository,
  ProviderEventRepository,
  WebhookNonceRepository,
} from './ports.js';

export interface RetentionSettings {
  processedDays: number;
  ignoredDays: number;
  nonceDays: number;
  providerEventDays: number;
}

export interface RetentionDeps {
  db: Database;
  emails: Pick<InboundEmailRepository, 'deleteRaw'>;
  nonces: Pick<WebhookNonceRepository, 'deleteNonces'>;
  providerEvents: Pick<ProviderEventRepository, 'pruneProviderEvents'>;
  clock: Clock;
  settings: RetentionSettings;
}

const DAY = 86_400_000;

async function run(
  deps: RetentionDeps,
  batch = 1000,
): Promise<{ processed: number; ignored: number; nonces: number; providerEvents: number }> {
  const { db } = deps;
  const now = deps.clock.now();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const { processedDays, ignoredDays, nonceDays, providerEventDays } = deps.settings;
  const raw = (status: 'processed' | 'ignored', days: number) =>
    drainInBatches((n) => deps.emails.deleteRaw(db, status, ago(days), n, now), batch);
  return {
    processed: await raw('processed', processedDays),
    ignored: await raw('ignored', ignoredDays),
    nonces: await deps.nonces.deleteNonces(db, ago(nonceDays)),
    providerEvents: await drainInBatches(
      (n) => deps.providerEvents.pruneProviderEvents(db, ago(providerEventDays), n),
      batch,
    ),
  };
}

export function createRetentionService(deps: RetentionDeps) {
  return { run: (batch?: number) => run(deps, batch) };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
