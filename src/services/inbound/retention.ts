/**
 * Retention: raw bytes are deleted after N days by status (processed 30, ignored 7 by
 * default; failed messages keep theirs so they can be reprocessed). The row and its metadata
 * stay. Attachments go with the raw bytes (a blob with its last reference). Old webhook nonces
 * go once they are past every provider's retry window; unmapped provider events are kept as
 * long as the raw bytes of processed mail.
 */
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import type {
  InboundAttachmentRepository,
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
  attachments: Pick<InboundAttachmentRepository, 'deleteExpiredAttachments'>;
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

/** Attachments of the messages whose raw bytes are gone, in batches. */
async function drainAttachments(deps: RetentionDeps, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await deps.attachments.deleteExpiredAttachments(deps.db, batch);
    total += rows;
    if (rows < batch) return total;
  }
}

async function run(
  deps: RetentionDeps,
  batch = 1000,
): Promise<{
  processed: number;
  ignored: number;
  attachments: number;
  nonces: number;
  unmappedEvents: number;
}> {
  const now = deps.clock.now();
  const { processedDays, ignoredDays, nonceDays } = deps.settings;
  return {
    processed: await drainRaw(deps, 'processed', processedDays, now, batch),
    ignored: await drainRaw(deps, 'ignored', ignoredDays, now, batch),
    attachments: await drainAttachments(deps, batch),
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
