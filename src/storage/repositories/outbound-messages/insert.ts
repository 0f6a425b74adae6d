/** Accept time: the new rows, their recipients' deliveries and their `created` events. */
import { query } from '../../sql.js';
import type { Executor } from '../../../services/ports.js';
import { initialDeliveries, type NewOutboundMessage } from '../../../domain/outbound/message.js';

/** One statement for the rows, their recipients and their first events, however many messages. */
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
    deliveries: initialDeliveries(m).map((d, i) => ({ ...d, position: i + 1 })),
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
         next_attempt_at timestamptz, reason text, deliveries jsonb)
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
     ), rcpt AS (
       INSERT INTO recipient_deliveries (message_id, address, position, status, updated_at)
       SELECT v.id, d.address, d.position, d.status, $2
       FROM v, jsonb_to_recordset(v.deliveries) AS d(address text, position int, status text)
     )
     INSERT INTO message_events (message_id, type, from_status, to_status, reason, at)
     SELECT id, 'created', NULL, status, reason, $2 FROM v`,
    [JSON.stringify(rows), now],
  );
}
