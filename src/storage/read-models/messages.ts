/**
 * Read model over outbound_messages for the message log and the detail page. Pagination is
 * keyset on the UUIDv7 id (time-ordered), newest first: `id < cursor`, never OFFSET.
 */
import { one, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type {
  MessageDetail,
  MessageEventView,
  MessageFilter,
  MessageListItem,
  Page,
} from '../../services/dashboard/ports.js';

interface ListRow {
  id: string;
  status: string;
  subject: string;
  recipients: string[];
  tags: string[];
  kind: string;
  created_at: Date;
  send_at: Date | null;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
}

interface DetailRow extends ListRow {
  from_address: unknown;
  to_addresses: unknown;
  cc_addresses: unknown;
  bcc_addresses: unknown;
  reply_to: unknown;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  attachments: unknown;
  metadata: unknown;
  template_name: string | null;
  template_version: number | null;
  message_id_header: string;
  stream: string;
  expires_at: Date;
  next_attempt_at: Date | null;
  last_smtp_code: number | null;
  possibly_duplicate: boolean;
  has_raw: boolean;
}

interface EventRow {
  type: string;
  from_status: string | null;
  to_status: string | null;
  attempt: number | null;
  reason: string | null;
  smtp_code: number | null;
  smtp_response: string | null;
  at: Date;
}

const toItem = (r: ListRow): MessageListItem => ({
  id: r.id,
  status: r.status,
  subject: r.subject,
  recipients: r.recipients,
  tags: r.tags,
  kind: r.kind,
  createdAt: r.created_at,
  sendAt: r.send_at,
  sentAt: r.sent_at,
  attempts: r.attempts,
  lastError: r.last_error,
});

const toEvent = (e: EventRow): MessageEventView => ({
  type: e.type,
  fromStatus: e.from_status,
  toStatus: e.to_status,
  attempt: e.attempt,
  reason: e.reason,
  smtpCode: e.smtp_code,
  smtpResponse: e.smtp_response,
  at: e.at,
});

export async function list(ex: Executor, f: MessageFilter): Promise<Page<MessageListItem>> {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('$?', `$${args.length}`));
  };
  if (f.status) add('status = $?', f.status);
  if (f.tag) add('tags @> ARRAY[$?]::text[]', f.tag);
  if (f.recipient) add('recipients @> ARRAY[lower($?)]::text[]', f.recipient);
  if (f.from) add('created_at >= $?::date', f.from);
  if (f.to) add(`created_at < $?::date + 1`, f.to);
  if (f.before) add('id < $?::uuid', f.before);
  args.push(f.limit + 1);
  const r = await rows<ListRow>(
    ex,
    `SELECT id, status, subject, recipients, tags, kind, created_at, send_at, sent_at, attempts, last_error
       FROM outbound_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT $${args.length}`,
    args,
  );
  const items = r.slice(0, f.limit).map(toItem);
  return { items, nextBefore: r.length > f.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function get(ex: Executor, id: string): Promise<MessageDetail | null> {
  const row = await one<DetailRow>(
    ex,
    `SELECT m.*, EXISTS (SELECT 1 FROM outbound_message_raw r WHERE r.message_id = m.id) AS has_raw
       FROM outbound_messages m WHERE m.id = $1`,
    [id],
  );
  if (!row) return null;
  const events = await rows<EventRow>(
    ex,
    `SELECT id, type, from_status, to_status, attempt, reason, smtp_code, smtp_response, at
       FROM message_events WHERE message_id = $1 ORDER BY id`,
    [id],
  );
  return toDetail(row, events.map(toEvent));
}

function toDetail(row: DetailRow, events: MessageEventView[]): MessageDetail {
  return {
    ...toItem(row),
    stream: row.stream,
    from: row.from_address,
    to: row.to_addresses,
    cc: row.cc_addresses,
    bcc: row.bcc_addresses,
    replyTo: row.reply_to,
    html: row.html,
    text: row.text,
    headers: row.headers,
    attachments: row.attachments,
    metadata: row.metadata,
    templateName: row.template_name,
    templateVersion: row.template_version,
    messageIdHeader: row.message_id_header,
    expiresAt: row.expires_at,
    nextAttemptAt: row.next_attempt_at,
    lastSmtpCode: row.last_smtp_code,
    possiblyDuplicate: row.possibly_duplicate,
    hasRaw: row.has_raw,
    events,
  };
}

export async function raw(ex: Executor, id: string): Promise<Buffer | null> {
  const r = await one<{ raw: Buffer }>(
    ex,
    `SELECT raw FROM outbound_message_raw WHERE message_id = $1`,
    [id],
  );
  return r?.raw ?? null;
}
