/**
 * What the inbound use cases need from outside, declared once: the rows and parameters the
 * repositories in storage/repositories/ take and return (they import these types), one
 * interface per table the feature owns, and the small structural ports through which the
 * outbound engine and reply extraction come in, so main/ can pass those features as they are.
 */
import type { IgnoreReason, InboundStatus } from '../../domain/state/inbound-email.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import type { UnmappedEvent } from '../../domain/inbound/unmapped-event.js';
import type { InboundProvider } from '../../inbound/providers/types.js';
import type { InboundRoute } from '../../domain/inbound/route.js';
import type { Executor } from '../ports.js';

/** Fetches a stored object for the SES S3 action. */
export type S3ObjectFetcher = (bucket: string, key: string) => Promise<Buffer>;

/** The bodies (text, then HTML) of our own outbound messages, to read a reply against them. */
export interface ParentBodies {
  bodiesOf(outboundMessageIds: readonly string[]): Promise<string[]>;
}

/**
 * Our outbound messages as replies see them: found by Message-ID (the In-Reply-To fallback) or
 * by id (a `message` reply token), and the `replied` event on the message's timeline.
 */
export interface ThreadLookup {
  findByMessageIds(ids: readonly string[]): Promise<ThreadMatch | null>;
  findById(id: string): Promise<ThreadMatch | null>;
  /** Adds `replied` to the message's timeline once per inbound email, inside `tx`. */
  recordReply(
    tx: Executor,
    outboundMessageId: string,
    inboundEmailId: string,
    at: Date,
  ): Promise<void>;
}
export interface ThreadMatch {
  outboundMessageId: string;
  messageIdHeader: string;
  kind: string;
  subject: string;
  recipients: string[];
  metadata: Record<string, unknown>;
  tags: string[];
  createdAt: Date;
}

// ---------------------------------------------------------------- rows and parameters

export interface NewInboundEmail {
  id: string;
  provider: InboundProvider;
  providerEventId: string | null;
  messageId: string;
  messageIdSynthesized: boolean;
  sha256: string;
  sizeBytes: number;
  envelopeFrom: string | null;
  envelopeTo: string[];
  verdicts: Record<string, string>;
  extras: Record<string, string>;
  /** Fields whose text PostgreSQL could not store as sent and was repaired (lib/safe-text.ts). */
  repairedFields: string[];
  receivedAt: Date;
}

export interface InboundEmailRow extends NewInboundEmail {
  status: InboundStatus;
  reason: IgnoreReason | null;
  reasonDetail: string | null;
  fromAddress: string | null;
  subject: string | null;
  classification: unknown;
  correlation: unknown;
  routedTo: unknown;
  reply: unknown;
  attempts: number;
  lastError: string | null;
  deadAt: Date | null;
  rejectionSentAt: Date | null;
  processedAt: Date | null;
  updatedAt: Date;
  rawDeletedAt: Date | null;
  threadMessageId: string | null;
}

/** A provider's replay nonce; `provider` is the namespace (`mailgun`, `mailgun-events`, …). */
export interface ReplayNonce {
  provider: string;
  nonce: string;
}

/** One message of a receipt batch: its row, its raw bytes and the request's replay nonce. */
export interface ReceivedInboundEmail {
  row: NewInboundEmail;
  raw: Buffer;
  nonce?: ReplayNonce;
}

/** The unique keys a duplicate is found by. */
export type InboundEmailKeys = Pick<
  NewInboundEmail,
  'provider' | 'providerEventId' | 'messageId' | 'sha256'
>;

/**
 * A message claimed for processing. Its raw bytes come with the claim when the message is
 * small; `raw` is null for a large one (and after retention), which `loadRaw` then reads.
 */
export interface ClaimedInboundEmail {
  row: InboundEmailRow;
  raw: Buffer | null;
}

/** `complete` or `ignore`: what parse, classify and route found, kept on the row. */
export interface SettlePatch {
  event: 'complete' | 'ignore';
  reason?: IgnoreReason;
  reasonDetail?: string;
  fromAddress: string | null;
  subject: string | null;
  classification: unknown;
  correlation: unknown;
  routedTo?: unknown;
  reply?: unknown;
  /** Fields of the parsed mail that were repaired; added to the ones receipt found. */
  repairedFields?: string[];
  /** The outbound message the mail answers (GET /v1/messages/:id/replies). */
  threadMessageId?: string | null;
}

/** `fail`: the error, and whether it was the last attempt (the message is dead). */
export interface FailPatch {
  event: 'fail';
  error: string;
  dead: boolean;
}

/** The transitions out of `processing` (domain/state/inbound-email.ts). */
export type ProcessingOutcome = SettlePatch | FailPatch;

/** Which settled or failed messages `reprocess` moves back to `received`. */
export type ReprocessSelection =
  { ids: string[] } | { status: 'failed' | 'ignored' | 'processed'; limit: number };

/** A route as written: everything but the times. */
export type NewInboundRoute = Omit<InboundRoute, 'createdAt' | 'updatedAt'>;

export type InboundRoutePatch = Partial<
  Pick<NewInboundRoute, 'name' | 'priority' | 'match' | 'action' | 'enabled'>
>;

/** One attachment of one inbound email, as stored (the bytes live in its sha256's blob). */
export interface InboundAttachmentRow {
  inboundEmailId: string;
  n: number;
  sha256: string;
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
}

export interface NewInboundAttachment extends Omit<InboundAttachmentRow, 'inboundEmailId'> {
  content: Buffer;
}

/** A reply to one of our messages, as GET /v1/messages/:id/replies lists it. */
export type ThreadReplyRow = InboundEmailRow;

export interface InboundListFilter {
  status?: InboundStatus;
  provider?: InboundProvider;
  messageId?: string;
  /** Keyset cursor: rows with id < before (ids are time-ordered UUIDv7). */
  before?: string;
  limit: number;
}

export type ProviderEventSource = 'webhook' | 'dsn';

/** A provider event stored for the first time (or stored but never handed on), by row id. */
export interface StoredProviderEvent {
  rowId: string;
  event: DeliveryEvent;
}

// ---------------------------------------------------------------- repositories

/** inbound_emails and inbound_email_raw. */
export interface InboundEmailRepository {
  /**
   * Inserts rows (+ replay nonces) in one statement and the raw bytes of the inserted ones after
   * it, as binary parameters; returns the ids that were inserted. A row missing from the result
   * is a duplicate by one of the unique keys or nonces.
   */
  insertReceived(ex: Executor, items: readonly ReceivedInboundEmail[]): Promise<Set<string>>;
  findExisting(ex: Executor, keys: InboundEmailKeys): Promise<string | null>;
  /** `start` for every claimable id in one statement, with the raw bytes of the small ones. */
  claimForProcessing(
    ex: Executor,
    ids: readonly string[],
    now: Date,
  ): Promise<ClaimedInboundEmail[]>;
  /** `complete`, `ignore` or `fail`; false when the message was not `processing` any more. */
  transition(ex: Executor, id: string, outcome: ProcessingOutcome, now: Date): Promise<boolean>;
  /** `reprocess`: settled or failed messages back to `received`; returns the ids moved. */
  reprocess(ex: Executor, select: ReprocessSelection, now: Date): Promise<string[]>;
  get(ex: Executor, id: string): Promise<InboundEmailRow | null>;
  list(ex: Executor, filter: InboundListFilter): Promise<InboundEmailRow[]>;
  /** Replies to one outbound message, oldest first. */
  listReplies(ex: Executor, outboundMessageId: string, limit: number): Promise<ThreadReplyRow[]>;
  /** The raw bytes (a large message read in slices), or null after retention. */
  loadRaw(ex: Executor, id: string): Promise<Buffer | null>;
  markRejectionSent(ex: Executor, id: string, now: Date): Promise<void>;
  /** Deletes the raw bytes of up to `limit` messages settled as `status` before `before`. */
  deleteRaw(
    ex: Executor,
    status: InboundStatus,
    before: Date,
    limit: number,
    now: Date,
  ): Promise<number>;
}

/** inbound_routes: the routes in evaluation order, and the one default. */
export interface InboundRouteRepository {
  listRoutes(ex: Executor): Promise<InboundRoute[]>;
  getRoute(ex: Executor, id: string): Promise<InboundRoute | null>;
  insertRoute(ex: Executor, r: NewInboundRoute, now: Date): Promise<InboundRoute>;
  updateRoute(
    ex: Executor,
    id: string,
    p: InboundRoutePatch,
    now: Date,
  ): Promise<InboundRoute | null>;
  deleteRoute(ex: Executor, id: string): Promise<boolean>;
  /** Replaces the default route's action (inserting the row the first time); null removes it. */
  setDefaultRoute(ex: Executor, r: NewInboundRoute | null, now: Date): Promise<InboundRoute | null>;
}

/** inbound_attachments and inbound_attachment_blobs (bytes deduplicated by sha256). */
export interface InboundAttachmentRepository {
  /** Stores the blobs not stored yet and one row per attachment; a second call does nothing. */
  insertAttachments(
    ex: Executor,
    inboundEmailId: string,
    items: readonly NewInboundAttachment[],
    now: Date,
  ): Promise<void>;
  listAttachments(ex: Executor, inboundEmailId: string): Promise<InboundAttachmentRow[]>;
  /** `length` bytes of a blob from `offset` (0-based). */
  readBlob(ex: Executor, sha256: string, offset: number, length: number): Promise<Buffer>;
  /** Attachments of messages whose raw bytes retention deleted, then blobs nobody refers to. */
  deleteExpiredAttachments(ex: Executor, limit: number): Promise<{ rows: number; blobs: number }>;
}

/** webhook_nonces: replay protection for webhooks that carry a one-time token. */
export interface WebhookNonceRepository {
  /** Records the nonce; false when it was seen before (a replay). */
  claimNonce(ex: Executor, nonce: ReplayNonce, now: Date): Promise<boolean>;
  deleteNonces(ex: Executor, before: Date): Promise<number>;
}

/** provider_events: delivery events as providers reported them, deduped by event id. */
export interface ProviderEventRepository {
  /** Inserts events, skipping ones already handed on; returns the rest with their row ids. */
  insertProviderEvents(
    ex: Executor,
    events: readonly DeliveryEvent[],
    source: ProviderEventSource,
    now: Date,
  ): Promise<StoredProviderEvent[]>;
  setEventMatched(ex: Executor, rowId: string, matched: boolean): Promise<void>;
  /** Retention: events received before `before`, `limit` at a time; returns how many went. */
  pruneProviderEvents(ex: Executor, before: Date, limit: number): Promise<number>;
}

/** unmapped_provider_events: provider events that move no message, kept and counted. */
export interface UnmappedProviderEventRepository {
  /** Inserts the events not stored before (by provider event id); returns how many. */
  insertUnmappedEvents(ex: Executor, events: readonly UnmappedEvent[], now: Date): Promise<number>;
  deleteUnmappedEvents(ex: Executor, before: Date): Promise<number>;
}

/** inbound_rejection_limits: at most one rejection mail per address per reason per 24 h. */
export interface InboundRejectionLimitRepository {
  /** Atomically takes the per-address-per-reason 24 h slot; false when one was used. */
  claimRejectionSlot(ex: Executor, address: string, reason: string, now: Date): Promise<boolean>;
}
