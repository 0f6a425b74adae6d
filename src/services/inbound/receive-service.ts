/**
 * Receipt: the only thing a webhook request does after authentication. In one transaction it
 * inserts the InboundEmail row (status `received`), stores the raw bytes apart from it and
 * enqueues the processing job; the caller answers 2xx only after that commit.
 *
 * Idempotency comes before side effects: the unique keys (provider, provider_event_id) and
 * (message_id, sha256), and the provider's replay nonce, are all checked by the same INSERT,
 * so a retry storm of one payload yields exactly one row and every request the same 2xx.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { normalizeMessageId } from '../../domain/inbound/dsn.js';
import type { RawInbound } from '../../inbound/providers/types.js';
import type { Database, JobQueue } from '../ports.js';
import { PROCESS_QUEUE } from './job-payloads.js';
import type { InboundStore, NewInboundEmail } from './ports.js';

export interface ReceiveDeps {
  db: Database;
  store: InboundStore;
  queue: JobQueue;
  clock: Clock;
}

export interface ReceiveResult {
  id: string | null;
  duplicate: boolean;
}

const HEADER_SCAN_BYTES = 256 * 1024;

/** Message-ID from the header block only, without a full MIME parse. */
export function scanMessageId(raw: Buffer): string | null {
  const head = raw.subarray(0, HEADER_SCAN_BYTES).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]*$/im.exec(block);
  return m ? normalizeMessageId(m[1]!) : null;
}

export function describeRaw(input: RawInbound, now: Date): NewInboundEmail {
  const sha256 = createHash('sha256').update(input.raw).digest('hex');
  const found = scanMessageId(input.raw);
  return {
    id: newId(now.getTime()),
    provider: input.provider,
    providerEventId: input.providerEventId,
    messageId: found ?? `${sha256}@synthesized.postroom`,
    messageIdSynthesized: found === null,
    sha256,
    sizeBytes: input.raw.length,
    envelopeFrom: input.envelope.from,
    envelopeTo: input.envelope.to.map((t) => t.trim().toLowerCase()).filter(Boolean),
    verdicts: input.verdicts,
    extras: input.extras,
    receivedAt: now,
  };
}

interface Pending {
  row: NewInboundEmail;
  raw: Buffer;
  nonce?: { provider: string; nonce: string };
  resolve(r: ReceiveResult): void;
  reject(err: unknown): void;
}

/**
 * Requests that arrive while a receipt transaction is committing are written together in the
 * next one (group commit): one statement for the rows, one for the jobs, one COMMIT, however
 * many messages. At low load a batch is one message and nothing waits; under load the round
 * trips and fsyncs per message fall, which is what keeps ingress near a bare INSERT (bench/).
 * Every caller still answers only after its own row is committed. If a batch fails, its
 * messages are retried one by one, so one bad message cannot fail the others.
 */
export function createReceiveService(
  deps: ReceiveDeps,
  options: { maxBatch?: number; maxConcurrent?: number } = {},
) {
  const maxBatch = options.maxBatch ?? 100;
  const maxConcurrent = options.maxConcurrent ?? 3;
  const queue: Pending[] = [];
  let running = 0;

  async function write(batch: Pending[]): Promise<Set<string>> {
    return deps.db.transaction(async (tx) => {
      const inserted = await deps.store.insertReceived(tx, batch);
      const jobs = batch
        .filter((p) => inserted.has(p.row.id))
        .map((p) => ({ data: { inboundEmailId: p.row.id } }));
      if (jobs.length > 0) await deps.queue.sendMany(PROCESS_QUEUE, jobs, { tx });
      return inserted;
    });
  }

  async function settle(batch: Pending[], inserted: Set<string>): Promise<void> {
    for (const p of batch) {
      if (inserted.has(p.row.id)) {
        p.resolve({ id: p.row.id, duplicate: false });
      } else {
        deps.store.findExisting(p.row).then((id) => p.resolve({ id, duplicate: true }), p.reject);
      }
    }
  }

  async function run(batch: Pending[]): Promise<void> {
    try {
      await settle(batch, await write(batch));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      for (const p of batch) {
        try {
          await settle([p], await write([p]));
        } catch (one) {
          p.reject(one);
        }
      }
    }
  }

  function pump(): void {
    while (running < maxConcurrent && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      running++;
      void run(batch).finally(() => {
        running--;
        pump();
      });
    }
  }

  return {
    receive(input: RawInbound, nonce?: string): Promise<ReceiveResult> {
      const row = describeRaw(input, deps.clock.now());
      return new Promise((resolve, reject) => {
        queue.push({
          row,
          raw: input.raw,
          ...(nonce ? { nonce: { provider: input.provider, nonce } } : {}),
          resolve,
          reject,
        });
        pump();
      });
    },
  };
}

export type ReceiveService = ReturnType<typeof createReceiveService>;
