/**
 * What the outbound use cases need from storage: one repository per aggregate, and the row,
 * result and parameter types they exchange, declared here once. storage/repositories/* implement
 * them (storage/index.ts checks each with `satisfies`); services never import storage, and each
 * service names only the repositories (or the few functions of one) it calls. Outbound messages
 * (with their recipients' deliveries) and suppressions here; the supporting aggregates in
 * supporting.ts.
 */
import type { Executor } from '../../ports.js';
import type {
  MessageEventRecord,
  MessageStream,
  NewOutboundMessage,
  OutboundMessageRecord,
  RecipientDelivery,
  Suppression,
  SuppressionScope,
} from '../../../domain/outbound/message.js';
import type { OutboundEvent, OutboundStatus } from '../../../domain/state/outbound-message.js';
import type { RecipientEvent, RecipientStatus } from '../../../domain/state/recipient-delivery.js';

// ---------------------------------------------------------------- outbound messages

/** Per-row details of a transition; all optional. */
export interface TransitionRow {
  id: string;
  reason?: string | null | undefined;
  smtpCode?: number | null | undefined;
  smtpResponse?: string | null | undefined;
  nextAttemptAt?: Date | null | undefined;
  providerMessageId?: string | null | undefined;
  data?: unknown;
  /** defer: the server may have it already (a connection lost without a reply) */
  possiblyDuplicate?: boolean | undefined;
}

export interface TransitionOptions {
  now: Date;
  /** claim: lease end */
  leaseUntil?: Date | undefined;
  /** retry: the new deadline */
  expiresAt?: Date | undefined;
  /** defer for a rate limit: the attempt did not happen, give it back */
  uncount?: boolean | undefined;
  /** sweeper: a lease expired while sending */
  possiblyDuplicate?: boolean | undefined;
  /** narrower guard than the table's sources, e.g. claim only due deferred rows */
  extraWhere?: 'due' | undefined;
  /** only from these of the event's sources (the sweeper never touches `sending` mail) */
  onlyFrom?: readonly OutboundStatus[] | undefined;
  /** event type written to message_events; defaults to the transition event */
  eventType?: string | undefined;
}

export interface TransitionedRow {
  id: string;
  from: OutboundStatus;
  to: OutboundStatus;
  attempts: number;
  reason: string | null;
  smtpCode: number | null;
  recipients: string[];
  tags: string[];
  /** Accepted, or its send_at: when it became due (accept → sent latency). */
  dueAt: Date;
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

/** A timeline entry that is not a status change (a provider report, an unsubscribe). */
export interface NewMessageEvent {
  type: string;
  reason?: string | null;
  data?: unknown;
  at: Date;
}

/** A message a worker claimed, with its recipients' deliveries (the open ones are sent to). */
export interface ClaimedMessage extends OutboundMessageRecord {
  deliveries: RecipientDelivery[];
}

/**
 * One recipient's transition (recipientMachine): the recipient, or every recipient of the
 * message whose status allows the event when `address` is null.
 */
export interface RecipientTransitionRow {
  messageId: string;
  address: string | null;
  event: RecipientEvent;
  smtpCode?: number | null | undefined;
  smtpResponse?: string | null | undefined;
  /** It was part of an SMTP transaction: count the attempt. */
  attempted?: boolean | undefined;
}

export interface RecipientTransitioned {
  messageId: string;
  address: string;
  from: RecipientStatus;
  to: RecipientStatus;
}

/** What the send worker commits at once: its transitions by event, the recipients', the MIME. */
export interface OutcomeBatch {
  transitions: ReadonlyArray<{
    event: OutboundEvent;
    rows: readonly TransitionRow[];
    options?: Omit<TransitionOptions, 'now'> | undefined;
  }>;
  recipients: readonly RecipientTransitionRow[];
  raws: readonly RawMessage[];
  transport: string;
}

/** The MIME of a message as it was handed to the transport. */
export interface RawMessage {
  id: string;
  raw: Buffer;
}

/** What the sweeper looks for: each kind is a status and the time field that makes it due. */
export type DueKind = 'scheduled' | 'deferred' | 'lease_expired' | 'expired' | 'stale_queued';

/** How a provider names one of our messages: our Message-ID, or its own id. */
export interface MessageRef {
  messageId?: string | undefined;
  providerMessageId?: string | undefined;
}

export interface NewBatch {
  id: string;
  apiKeyId: string | null;
  size: number;
  now: Date;
}

export interface OutboundMessageRepository {
  insertMessages(ex: Executor, messages: NewOutboundMessage[], now: Date): Promise<void>;
  getMessage(ex: Executor, id: string): Promise<OutboundMessageRecord | null>;
  getMessages(ex: Executor, ids: readonly string[]): Promise<OutboundMessageRecord[]>;
  listMessages(ex: Executor, f: MessageFilter): Promise<OutboundMessageRecord[]>;
  findByRef(ex: Executor, ref: MessageRef): Promise<OutboundMessageRecord | null>;
  getEvents(ex: Executor, id: string): Promise<MessageEventRecord[]>;
  addEvent(ex: Executor, messageId: string, e: NewMessageEvent): Promise<void>;
  getRaw(ex: Executor, id: string): Promise<Buffer | null>;
  /** Retention (settled messages only): the MIME, and timeline rows, older than `before`. */
  pruneRaw(ex: Executor, before: Date, limit: number): Promise<number>;
  pruneEvents(ex: Executor, before: Date, limit: number): Promise<number>;
  applyTransition(
    ex: Executor,
    event: OutboundEvent,
    rows: readonly TransitionRow[],
    o: TransitionOptions,
  ): Promise<TransitionedRow[]>;
  claimMessages(
    ex: Executor,
    ids: readonly string[],
    now: Date,
    leaseUntil: Date,
  ): Promise<ClaimedMessage[]>;
  /** One statement: the batch's recipient and message transitions and its MIME; what moved, per transition. */
  recordOutcomes(ex: Executor, b: OutcomeBatch, now: Date): Promise<TransitionedRow[][]>;
  applyRecipientTransitions(
    ex: Executor,
    rows: readonly RecipientTransitionRow[],
    now: Date,
  ): Promise<RecipientTransitioned[]>;
  /** Each message's recipients in To, Cc, Bcc order. */
  getDeliveries(
    ex: Executor,
    messageIds: readonly string[],
  ): Promise<Map<string, RecipientDelivery[]>>;
  findDue(
    ex: Executor,
    kind: DueKind,
    now: Date,
    limit: number,
    staleBefore?: Date,
  ): Promise<string[]>;
  insertBatch(ex: Executor, b: NewBatch): Promise<void>;
  batchExists(ex: Executor, id: string): Promise<boolean>;
}

// ---------------------------------------------------------------- suppressions

export type NewSuppression = Omit<Suppression, 'createdAt'>;

export interface SuppressionFilter {
  address?: string | undefined;
  reason?: string | undefined;
  /** keyset: addresses after this one */
  after?: string | undefined;
  limit: number;
}

export interface SuppressionRepository {
  addSuppressions(ex: Executor, items: readonly NewSuppression[], now: Date): Promise<number>;
  suppressedAmong(
    ex: Executor,
    addresses: readonly string[],
    stream: MessageStream,
  ): Promise<Set<string>>;
  listSuppressions(ex: Executor, f: SuppressionFilter): Promise<Suppression[]>;
  getSuppressions(ex: Executor, address: string): Promise<Suppression[]>;
  deleteSuppression(ex: Executor, address: string, scope: SuppressionScope | null): Promise<number>;
}

export * from './supporting.js';
