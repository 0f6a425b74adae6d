/** The outbound_messages columns every full read selects, and the row → record mapping. */
import type { OutboundMessageRecord } from '../../../domain/outbound/message.js';
import type { OutboundStatus } from '../../../domain/state/outbound-message.js';

export const COLUMNS = `id, status, stream, kind, priority, from_address, to_addresses, cc_addresses, bcc_addresses,
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
