/**
 * For the tests and the bench that drive the send worker's recorder without a worker: the
 * settlement of a message the server accepted, and the recorder's deps with nothing listening
 * (no suppressions to add, no webhook endpoints) over the real repository.
 */
import { silentLogger } from '../../src/lib/logger.js';
import { settle, type Settlement } from '../../src/services/outbound/deliver-outcomes.js';
import type { RecordDeps } from '../../src/services/outbound/deliver-recorder.js';
import type { ClaimedMessage } from '../../src/services/outbound/ports/index.js';
import type { Database } from '../../src/services/ports.js';
import { repositories } from '../../src/storage/index.js';

const RETRY = { baseMs: 1000, capMs: 10_000, maxAttempts: 3, maxAgeMs: 3_600_000 };

/** What the worker commits once the server said 250 to `m` and to every recipient. */
export function sentSettlement(
  m: ClaimedMessage,
  raw = Buffer.from(`Subject: ${m.subject}\r\n\r\nx\r\n`),
): Settlement {
  return settle({
    m,
    outcome: {
      id: m.id,
      kind: 'sent',
      raw,
      result: { response: '250 ok', providerMessageId: null, accepted: m.recipients, rejected: [] },
    },
    to: m.recipients,
    suppressed: [],
    expired: false,
    now: new Date(),
    retry: RETRY,
  });
}

export function quietRecordDeps(
  db: Database,
  recordOutcomes: RecordDeps['outboundMessages']['recordOutcomes'] = repositories.outboundMessages
    .recordOutcomes,
): RecordDeps {
  return {
    db,
    clock: { now: () => new Date() },
    log: silentLogger,
    transport: { name: 'smtp' },
    outboundMessages: { recordOutcomes },
    suppressions: { addSuppressions: async () => 0 },
    webhookService: { listening: async () => false, publish: async () => undefined },
  };
}
