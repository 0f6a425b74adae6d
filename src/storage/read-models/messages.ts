/**
 * Read model over outbound_messages for the message log and the detail page. Pagination is
 * keyset on the UUIDv7 id (time-ordered), newest first: `id < cursor`, never OFFSET.
 */
import { one, rows } from '../sql.js';
import type { Executor } from '../../services/ports.js';
import type { RecipientDelivery } from '../../domain/outbound/message.js';
import type {
  MessageDetail,
  MessageEventView,
  MessageFilter,
  MessageListItem,
  Page,
} from '../../services/dashboard/ports/index.js';

// Columns are aliased to the port's names, so rows come back as the page's types.
const ITEM = `id, status, subject, recipients, tags, kind, created_at AS "createdAt",
  send_at AS "sendAt", sent_at AS "sentAt", attempts, last_error AS "lastError"`;

const DETAIL = `${ITEM}, stream, from_address AS "from", to_addresses AS "to", cc_addresses AS cc,
  bcc_addresses AS bcc, reply_to AS "replyTo", html, text, headers, attachments, metadata,
  template_name AS "templateName", template_version AS "templateVersion",
  message_id_header AS "messageIdHeader", expires_at AS "expiresAt",
  next_attempt_at AS "nextAttemptAt", last_smtp_code AS "lastSmtpCode",
  possibly_duplicate AS "possiblyDuplicate"`;

const EVENT = `type, from_status AS "fromStatus", to_status AS "toStatus", attempt, reason,
  smtp_code AS "smtpCode", smtp_response AS "smtpResponse", data, at`;

const DELIVERY = `address, status, attempts, smtp_code AS "smtpCode", smtp_response AS "smtpResponse",
  updated_at AS "updatedAt"`;

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
  const r = await rows<MessageListItem>(
    ex,
    `SELECT ${ITEM}
       FROM outbound_messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT $${args.length}`,
    args,
  );
  const items = r.slice(0, f.limit);
  return { items, nextBefore: r.length > f.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function get(ex: Executor, id: string): Promise<MessageDetail | null> {
  const row = await one<Omit<MessageDetail, 'events' | 'deliveries'>>(
    ex,
    `SELECT ${DETAIL},
            EXISTS (SELECT 1 FROM outbound_message_raw r WHERE r.message_id = m.id) AS "hasRaw"
       FROM outbound_messages m WHERE m.id = $1`,
    [id],
  );
  if (!row) return null;
  const events = await rows<MessageEventView>(
    ex,
    `SELECT ${EVENT} FROM message_events WHERE message_id = $1 ORDER BY id`,
    [id],
  );
  const deliveries = await rows<RecipientDelivery>(
    ex,
    `SELECT ${DELIVERY} FROM recipient_deliveries WHERE message_id = $1 ORDER BY position`,
    [id],
  );
  return { ...row, deliveries, events };
}

export async function raw(ex: Executor, id: string): Promise<Buffer | null> {
  const r = await one<{ raw: Buffer }>(
    ex,
    `SELECT raw FROM outbound_message_raw WHERE message_id = $1`,
    [id],
  );
  return r?.raw ?? null;
}
