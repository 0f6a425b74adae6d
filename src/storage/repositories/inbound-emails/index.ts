/**
 * The InboundEmail repository: inbound_emails and the raw bytes apart from it in
 * inbound_email_raw. Every status change is a conditional UPDATE driven by `inboundMachine`
 * (domain/state/inbound-email.ts), so a second worker (or a stale retry) loses the race
 * instead of processing a message twice.
 */
import { inboundMachine, type InboundEvent } from '../../../domain/state/inbound-email.js';
import type { Executor } from '../../../services/ports.js';
import type {
  ClaimedInboundEmail,
  InboundEmailKeys,
  InboundEmailRow,
  InboundListFilter,
  ProcessingOutcome,
  ReceivedInboundEmail,
  ReprocessSelection,
} from '../../../services/inbound/ports.js';
import { jsonParam, one, query, rows } from '../../sql.js';
import { insertRaw } from './raw.js';

export { deleteRaw, loadRaw } from './raw.js';

const COLUMNS = `id, provider, provider_event_id, message_id, message_id_synthesized, sha256, size_bytes,
  envelope_from, envelope_to, status, reason, reason_detail, verdicts, extras, from_address, subject,
  classification, correlation, routed_to, reply, attempts, last_error, dead_at, rejection_sent_at,
  received_at, processed_at, updated_at, raw_deleted_at, repaired_fields, thread_message_id`;

type Row = Record<string, unknown>;

function toRow(r: Row): InboundEmailRow {
  return {
    id: r.id as string,
    provider: r.provider as InboundEmailRow['provider'],
    providerEventId: (r.provider_event_id as string | null) ?? null,
    messageId: r.message_id as string,
    messageIdSynthesized: r.message_id_synthesized as boolean,
    sha256: r.sha256 as string,
    sizeBytes: r.size_bytes as number,
    envelopeFrom: (r.envelope_from as string | null) ?? null,
    envelopeTo: (r.envelope_to as string[]) ?? [],
    status: r.status as InboundEmailRow['status'],
    reason: (r.reason as InboundEmailRow['reason']) ?? null,
    reasonDetail: (r.reason_detail as string | null) ?? null,
    verdicts: (r.verdicts as Record<string, string>) ?? {},
    extras: (r.extras as Record<string, string>) ?? {},
    fromAddress: (r.from_address as string | null) ?? null,
    subject: (r.subject as string | null) ?? null,
    classification: r.classification ?? null,
    correlation: r.correlation ?? null,
    routedTo: r.routed_to ?? null,
    reply: r.reply ?? null,
    attempts: r.attempts as number,
    lastError: (r.last_error as string | null) ?? null,
    deadAt: (r.dead_at as Date | null) ?? null,
    rejectionSentAt: (r.rejection_sent_at as Date | null) ?? null,
    receivedAt: r.received_at as Date,
    processedAt: (r.processed_at as Date | null) ?? null,
    updatedAt: r.updated_at as Date,
    rawDeletedAt: (r.raw_deleted_at as Date | null) ?? null,
    repairedFields: (r.repaired_fields as string[] | null) ?? [],
    threadMessageId: (r.thread_message_id as string | null) ?? null,
  };
}

/** `$2` is the event's target status, `$3` the statuses it may start from. */
const guard = (event: InboundEvent) => [
  inboundMachine.target(event),
  inboundMachine.sources(event),
];

// ---------------------------------------------------------------- receipt

// One statement for a whole batch: the nonces (when given), the rows and the raw bytes of the
// small messages. ON CONFLICT DO NOTHING without a target covers both unique keys, also between
// rows of the same batch; a concurrent twin waits for our commit, then inserts nothing. So a
// retry storm yields one row however the requests are batched. A large message's bytes follow
// in insertRaw (binary parameters), in the same transaction.
const INSERT_RECEIVED = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::int[],
                       $8::text[], $9::jsonb[], $10::jsonb[], $11::jsonb[], $12::timestamptz[], $13::jsonb[],
                       $14::text[], $15::text[], $16::bytea[])
    AS t(id, provider, provider_event_id, message_id, message_id_synthesized, sha256, size_bytes,
         envelope_from, envelope_to, verdicts, extras, received_at, repaired_fields, nonce_provider, nonce,
         raw)
), nonce AS (
  INSERT INTO webhook_nonces (provider, nonce, seen_at)
  SELECT nonce_provider, nonce, received_at FROM input WHERE nonce IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING provider, nonce
), email AS (
  INSERT INTO inbound_emails (id, provider, provider_event_id, message_id, message_id_synthesized, sha256,
    size_bytes, envelope_from, envelope_to, verdicts, extras, received_at, updated_at, status, repaired_fields)
  SELECT i.id, i.provider, i.provider_event_id, i.message_id, i.message_id_synthesized, i.sha256, i.size_bytes,
         i.envelope_from, ARRAY(SELECT jsonb_array_elements_text(i.envelope_to)), i.verdicts, i.extras,
         i.received_at, i.received_at, 'received', ARRAY(SELECT jsonb_array_elements_text(i.repaired_fields))
    FROM input i
   WHERE i.nonce IS NULL OR EXISTS (SELECT 1 FROM nonce n WHERE n.provider = i.nonce_provider AND n.nonce = i.nonce)
  ON CONFLICT DO NOTHING
  RETURNING id
), raw AS (
  INSERT INTO inbound_email_raw (inbound_email_id, raw)
  SELECT i.id, i.raw FROM input i JOIN email e ON e.id = i.id WHERE i.raw IS NOT NULL
)
SELECT id FROM email`;

/**
 * Raw bytes that travel inline (in the receipt statement's bytea[] and with the claim) up to
 * this size. pg sends and returns bytea as hex text, twice the size, so a large message is
 * written as a binary parameter and read in slices (raw.ts) instead.
 */
const INLINE_RAW_BYTES = 256 * 1024;
const isLarge = (i: ReceivedInboundEmail) => i.raw.length > INLINE_RAW_BYTES;

export async function insertReceived(
  ex: Executor,
  items: readonly ReceivedInboundEmail[],
): Promise<Set<string>> {
  const col = <T>(f: (i: ReceivedInboundEmail) => T) => items.map(f);
  const inserted = await rows<{ id: string }>(ex, INSERT_RECEIVED, [
    col((i) => i.row.id),
    col((i) => i.row.provider),
    col((i) => i.row.providerEventId),
    col((i) => i.row.messageId),
    col((i) => i.row.messageIdSynthesized),
    col((i) => i.row.sha256),
    col((i) => i.row.sizeBytes),
    col((i) => i.row.envelopeFrom),
    col((i) => jsonParam(i.row.envelopeTo)),
    col((i) => jsonParam(i.row.verdicts)),
    col((i) => jsonParam(i.row.extras)),
    col((i) => i.row.receivedAt),
    col((i) => jsonParam(i.row.repairedFields)),
    col((i) => i.nonce?.provider ?? null),
    col((i) => i.nonce?.nonce ?? null),
    col((i) => (isLarge(i) ? null : i.raw)),
  ]);
  const ids = new Set(inserted.map((r) => r.id));
  await insertRaw(
    ex,
    items.filter((i) => isLarge(i) && ids.has(i.row.id)),
  );
  return ids;
}

export async function findExisting(ex: Executor, keys: InboundEmailKeys): Promise<string | null> {
  const row = await one<{ id: string }>(
    ex,
    `SELECT id FROM inbound_emails
      WHERE (provider = $1 AND provider_event_id = $2) OR (message_id = $3 AND sha256 = $4)
      ORDER BY id LIMIT 1`,
    [keys.provider, keys.providerEventId, keys.messageId, keys.sha256],
  );
  return row?.id ?? null;
}

// ---------------------------------------------------------------- transitions

export async function claimForProcessing(
  ex: Executor,
  ids: readonly string[],
  now: Date,
): Promise<ClaimedInboundEmail[]> {
  const claimed = await rows<Row & { raw: Buffer | null }>(
    ex,
    `WITH claimed AS (
       UPDATE inbound_emails SET status = $2, attempts = attempts + 1, updated_at = $4
        WHERE id = ANY($1::uuid[]) AND status = ANY($3::text[]) RETURNING ${COLUMNS}
     )
     SELECT c.*, CASE WHEN c.size_bytes <= $5 THEN r.raw END AS raw
       FROM claimed c LEFT JOIN inbound_email_raw r ON r.inbound_email_id = c.id`,
    [ids, ...guard('start'), now, INLINE_RAW_BYTES],
  );
  return claimed.map((r) => ({ row: toRow(r), raw: r.raw ?? null }));
}

/** What each way out of `processing` writes besides the status; parameters from `$5`. */
function outcomeColumns(o: ProcessingOutcome): { set: string; values: unknown[] } {
  if (o.event === 'fail') {
    return {
      set: 'last_error = $5, dead_at = CASE WHEN $6::boolean THEN $4::timestamptz ELSE NULL END',
      values: [o.error, o.dead],
    };
  }
  return {
    set: `reason = $5, reason_detail = $6, from_address = $7, subject = $8, classification = $9,
          correlation = $10, routed_to = $11, reply = $12, thread_message_id = $13,
          last_error = NULL, dead_at = NULL, processed_at = $4,
          repaired_fields = ARRAY(SELECT DISTINCT f FROM unnest(repaired_fields || $14::text[]) f ORDER BY f)`,
    values: [
      o.reason ?? null,
      o.reasonDetail ?? null,
      o.fromAddress,
      o.subject,
      jsonParam(o.classification ?? null),
      jsonParam(o.correlation ?? null),
      jsonParam(o.routedTo ?? null),
      jsonParam(o.reply ?? null),
      o.threadMessageId ?? null,
      o.repairedFields ?? [],
    ],
  };
}

export async function transition(
  ex: Executor,
  id: string,
  outcome: ProcessingOutcome,
  now: Date,
): Promise<boolean> {
  const { set, values } = outcomeColumns(outcome);
  const { rowCount } = await query(
    ex,
    `UPDATE inbound_emails SET status = $2, updated_at = $4, ${set}
      WHERE id = $1 AND status = ANY($3::text[])`,
    [id, ...guard(outcome.event), now, ...values],
  );
  return rowCount === 1;
}

export async function reprocess(
  ex: Executor,
  select: ReprocessSelection,
  now: Date,
): Promise<string[]> {
  const moved =
    'ids' in select
      ? await rows<{ id: string }>(
          ex,
          `UPDATE inbound_emails SET status = $2, reason = NULL, reason_detail = NULL, dead_at = NULL, updated_at = $4
            WHERE id = ANY($1::uuid[]) AND status = ANY($3::text[]) AND raw_deleted_at IS NULL RETURNING id`,
          [select.ids, ...guard('reprocess'), now],
        )
      : await rows<{ id: string }>(
          ex,
          `UPDATE inbound_emails SET status = $2, reason = NULL, reason_detail = NULL, dead_at = NULL, updated_at = $4
            WHERE id IN (SELECT id FROM inbound_emails WHERE status = $1 AND status = ANY($3::text[])
                         AND raw_deleted_at IS NULL ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)
            RETURNING id`,
          [select.status, ...guard('reprocess'), now, select.limit],
        );
  return moved.map((r) => r.id);
}

// ---------------------------------------------------------------- reads

export async function get(ex: Executor, id: string): Promise<InboundEmailRow | null> {
  const row = await one<Row>(ex, `SELECT ${COLUMNS} FROM inbound_emails WHERE id = $1`, [id]);
  return row ? toRow(row) : null;
}

export async function list(ex: Executor, f: InboundListFilter): Promise<InboundEmailRow[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    values.push(v);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (f.status) add('status = ?', f.status);
  if (f.provider) add('provider = ?', f.provider);
  if (f.messageId) add('message_id = ?', f.messageId);
  if (f.before) add('id < ?::uuid', f.before);
  values.push(f.limit);
  const found = await rows<Row>(
    ex,
    `SELECT ${COLUMNS} FROM inbound_emails ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT $${values.length}`,
    values,
  );
  return found.map(toRow);
}

/** Replies to one outbound message (thread_message_id), oldest first. */
export async function listReplies(ex: Executor, messageId: string, limit: number) {
  const sql = `SELECT ${COLUMNS} FROM inbound_emails WHERE thread_message_id = $1 ORDER BY id LIMIT $2`;
  return (await rows<Row>(ex, sql, [messageId, limit])).map(toRow);
}

// ---------------------------------------------------------------- rejection and retention

export async function markRejectionSent(ex: Executor, id: string, now: Date): Promise<void> {
  await query(ex, 'UPDATE inbound_emails SET rejection_sent_at = $2 WHERE id = $1', [id, now]);
}
