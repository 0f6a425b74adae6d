/**
 * Retention: raw bytes are deleted after N days by status (processed 30, ignored 7 by
 * default; failed messages keep theirs so they can be reprocessed). The row and its metadata
 * stay. Attachments go with the raw bytes (a blob with its last reference). Old webhook nonces
 * go once they are past every provider's retry window; stored provider reports (delivery
 * events) after INBOUND_RETENTION_PROVIDER_EVENTS_DAYS; unmapped provider events are kept as
 * long as the raw bytes of processed mail.
 */
import type { Clock } from '../../lib/clock.js';
import { drainInBatches } from '../../lib/drain.js';
import type { Database } from '../ports.js';
import type {
  InboundAttachmentRepository,
  InboundEmailRepository,
  ProviderEventRepository,
  UnmappedProviderEventRepository,
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
  attachments: Pick<InboundAttachmentRepository, 'deleteExpiredAttachments'>;
  unmappedEvents: Pick<UnmappedProviderEventRepository, 'deleteUnmappedEvents'>;
  clock: Clock;
  settings: RetentionSettings;
}

const DAY = 86_400_000;

async function run(
  deps: RetentionDeps,
  batch = 1000,
): Promise<{
  processed: number;
  ignored: number;
  attachments: number;
  nonces: number;
  providerEvents: number;
  unmappedEvents: number;
}> {
  const { db } = deps;
  const now = deps.clock.now();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const { processedDays, ignoredDays, nonceDays, providerEventDays } = deps.settings;
  const raw = (status: 'processed' | 'ignored', days: number) =>
    drainInBatches((n) => deps.emails.deleteRaw(db, status, ago(days), n, now), batch);
  return {
    processed: await raw('processed', processedDays),
    ignored: await raw('ignored', ignoredDays),
    // Attachments of the messages whose raw bytes are gone.
    attachments: await drainInBatches(
      async (n) => (await deps.attachments.deleteExpiredAttachments(db, n)).rows,
      batch,
    ),
    nonces: await deps.nonces.deleteNonces(db, ago(nonceDays)),
    providerEvents: await drainInBatches(
      (n) => deps.providerEvents.pruneProviderEvents(db, ago(providerEventDays), n),
      batch,
    ),
    unmappedEvents: await deps.unmappedEvents.deleteUnmappedEvents(db, ago(processedDays)),
  };
}

export function createRetentionService(deps: RetentionDeps) {
  return { run: (batch?: number) => run(deps, batch) };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
