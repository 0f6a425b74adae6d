/**
 * The OutboundMessage as stored, plus the small records around it (events, suppressions,
 * templates, API keys, webhooks). Shared by services and storage; pure types.
 */
import type { OutboundStatus } from '../state/outbound-message.js';
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
  recipients: string[];
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

export interface OutboundMessageRecord extends Omit<NewOutboundMessage, 'status' | 'reason'> {
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
