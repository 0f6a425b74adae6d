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
import { boundedKey, TextRepairs } from '../../lib/safe-text.js';
import { normalizeMessageId } from '../../domain/inbound/dsn.js';
import type { RawInbound } from '../../inbound/providers/types.js';
import type { Database, JobQueue } from '../ports.js';
import { PROCESS_QUEUE } from './job-payloads.js';
import type { InboundEmailRepository, NewInboundEmail, ReceivedInboundEmail } from './ports.js';

export interface ReceiveDeps {
  db: Database;
  emails: Pick<InboundEmailRepository, 'insertReceived' | 'findExisting'>;
  queue: JobQueue;
  clock: Clock;
}

export interface ReceiveResult {
  id: string | null;
  duplicate: boolean;
}

const HEADER_SCAN_BYTES = 256 * 1024;
/** RFC 5322 caps a line at 998 characters; a longer "Message-ID" is not one. */
const MAX_MESSAGE_ID = 998;

/** Message-ID from the header block only, without a full MIME parse. */
export function scanMessageId(raw: Buffer): string | null {
  const head = raw.subarray(0, HEADER_SCAN_BYTES).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]*$/im.exec(block);
  return m && m[1]!.length <= MAX_MESSAGE_ID ? normalizeMessageId(m[1]!) : null;
}

/**
 * The row for a received message. The raw bytes are kept exactly as sent; every text field
 * taken from the request is made safe for PostgreSQL first (lib/safe-text.ts), and the fields
 * that needed it are named in `repairedFields`. Values in unique keys are bounded in length.
 */
export function describeRaw(input: RawInbound, now: Date): NewInboundEmail {
  const fix = new TextRepairs();
  const sha256 = createHash('sha256').update(input.raw).digest('hex');
  const found = scanMessageId(input.raw);
  const messageId = found === null ? null : boundedKey(fix.text('message_id', found), 500);
  const eventId = fix.optional('provider_event_id', input.providerEventId);
  return {
    id: newId(now.getTime()),
    provider: input.provider,
    providerEventId: eventId === null ? null : boundedKey(eventId),
    messageId: messageId ?? `${sha256}@synthesized.postroom`,
    messageIdSynthesized: messageId === null,
    sha256,
    sizeBytes: input.raw.length,
    envelopeFrom: fix.optional('envelope.from', input.envelope.from)?.slice(0, 998) ?? null,
    envelopeTo: input.envelope.to
      .map((t) => fix.text('envelope.to', t).trim().toLowerCase().slice(0, 998))
      .filter(Boolean),
    verdicts: fix.json('verdicts', input.verdicts),
    extras: fix.json('extras', input.extras),
    repairedFields: fix.list(),
    receivedAt: now,
  };
}

interface Pending extends ReceivedInboundEmail {
  resolve(r: ReceiveResult): void;
  reject(err: unknown): void;
}

/**
 * Requests that arrive while a receipt transaction is committing are written together in the
 * next one (group commit): one statement for the rows, one for the jobs, one COMMIT, however
 * many messages. At low load a batch is one message and nothing waits; under load the round
 * trips and fsyncs per message fall, which is what keeps ingress near a bare INSERT (bench/).
 * Every caller still answers only after its own row is committed.
 */
interface GroupCommit {
  deps: ReceiveDeps;
  maxBatch: number;
  maxConcurrent: number;
  waiting: Pending[];
  running: number;
}

/** One transaction: the rows (with raw bytes and nonces) and a processing job for each new one. */
async function writeBatch(deps: ReceiveDeps, batch: Pending[]): Promise<Set<string>> {
  return deps.db.transaction(async (tx) => {
    const inserted = await deps.emails.insertReceived(tx, batch);
    const jobs = batch
      .filter((p) => inserted.has(p.row.id))
      .map((p) => ({ data: { inboundEmailId: p.row.id } }));
    if (jobs.length > 0) await deps.queue.sendMany(PROCESS_QUEUE, jobs, { tx });
    return inserted;
  });
}

/** A duplicate answers with the id of the row it duplicates, so every retry gets the same 2xx. */
function answer(deps: ReceiveDeps, batch: Pending[], inserted: Set<string>): void {
  for (const p of batch) {
    if (inserted.has(p.row.id)) {
      p.resolve({ id: p.row.id, duplicate: false });
    } else {
      deps.emails
        .findExisting(deps.db, p.row)
        .then((id) => p.resolve({ id, duplicate: true }), p.reject);
    }
  }
}

/** If a batch fails, its messages are retried one by one, so one bad message cannot fail the others. */
async function commit(deps: ReceiveDeps, batch: Pending[]): Promise<void> {
  try {
    answer(deps, batch, await writeBatch(deps, batch));
  } catch (err) {
    if (batch.length === 1) {
      batch[0]!.reject(err);
      return;
    }
    for (const p of batch) {
      try {
        answer(deps, [p], await writeBatch(deps, [p]));
      } catch (one) {
        p.reject(one);
      }
    }
  }
}

/** Starts a transaction for the waiting requests while fewer than `maxConcurrent` are open. */
function pump(gc: GroupCommit): void {
  while (gc.running < gc.maxConcurrent && gc.waiting.length > 0) {
    const batch = gc.waiting.splice(0, gc.maxBatch);
    gc.running++;
    void commit(gc.deps, batch).finally(() => {
      gc.running--;
      pump(gc);
    });
  }
}

function receive(gc: GroupCommit, input: RawInbound, nonce?: string): Promise<ReceiveResult> {
  const row = describeRaw(input, gc.deps.clock.now());
  return new Promise((resolve, reject) => {
    gc.waiting.push({
      row,
      raw: input.raw,
      ...(nonce ? { nonce: { provider: input.provider, nonce: boundedKey(nonce) } } : {}),
      resolve,
      reject,
    });
    pump(gc);
  });
}

export function createReceiveService(
  deps: ReceiveDeps,
  options: { maxBatch?: number; maxConcurrent?: number } = {},
) {
  const gc: GroupCommit = {
    deps,
    maxBatch: options.maxBatch ?? 100,
    maxConcurrent: options.maxConcurrent ?? 3,
    waiting: [],
    running: 0,
  };
  return {
    receive: (input: RawInbound, nonce?: string) => receive(gc, input, nonce),
  };
}

export type ReceiveService = ReturnType<typeof createReceiveService>;
