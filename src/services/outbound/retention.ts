/**
 * Outbound retention, run daily (the `outbound.retention` schedule): the MIME of settled
 * messages after OUTBOUND_RETENTION_RAW_DAYS, their timeline rows after
 * OUTBOUND_RETENTION_EVENTS_DAYS, finished webhook deliveries (with their attempts) after
 * WEBHOOK_RETENTION_DAYS, and idempotency keys past their own expiry. The message rows and their
 * recipients' deliveries stay: they are the record the API, the dashboard and reply threading
 * read. Mail still waiting to be (re)sent is never touched.
 */
import type { Clock } from '../../lib/clock.js';
import { drainInBatches } from '../../lib/drain.js';
import type { Database } from '../ports.js';
import type {
  IdempotencyKeyRepository,
  OutboundMessageRepository,
  WebhookEndpointRepository,
} from './ports/index.js';

export interface OutboundRetentionSettings {
  rawDays: number;
  eventsDays: number;
  webhookDays: number;
}

export interface OutboundRetentionDeps {
  db: Database;
  clock: Clock;
  retention: OutboundRetentionSettings;
  outboundMessages: Pick<OutboundMessageRepository, 'pruneRaw' | 'pruneEvents'>;
  webhookEndpoints: Pick<WebhookEndpointRepository, 'pruneDeliveries'>;
  idempotencyKeys: Pick<IdempotencyKeyRepository, 'pruneIdempotencyKeys'>;
}

export interface OutboundRetentionResult {
  raw: number;
  events: number;
  webhookDeliveries: number;
  idempotencyKeys: number;
}

const DAY = 86_400_000;

async function run(deps: OutboundRetentionDeps, batch: number): Promise<OutboundRetentionResult> {
  const { db, retention: r } = deps;
  const now = deps.clock.now();
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  return {
    raw: await drainInBatches((n) => deps.outboundMessages.pruneRaw(db, ago(r.rawDays), n), batch),
    events: await drainInBatches(
      (n) => deps.outboundMessages.pruneEvents(db, ago(r.eventsDays), n),
      batch,
    ),
    webhookDeliveries: await drainInBatches(
      (n) => deps.webhookEndpoints.pruneDeliveries(db, ago(r.webhookDays), n),
      batch,
    ),
    idempotencyKeys: await drainInBatches(
      (n) => deps.idempotencyKeys.pruneIdempotencyKeys(db, now, n),
      batch,
    ),
  };
}

export interface OutboundRetentionService {
  run(batch?: number): Promise<OutboundRetentionResult>;
}

export function createOutboundRetentionService(
  deps: OutboundRetentionDeps,
): OutboundRetentionService {
  return { run: (batch = 1000) => run(deps, batch) };
}
