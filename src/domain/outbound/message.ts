/**
 * The OutboundMessage as stored, plus the small records around it (events, suppressions,
 * templates, API keys, webhooks). Shared by services and storage; pure types.
 */
import type { OutboundStatus } from '../state/outbound-message.js';
import type { RecipientStatus } from '../state/recipient-delivery.js';
import type { Mailbox } from './recipients.js';

export type MessageStream = 'transactional' | 'broadcast';
export type MessageKind = 'api' | 'prompt' | 'reminder' | 'digest' | 'system';

export interface StoredAttachment {
  filename: string;
  /** base64 */
  content: string;
  content_type: string;
  content_id?: string | undefined;
}

/** A message ready to insert (accept time). */
export interface NewOutboundMessage {
  id: string;
  status: 'queued' | 'scheduled' | 'suppressed';
  stream: MessageStream;
  kind: MessageKind;
  priority: number;
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  replyTo: Mailbox[];
  /** Lower-cased envelope recipients still to be sent to (suppressed ones removed). */
  recipients: string[];
  /** Recipients the suppression list removed at accept time (kept as `suppressed` deliveries). */
  suppressedRecipients: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  attachments: StoredAttachment[];
  tags: string[];
  metadata: Record<string, unknown>;
  templateName: string | null;
  templateVersion: number | null;
  inReplyTo: string | null;
  references: string[];
  listUnsubscribe: { url: string; mailto?: string | undefined } | null;
  messageIdHeader: string;
  apiKeyId: string | null;
  batchId: string | null;
  sendAt: Date | null;
  expiresAt: Date;
  /** Why it was created in this state (e.g. "all recipients suppressed"). */
  reason: string | null;
}

export interface OutboundMessageRecord extends Omit<
  NewOutboundMessage,
  'status' | 'reason' | 'suppressedRecipients'
> {
  status: OutboundStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  leaseUntil: Date | null;
  possiblyDuplicate: boolean;
  lastError: string | null;
  lastSmtpCode: number | null;
  providerMessageId: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

/** One recipient of a message and what happened to it (recipient_deliveries). */
export interface RecipientDelivery {
  address: string;
  status: RecipientStatus;
  /** SMTP transactions it was part of. */
  attempts: number;
  /** The last reply about this recipient. */
  smtpCode: number | null;
  smtpResponse: string | null;
  updatedAt: Date;
}

/** Each recipient's first delivery row: to be sent, or stopped by the suppression list. */
export function initialDeliveries(
  m: Pick<NewOutboundMessage, 'status' | 'recipients' | 'suppressedRecipients'>,
): Array<{ address: string; status: RecipientStatus }> {
  const first: RecipientStatus = m.status === 'suppressed' ? 'suppressed' : 'pending';
  return [
    ...m.recipients.map((address) => ({ address, status: first })),
    ...m.suppressedRecipients
      .filter((a) => !m.recipients.includes(a))
      .map((address) => ({ address, status: 'suppressed' as const })),
  ];
}

export interface MessageEventRecord {
  type: string;
  fromStatus: OutboundStatus | null;
  toStatus: OutboundStatus | null;
  attempt: number | null;
  reason: string | null;
  smtpCode: number | null;
  smtpResponse: string | null;
  data: unknown;
  at: Date;
}

export type SuppressionReason = 'bounce' | 'complaint' | 'unsubscribe' | 'manual';
export type SuppressionScope = 'all' | 'broadcast';

export interface Suppression {
  address: string;
  scope: SuppressionScope;
  reason: SuppressionReason;
  sourceMessageId: string | null;
  detail: string | null;
  createdAt: Date;
}

export interface TemplateVersion {
  name: string;
  version: number;
  subject: string;
  html: string | null;
  text: string | null;
  createdAt: Date;
}

export type ApiScope = 'send' | 'read' | 'admin';
export const API_SCOPES: readonly ApiScope[] = ['send', 'read', 'admin'];

export interface ApiKeyRecord {
  id: string;
  name: string;
  keyPrefix: string;
  scopes: ApiScope[];
  dailyQuota: number | null;
  /** POST /v1/messages with this key tracks replies unless the body says otherwise. */
  replyTracking: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  secret: string;
  enabled: boolean;
  consecutiveFailures: number;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventType: string;
  messageId: string | null;
  /** The inbound email an `inbound.received` delivery carries. */
  inboundEmailId: string | null;
  payload: unknown;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** Priority lanes (pg-boss fetches higher first): people waiting first, bulk last. */
export function priorityOf(kind: MessageKind, stream: MessageStream): number {
  if (stream === 'broadcast') return 0;
  if (kind === 'digest') return 5;
  return 10;
}
