/** JSON views of outbound records: snake_case, ISO times, addresses as strings. */
import type {
  MessageEventRecord,
  OutboundMessageRecord,
  Suppression,
  WebhookEndpoint,
} from '../../../domain/outbound/message.js';
import { formatMailbox } from '../../../domain/outbound/recipients.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function messageView(m: OutboundMessageRecord) {
  return {
    id: m.id,
    status: m.status,
    stream: m.stream,
    kind: m.kind,
    from: formatMailbox(m.from),
    to: m.to.map(formatMailbox),
    cc: m.cc.map(formatMailbox),
    subject: m.subject,
    tags: m.tags,
    metadata: m.metadata,
    message_id: m.messageIdHeader,
    batch_id: m.batchId,
    template: m.templateName ? { name: m.templateName, version: m.templateVersion } : null,
    attempts: m.attempts,
    possibly_duplicate: m.possiblyDuplicate,
    last_error: m.lastError,
    last_smtp_code: m.lastSmtpCode,
    send_at: iso(m.sendAt),
    next_attempt_at: iso(m.nextAttemptAt),
    expires_at: iso(m.expiresAt),
    created_at: iso(m.createdAt),
    sent_at: iso(m.sentAt),
  };
}

/** The recipients an event concerns: each one's result in that attempt, or the one reported. */
function eventRecipients(data: unknown): unknown[] | null {
  const d = data as { recipients?: unknown; recipient?: unknown } | null;
  if (Array.isArray(d?.recipients)) return d.recipients;
  if (typeof d?.recipient === 'string') return [{ address: d.recipient }];
  return null;
}

export function eventView(e: MessageEventRecord) {
  return {
    type: e.type,
    from: e.fromStatus,
    to: e.toStatus,
    attempt: e.attempt,
    reason: e.reason,
    smtp_code: e.smtpCode,
    smtp_response: e.smtpResponse,
    recipients: eventRecipients(e.data),
    at: e.at.toISOString(),
  };
}

export function suppressionView(s: Suppression) {
  return {
    address: s.address,
    scope: s.scope,
    reason: s.reason,
    source_message_id: s.sourceMessageId,
    detail: s.detail,
    created_at: s.createdAt.toISOString(),
  };
}

export function webhookView(w: WebhookEndpoint, withSecret = false) {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    enabled: w.enabled,
    consecutive_failures: w.consecutiveFailures,
    disabled_reason: w.disabledReason,
    disabled_at: iso(w.disabledAt),
    created_at: iso(w.createdAt),
    ...(withSecret ? { secret: w.secret } : {}),
  };
}
