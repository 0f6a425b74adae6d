/**
 * SQL for outbound messages: insert at accept time, read for the API, and every status change
 * as a conditional UPDATE (`status = ANY($from)`) that writes its message_events row in the
 * same statement. A transition whose guard no longer holds simply does not happen: the caller
 * sees which ids moved and which did not.
 */
import { query } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import type {
  TransitionedRow,
  TransitionOptions,
  TransitionRow,
} from '../../../services/outbound/ports.js';
import type { ThreadMatch } from '../../../services/inbound/ports.js';
import type {
  NewOutboundMessage,
  OutboundMessageRecord,
  MessageEventRecord,
} from '../../../domain/outbound/message.js';
import type { OutboundEvent, OutboundStatus } from '../../../domain/state/outbound-message.js';
import { outboundMachine } from '../../../domain/state/outbound-message.js';

const COLUMNS = `id, status, stream, kind, priority, from_address, to_addresses, cc_addresses, bcc_addresses,
  reply_to, recipients, subject, html, text, headers, attachments, tags, metadata, template_name,
  template_version, in_reply_to, "references", list_unsubscribe, message_id_header, provider_message_id,
  api_key_id, batch_id, send_at, expires_at, attempts, next_attempt_at, lease_until, possibly_duplicate,
  last_error, last_smtp_code, created_at, updated_at, sent_at`;

type Row = Record<string, unknown>;

export function toRecord(r: Row): OutboundMessageRecord {
  return {
    id: r.id as string,
    status: r.status as OutboundStatus,
    stream: r.stream as OutboundMessageRecord['stream'],
    kind: r.kind as OutboundMessageRecord['kind'],
    priority: r.priority as number,
    from: r.from_address as OutboundMessageRecord['from'],
    to: r.to_addresses as OutboundMessageRecord['to'],
    cc: r.cc_addresses as OutboundMessageRecord['cc'],
    bcc: r.bcc_addresses as OutboundMessageRecord['bcc'],
    replyTo: r.reply_to as OutboundMessageRecord['replyTo'],
    recipients: r.recipients as string[],
    subject: r.subject as string,
    html: (r.html as string | null) ?? null,
    text: (r.text as string | null) ?? null,
    headers: r.headers as Record<string, string>,
    attachments: r.attachments as OutboundMessageRecord['attachments'],
    tags: r.tags as string[],
    metadata: r.metadata as Record<string, unknown>,
    templateName: (r.template_name as string | null) ?? null,
    templateVersion: (r.template_version as number | null) ?? null,
    inReplyTo: (r.in_reply_to as string | null) ?? null,
    references: r.references as string[],
    listUnsubscribe: (r.list_unsubscribe as OutboundMessageRecord['listUnsubscribe']) ?? null,
    messageIdHeader: r.message_id_header as string,
    providerMessageId: (r.provider_message_id as string | null) ?? null,
    apiKeyId: (r.api_key_id as string | null) ?? null,
    batchId: (r.batch_id as string | null) ?? null,
    sendAt: (r.send_at as Date | null) ?? null,
    expiresAt: r.expires_at as Date,
    attempts: r.attempts as number,
    nextAttemptAt: (r.next_attempt_at as Date | null) ?? null,
    leaseUntil: (r.lease_until as Date | null) ?? null,
    possiblyDuplicate: r.possibly_duplicate as boolean,
    lastError: (r.last_error as string | null) ?? null,
    lastSmtpCode: (r.last_smtp_code as number | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    sentAt: (r.sent_at as Date | null) ?? null,
  };
}

/** One statement for the rows and one for their first events, however many messages. */
export async function insertMessages(
  ex: Executor,
  messages: NewOutboundMessage[],
  now: Date,
): Promise<void> {
  if (messages.length === 0) return;
  const rows = messages.map((m) => ({
    id: m.id,
    status: m.status,
    stream: m.stream,
    kind: m.kind,
    priority: m.priority,
    from_address: m.from,
    to_addresses: m.to,
    cc_addresses: m.cc,
    bcc_addresses: m.bcc,
    reply_to: m.replyTo,
    recipients: m.recipients,
    subject: m.subject,
    html: m.html,
    text: m.text,
    headers: m.headers,
    attachments: m.attachments,
    tags: m.tags,
    metadata: m.metadata,
    template_name: m.templateName,
    template_version: m.templateVersion,
    in_reply_to: m.inReplyTo,
    references: m.references,
    list_unsubscribe: m.listUnsubscribe,
    message_id_header: m.messageIdHeader,
    api_key_id: m.apiKeyId,
    batch_id: m.batchId,
    send_at: m.sendAt,
    expires_at: m.expiresAt,
    next_attempt_at: m.status === 'scheduled' ? m.sendAt : null,
    reason: m.reason,
  }));
  await query(
    ex,
    `WITH v AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
         id uuid, status text, stream text, kind text, priority int, from_address jsonb, to_addresses jsonb,
         cc_addresses jsonb, bcc_addresses jsonb, reply_to jsonb, recipients text[], subject text, html text,
         text text, headers jsonb, attachments jsonb, tags text[], metadata jsonb, template_name text,
         template_version int, in_reply_to text, "references" text[], list_unsubscribe jsonb,
         message_id_header text, api_key_id uuid, batch_id uuid, send_at timestamptz, expires_at timestamptz,
         next_attempt_at timestamptz, reason text)
     ), ins AS (
       INSERT INTO outbound_messages (id, status, stream, kind, priority, from_address, to_addresses,
         cc_addresses, bcc_addresses, reply_to, recipients, subject, html, text, headers, attachments, tags,
         metadata, template_name, template_version, in_reply_to, "references", list_unsubscribe,
         message_id_header, api_key_id, batch_id, send_at, expires_at, next_attempt_at, created_at, updated_at)
       SELECT id, status, stream, kind, priority, from_address, to_addresses, cc_addresses, bcc_addresses,
         reply_to, recipients, subject, html, text, headers, attachments, tags, metadata, template_name,
         template_version, in_reply_to, "references", list_unsubscribe, message_id_header, api_key_id, batch_id,
         send_at, expires_at, next_attempt_at, $2, $2
       FROM v
     )
     INSERT INTO message_events (message_id, type, from_status, to_status, reason, at)
     SELECT id, 'created', NULL, status, reason, $2 FROM v`,
    [JSON.stringify(rows), now],
  );
}

export async function getMessage(ex: Executor, id: string): Promise<OutboundMessageRecord | null> {
  const { rows } = await query(ex, `SELECT ${COLUMNS} FROM outbound_messages WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function getMessages(
  ex: Executor,
  ids: readonly string[],
): Promise<OutboundMessageRecord[]> {
  const { rows } = await query(
    ex,
    `SELECT ${COLUMNS} FROM outbound_messages WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map(toRecord);
}

export async function getMessageStatuses(
  ex: Executor,
  ids: readonly string[],
): Promise<Array<{ id: string; status: OutboundStatus }>> {
  const { rows } = await query<{ id: string; status: OutboundStatus }>(
    ex,
    `SELECT id, status FROM outbound_messages WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

export interface MessageFilter {
  status?: OutboundStatus[] | undefined;
  tag?: string | undefined;
  to?: string | undefined;
  since?: Date | undefined;
  batchId?: string | undefined;
  /** keyset: ids are UUIDv7, so "older than this id" pages by creation time */
  before?: string | undefined;
  limit: number;
}

export async function listMessages(
  ex: Executor,
  f: MessageFilter,
): Promise<OutboundMessageRecord[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  if (f.status?.length) where.push(`status = ANY(${p(f.status)}::text[])`);
  if (f.tag) where.push(`tags @> ARRAY[${p(f.tag)}]::text[]`);
  if (f.to) where.push(`recipients @> ARRAY[${p(f.to.toLowerCase())}]::text[]`);
  if (f.since) where.push(`created_at >= ${p(f.since)}`);
  if (f.batchId) where.push(`batch_id = ${p(f.batchId)}`);
  if (f.before) where.push(`id < ${p(f.before)}`);
  const { rows } = await query(
    ex,
    `SELECT ${COLUMNS} FROM outbound_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY id DESC LIMIT ${p(f.limit)}`,
    values,
  );
  return rows.map(toRecord);
}

export async function getEvents(ex: Executor, id: string): Promise<MessageEventRecord[]> {
  const { rows } = await query(
    ex,
    `SELECT type, from_status, to_status, attempt, reason, smtp_code, smtp_response, data, at
     FROM message_events WHERE message_id = $1 ORDER BY id`,
    [id],
  );
  return rows.map((r) => ({
    type: r.type as string,
    fromStatus: (r.from_status as OutboundStatus | null) ?? null,
    toStatus: (r.to_status as OutboundStatus | null) ?? null,
    attempt: (r.attempt as number | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    smtpCode: (r.smtp_code as number | null) ?? null,
    smtpResponse: (r.smtp_response as string | null) ?? null,
    data: r.data ?? null,
    at: r.at as Date,
  }));
}

export async function addEvent(
  ex: Executor,
  messageId: string,
  e: { type: string; reason?: string | null; data?: unknown; at: Date },
): Promise<void> {
  await query(
    ex,
    `INSERT INTO message_events (message_id, type, reason, data, at) VALUES ($1, $2, $3, $4, $5)`,
    [
      messageId,
      e.type,
      e.reason ?? null,
      e.data === undefined ? null : JSON.stringify(e.data),
      e.at,
    ],
  );
}

export async function getRaw(ex: Executor, id: string): Promise<Buffer | null> {
  const { rows } = await query<{ raw: Buffer }>(
    ex,
    `SELECT raw FROM outbound_message_raw WHERE message_id = $1`,
    [id],
  );
  return rows[0]?.raw ?? null;
}

export async function storeRaw(
  ex: Executor,
  items: ReadonlyArray<{ id: string; raw: Buffer }>,
  transport: string,
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await query(
    ex,
    `INSERT INTO outbound_message_raw (message_id, raw, transport, created_at)
     SELECT * , $3::text, $4::timestamptz FROM unnest($1::uuid[], $2::bytea[])
     ON CONFLICT (message_id) DO UPDATE SET raw = EXCLUDED.raw, transport = EXCLUDED.transport,
       created_at = EXCLUDED.created_at`,
    [items.map((i) => i.id), items.map((i) => i.raw), transport, now],
  );
}

const EXTRA_SET: Partial<Record<OutboundEvent, string>> = {
  claim: `attempts = m.attempts + 1, lease_until = p.lease_until, next_attempt_at = NULL`,
  accept: `sent_at = $3, lease_until = NULL, provider_message_id = v.provider_message_id,
           last_smtp_code = v.smtp_code, last_error = NULL`,
  defer: `lease_until = NULL, next_attempt_at = v.next_attempt_at, last_error = v.reason,
          last_smtp_code = v.smtp_code,
          attempts = CASE WHEN p.uncount THEN greatest(m.attempts - 1, 0) ELSE m.attempts END,
          possibly_duplicate = m.possibly_duplicate OR p.dup`,
  requeue: `next_attempt_at = NULL`,
  fail: `lease_until = NULL, next_attempt_at = NULL, last_error = coalesce(v.reason, m.last_error),
         last_smtp_code = coalesce(v.smtp_code, m.last_smtp_code)`,
  expire: `lease_until = NULL, next_attempt_at = NULL, last_error = coalesce(v.reason, m.last_error)`,
  suppress: `lease_until = NULL, next_attempt_at = NULL, last_error = v.reason`,
  cancel: `lease_until = NULL, next_attempt_at = NULL`,
  retry: `attempts = 0, expires_at = p.expires_at, possibly_duplicate = false, last_error = NULL, next_attempt_at = NULL`,
};

/**
 * Moves every listed message whose status allows `event`; the others are left alone (a race
 * lost, or a stale request). Returns what moved.
 */
export async function applyTransition(
  ex: Executor,
  event: OutboundEvent,
  rows: readonly TransitionRow[],
  o: TransitionOptions,
): Promise<TransitionedRow[]> {
  if (rows.length === 0) return [];
  const from = outboundMachine.sources(event);
  const to = outboundMachine.target(event);
  const extra = EXTRA_SET[event];
  const due =
    o.extraWhere === 'due' ? `AND (m.status <> 'deferred' OR m.next_attempt_at <= $3)` : '';
  const { rows: out } = await query<Record<string, unknown>>(
    ex,
    `WITH v AS (
       SELECT * FROM unnest($1::uuid[], $8::text[], $9::int[], $10::text[], $11::timestamptz[], $12::text[], $13::jsonb[])
         AS v(id, reason, smtp_code, smtp_response, next_attempt_at, provider_message_id, data)
     ), p AS (
       SELECT $4::timestamptz AS lease_until, $5::timestamptz AS expires_at, $6::boolean AS uncount, $7::boolean AS dup
     ), o AS (
       SELECT m.id, m.status, m.next_attempt_at FROM outbound_messages m JOIN v ON v.id = m.id
       WHERE m.status = ANY($2::text[]) ${due}
       ORDER BY m.id FOR UPDATE OF m
     ), t AS (
       UPDATE outbound_messages m SET status = '${to}', updated_at = $3::timestamptz ${extra ? `, ${extra}` : ''}
       FROM o, v, p WHERE m.id = o.id AND v.id = o.id
       RETURNING m.id, o.status AS from_status, m.attempts, v.reason, v.smtp_code, v.smtp_response, v.data,
         m.recipients, m.tags
     ), e AS (
       INSERT INTO message_events (message_id, type, from_status, to_status, attempt, reason, smtp_code, smtp_response, data, at)
       SELECT id, $14::text, from_status, '${to}', attempts, reason, smtp_code, smtp_response, data, $3 FROM t
     )
     SELECT id, from_status, attempts, reason, smtp_code, recipients, tags FROM t`,
    [
      rows.map((r) => r.id),
      from,
      o.now,
      o.leaseUntil ?? null,
      o.expiresAt ?? null,
      o.uncount ?? false,
      o.possiblyDuplicate ?? false,
      rows.map((r) => r.reason ?? null),
      rows.map((r) => r.smtpCode ?? null),
      rows.map((r) => r.smtpResponse ?? null),
      rows.map((r) => r.nextAttemptAt ?? null),
      rows.map((r) => r.providerMessageId ?? null),
      rows.map((r) => (r.data === undefined ? null : JSON.stringify(r.data))),
      o.eventType ?? event,
    ],
  );
  return out.map((r) => ({
    id: r.id as string,
    from: r.from_status as OutboundStatus,
    to,
    attempts: r.attempts as number,
    reason: (r.reason as string | null) ?? null,
    smtpCode: (r.smtp_code as number | null) ?? null,
    recipients: r.recipients as string[],
    tags: r.tags as string[],
  }));
}

/**
 * queued → sending for the given ids, with a lease; returns the claimed rows in full. One
 * statement (atomic on its own), so claiming costs one round trip.
 */
export async function claimMessages(
  ex: Executor,
  ids: readonly string[],
  now: Date,
  leaseUntil: Date,
): Promise<OutboundMessageRecord[]> {
  if (ids.length === 0) return [];
  const cols = COLUMNS.split(',')
    .map((c) => `m.${c.trim()}`)
    .join(', ');
  const { rows } = await query(
    ex,
    `WITH o AS (
       SELECT id FROM outbound_messages WHERE id = ANY($1::uuid[]) AND status = 'queued' ORDER BY id FOR UPDATE SKIP LOCKED
     ), t AS (
       UPDATE outbound_messages m SET status = 'sending', updated_at = $2, attempts = m.attempts + 1,
         lease_until = $3, next_attempt_at = NULL
       FROM o WHERE m.id = o.id
       RETURNING ${cols}
     ), e AS (
       INSERT INTO message_events (message_id, type, from_status, to_status, attempt, at)
       SELECT id, 'claim', 'queued', 'sending', attempts, $2 FROM t
     )
     SELECT * FROM t`,
    [ids, now, leaseUntil],
  );
  return rows.map(toRecord);
}

/** Ids whose status is in `statuses` and whose time field is due; used by the sweeper. */
export async function findDue(
  ex: Executor,
  kind: 'scheduled' | 'deferred' | 'lease_expired' | 'expired' | 'stale_queued',
  now: Date,
  limit: number,
  staleBefore?: Date,
): Promise<string[]> {
  const sql = {
    scheduled: `SELECT id FROM outbound_messages WHERE status = 'scheduled' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
    deferred: `SELECT id FROM outbound_messages WHERE status = 'deferred' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
    lease_expired: `SELECT id FROM outbound_messages WHERE status = 'sending' AND lease_until < $1 ORDER BY lease_until LIMIT $2`,
    expired: `SELECT id FROM outbound_messages WHERE status IN ('scheduled','queued','deferred') AND expires_at < $1 LIMIT $2`,
    stale_queued: `SELECT id FROM outbound_messages WHERE $1::timestamptz IS NOT NULL AND status = 'queued' AND updated_at < $3 ORDER BY id LIMIT $2`,
  }[kind];
  const { rows } = await query<{ id: string }>(
    ex,
    sql,
    kind === 'stale_queued' ? [now, limit, staleBefore] : [now, limit],
  );
  return rows.map((r) => r.id);
}

export async function findByRef(
  ex: Executor,
  ref: { messageId?: string | undefined; providerMessageId?: string | undefined },
): Promise<OutboundMessageRecord | null> {
  if (ref.messageId) {
    const bare = ref.messageId.replace(/^<|>$/g, '');
    const { rows } = await query(
      ex,
      `SELECT ${COLUMNS} FROM outbound_messages
       WHERE ($1::text ~ '^[0-9a-fA-F-]{36}$' AND id = CASE WHEN $1::text ~ '^[0-9a-fA-F-]{36}$' THEN $1::uuid END)
          OR message_id_header = $2 LIMIT 1`,
      [bare, `<${bare}>`],
    );
    if (rows[0]) return toRecord(rows[0]);
  }
  if (ref.providerMessageId) {
    const { rows } = await query(
      ex,
      `SELECT ${COLUMNS} FROM outbound_messages WHERE provider_message_id = $1 LIMIT 1`,
      [ref.providerMessageId],
    );
    if (rows[0]) return toRecord(rows[0]);
  }
  return null;
}

export async function insertBatch(
  ex: Executor,
  b: { id: string; apiKeyId: string | null; size: number; now: Date },
): Promise<void> {
  await query(
    ex,
    `INSERT INTO message_batches (id, api_key_id, size, created_at) VALUES ($1, $2, $3, $4)`,
    [b.id, b.apiKeyId, b.size, b.now],
  );
}

export async function batchExists(ex: Executor, id: string): Promise<boolean> {
  const { rows } = await query(ex, `SELECT 1 FROM message_batches WHERE id = $1`, [id]);
  return rows.length > 0;
}

/**
 * The outbound message an inbound reply answers, by the Message-IDs in its In-Reply-To and
 * References (compared without angle brackets). The first id in the caller's order wins.
 */
export async function findThreadByMessageIds(
  ex: Executor,
  ids: readonly string[],
): Promise<ThreadMatch | null> {
  if (ids.length === 0) return null;
  const withBrackets = ids.map((i) => `<${i}>`);
  const { rows } = await query<{
    id: string;
    message_id_header: string;
    kind: string;
    recipients: string[];
    metadata: Record<string, unknown>;
  }>(
    ex,
    `SELECT id, message_id_header, kind, recipients, metadata FROM outbound_messages
      WHERE message_id_header = ANY($1::text[]) OR message_id_header = ANY($2::text[])`,
    [ids, withBrackets],
  );
  if (rows.length === 0) return null;
  const order = (h: string) => ids.indexOf(h.replace(/^<|>$/g, ''));
  const best = rows.sort((a, b) => order(a.message_id_header) - order(b.message_id_header))[0]!;
  return {
    outboundMessageId: best.id,
    messageIdHeader: best.message_id_header,
    kind: best.kind,
    recipients: best.recipients ?? [],
    metadata: best.metadata ?? {},
  };
}
