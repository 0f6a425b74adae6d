/**
 * SQL for inbound_emails, inbound_email_raw, webhook_nonces, provider_events and
 * inbound_rejection_limits. Every status change is a conditional UPDATE, so a second worker
 * (or a stale retry) loses the race instead of processing a message twice.
 */
import { query } from '../sql.js';
import { newId } from '../../lib/ids.js';
import { inboundMachine } from '../../domain/state/inbound-email.js';
import type { Database, Executor } from '../../services/ports.js';
import type {
  InboundEmailRow,
  InboundListFilter,
  InboundStore,
} from '../../services/inbound/ports.js';

const COLUMNS = `id, provider, provider_event_id, message_id, message_id_synthesized, sha256, size_bytes,
  envelope_from, envelope_to, status, reason, reason_detail, verdicts, extras, from_address, subject,
  classification, correlation, routed_to, reply, attempts, last_error, dead_at, rejection_sent_at,
  received_at, processed_at, updated_at, raw_deleted_at`;

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
  };
}

// One statement for a whole batch: the nonces (when given), the rows and the raw bytes.
// ON CONFLICT DO NOTHING without a target covers both unique keys, also between rows of the
// same batch; a concurrent twin waits for our commit, then inserts nothing. So a retry storm
// yields one row however the requests are batched.
const INSERT_RECEIVED = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::int[],
                       $8::text[], $9::jsonb[], $10::jsonb[], $11::jsonb[], $12::timestamptz[], $13::bytea[],
                       $14::text[], $15::text[])
    AS t(id, provider, provider_event_id, message_id, message_id_synthesized, sha256, size_bytes,
         envelope_from, envelope_to, verdicts, extras, received_at, raw, nonce_provider, nonce)
), nonce AS (
  INSERT INTO webhook_nonces (provider, nonce, seen_at)
  SELECT nonce_provider, nonce, received_at FROM input WHERE nonce IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING provider, nonce
), email AS (
  INSERT INTO inbound_emails (id, provider, provider_event_id, message_id, message_id_synthesized, sha256,
    size_bytes, envelope_from, envelope_to, verdicts, extras, received_at, updated_at, status)
  SELECT i.id, i.provider, i.provider_event_id, i.message_id, i.message_id_synthesized, i.sha256, i.size_bytes,
         i.envelope_from, ARRAY(SELECT jsonb_array_elements_text(i.envelope_to)), i.verdicts, i.extras,
         i.received_at, i.received_at, 'received'
    FROM input i
   WHERE i.nonce IS NULL OR EXISTS (SELECT 1 FROM nonce n WHERE n.provider = i.nonce_provider AND n.nonce = i.nonce)
  ON CONFLICT DO NOTHING
  RETURNING id
), raw AS (
  INSERT INTO inbound_email_raw (inbound_email_id, raw) SELECT i.id, i.raw FROM input i JOIN email e ON e.id = i.id
)
SELECT id FROM email`;

export function createInboundStore(db: Database): InboundStore {
  return {
    async insertReceived(tx: Executor, items) {
      const col = <T>(f: (i: (typeof items)[number]) => T) => items.map(f);
      const { rows } = await query<{ id: string }>(tx, INSERT_RECEIVED, [
        col((i) => i.row.id),
        col((i) => i.row.provider),
        col((i) => i.row.providerEventId),
        col((i) => i.row.messageId),
        col((i) => i.row.messageIdSynthesized),
        col((i) => i.row.sha256),
        col((i) => i.row.sizeBytes),
        col((i) => i.row.envelopeFrom),
        col((i) => JSON.stringify(i.row.envelopeTo)),
        col((i) => JSON.stringify(i.row.verdicts)),
        col((i) => JSON.stringify(i.row.extras)),
        col((i) => i.row.receivedAt),
        col((i) => i.raw),
        col((i) => i.nonce?.provider ?? null),
        col((i) => i.nonce?.nonce ?? null),
      ]);
      return new Set(rows.map((r) => r.id));
    },

    async findExisting(row) {
      const { rows } = await query<{ id: string }>(
        db,
        `SELECT id FROM inbound_emails
          WHERE (provider = $1 AND provider_event_id = $2) OR (message_id = $3 AND sha256 = $4)
          ORDER BY id LIMIT 1`,
        [row.provider, row.providerEventId, row.messageId, row.sha256],
      );
      return rows[0]?.id ?? null;
    },

    async claimForProcessing(id, now) {
      const { rows } = await query<Row>(
        db,
        `UPDATE inbound_emails SET status = 'processing', attempts = attempts + 1, updated_at = $3
          WHERE id = $1 AND status = ANY($2::text[]) RETURNING ${COLUMNS}`,
        [id, inboundMachine.sources('start'), now],
      );
      return rows[0] ? toRow(rows[0]) : null;
    },

    async claimManyForProcessing(ids, now) {
      const { rows } = await query<Row & { raw: Buffer | null }>(
        db,
        `WITH claimed AS (
           UPDATE inbound_emails SET status = 'processing', attempts = attempts + 1, updated_at = $3
            WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[]) RETURNING ${COLUMNS}
         )
         SELECT c.*, r.raw FROM claimed c LEFT JOIN inbound_email_raw r ON r.inbound_email_id = c.id`,
        [ids, inboundMachine.sources('start'), now],
      );
      return rows.map((r) => ({ row: toRow(r), raw: r.raw ?? null }));
    },

    async loadRaw(id) {
      const { rows } = await query<{ raw: Buffer }>(
        db,
        'SELECT raw FROM inbound_email_raw WHERE inbound_email_id = $1',
        [id],
      );
      return rows[0]?.raw ?? null;
    },

    async settle(id, p, now) {
      const { rowCount } = await query(
        db,
        `UPDATE inbound_emails SET status = $2, reason = $3, reason_detail = $4, from_address = $5, subject = $6,
            classification = $7, correlation = $8, routed_to = $9, reply = $10, last_error = NULL, dead_at = NULL,
            processed_at = $11, updated_at = $11
          WHERE id = $1 AND status = 'processing'`,
        [
          id,
          p.status,
          p.reason ?? null,
          p.reasonDetail ?? null,
          p.fromAddress,
          p.subject,
          JSON.stringify(p.classification ?? null),
          JSON.stringify(p.correlation ?? null),
          JSON.stringify(p.routedTo ?? null),
          JSON.stringify(p.reply ?? null),
          now,
        ],
      );
      return rowCount === 1;
    },

    async markFailed(id, error, dead, now) {
      const { rowCount } = await query(
        db,
        `UPDATE inbound_emails SET status = 'failed', last_error = $2, dead_at = CASE WHEN $3::boolean THEN $4::timestamptz ELSE NULL END,
            updated_at = $4
          WHERE id = $1 AND status = 'processing'`,
        [id, error, dead, now],
      );
      return rowCount === 1;
    },

    async reprocess(select, now) {
      const from = inboundMachine.sources('reprocess');
      const { rows } =
        'ids' in select
          ? await query<{ id: string }>(
              db,
              `UPDATE inbound_emails SET status = 'received', reason = NULL, reason_detail = NULL, dead_at = NULL, updated_at = $3
                WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[]) AND raw_deleted_at IS NULL RETURNING id`,
              [select.ids, from, now],
            )
          : await query<{ id: string }>(
              db,
              `UPDATE inbound_emails SET status = 'received', reason = NULL, reason_detail = NULL, dead_at = NULL, updated_at = $4
                WHERE id IN (SELECT id FROM inbound_emails WHERE status = $1 AND status = ANY($2::text[])
                             AND raw_deleted_at IS NULL ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING id`,
              [select.status, from, select.limit, now],
            );
      return rows.map((r) => r.id);
    },

    async get(id) {
      const { rows } = await query<Row>(db, `SELECT ${COLUMNS} FROM inbound_emails WHERE id = $1`, [
        id,
      ]);
      return rows[0] ? toRow(rows[0]) : null;
    },

    async list(f: InboundListFilter) {
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
      const { rows } = await query<Row>(
        db,
        `SELECT ${COLUMNS} FROM inbound_emails ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY id DESC LIMIT $${values.length}`,
        values,
      );
      return rows.map(toRow);
    },

    async deleteRaw(status, before, limit, now) {
      const { rowCount } = await query(
        db,
        `WITH doomed AS (
           SELECT id FROM inbound_emails
            WHERE status = $1 AND processed_at < $2 AND raw_deleted_at IS NULL
            ORDER BY processed_at LIMIT $3 FOR UPDATE SKIP LOCKED
         ), gone AS (
           DELETE FROM inbound_email_raw WHERE inbound_email_id IN (SELECT id FROM doomed)
         )
         UPDATE inbound_emails SET raw_deleted_at = $4 WHERE id IN (SELECT id FROM doomed)`,
        [status, before, limit, now],
      );
      return rowCount ?? 0;
    },

    async deleteNonces(before) {
      const { rowCount } = await query(db, 'DELETE FROM webhook_nonces WHERE seen_at < $1', [
        before,
      ]);
      return rowCount ?? 0;
    },

    async claimRejectionSlot(address, reason, now) {
      const { rowCount } = await query(
        db,
        `INSERT INTO inbound_rejection_limits (address, reason, last_sent_at) VALUES ($1, $2, $3)
         ON CONFLICT (address, reason) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at
           WHERE inbound_rejection_limits.last_sent_at <= EXCLUDED.last_sent_at - interval '24 hours'`,
        [address, reason, now],
      );
      return rowCount === 1;
    },

    async markRejectionSent(id, now) {
      await query(db, 'UPDATE inbound_emails SET rejection_sent_at = $2 WHERE id = $1', [id, now]);
    },

    async insertProviderEvents(events, source, now, nonce) {
      return db.transaction(async (tx) => {
        if (nonce) {
          const { rowCount } = await query(
            tx,
            'INSERT INTO webhook_nonces (provider, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
            [nonce.provider, nonce.nonce, now],
          );
          if (rowCount === 0) return [];
        }
        const out: Array<{ rowId: string; event: (typeof events)[number] }> = [];
        for (const e of events) {
          // A retried event (same provider id) that was already handed on is skipped; one
          // that was stored but not yet handed on (crash in between) is returned again.
          const { rows } = await query<{ id: string; matched: boolean | null }>(
            tx,
            `INSERT INTO provider_events (id, provider, event_id, type, message_id, provider_message_id, recipient,
                bounce, reason, occurred_at, received_at, source, payload)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (provider, event_id, type, recipient) WHERE event_id IS NOT NULL
               DO UPDATE SET received_at = provider_events.received_at
             RETURNING id, matched`,
            [
              newId(now.getTime()),
              e.provider,
              e.eventId,
              e.type,
              e.messageId ?? null,
              e.providerMessageId ?? null,
              e.recipient ?? null,
              e.bounce ?? null,
              e.reason?.slice(0, 2000) ?? null,
              e.at,
              now,
              source,
              e.raw === undefined ? null : JSON.stringify(e.raw),
            ],
          );
          const r = rows[0]!;
          if (r.matched === null) out.push({ rowId: r.id, event: e });
        }
        return out;
      });
    },

    async setEventMatched(rowId, matched) {
      await query(db, 'UPDATE provider_events SET matched = $2 WHERE id = $1', [rowId, matched]);
    },
  };
}
