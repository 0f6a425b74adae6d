/**
 * What the inbound use cases need from outside. storage/inbound implements InboundStore; the
 * outbound engine (issue 4) and reply extraction (issue 6) come in through the small structural
 * ports below, so main/ can pass those features' services as they are.
 */
import type { IgnoreReason, InboundStatus } from '../../domain/state/inbound-email.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import type { InboundProvider } from '../../inbound/providers/types.js';
import type { Executor } from '../ports.js';

/** Fetches a stored object for the SES S3 action. */
export type S3ObjectFetcher = (bucket: string, key: string) => Promise<Buffer>;

/** Finds one of our outbound messages by its Message-ID, for the In-Reply-To fallback. */
export interface ThreadLookup {
  findByMessageIds(ids: readonly string[]): Promise<ThreadMatch | null>;
}
export interface ThreadMatch {
  outboundMessageId: string;
  messageIdHeader: string;
  kind: string;
  recipients: string[];
  metadata: Record<string, unknown>;
}

// ---------------------------------------------------------------- rows

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
}

export interface SettlePatch {
  status: 'processed' | 'ignored';
  reason?: IgnoreReason;
  reasonDetail?: string;
  fromAddress: string | null;
  subject: string | null;
  classification: unknown;
  correlation: unknown;
  routedTo?: unknown;
  reply?: unknown;
}

export interface InboundListFilter {
  status?: InboundStatus;
  provider?: InboundProvider;
  messageId?: string;
  /** Keyset cursor: rows with id < before (ids are time-ordered UUIDv7). */
  before?: string;
  limit: number;
}

export interface InboundStore {
  /**
   * Inserts rows + raw bytes (+ replay nonces) in one statement inside `tx`; returns the ids that
   * were inserted. A row missing from the result is a duplicate by one of the unique keys.
   */
  insertReceived(
    tx: Executor,
    items: ReadonlyArray<{
      row: NewInboundEmail;
      raw: Buffer;
      nonce?: { provider: string; nonce: string };
    }>,
  ): Promise<Set<string>>;
  findExisting(
    row: Pick<NewInboundEmail, 'provider' | 'providerEventId' | 'messageId' | 'sha256'>,
  ): Promise<string | null>;
  claimForProcessing(id: string, now: Date): Promise<InboundEmailRow | null>;
  /** Claims every claimable id in one statement, with its raw bytes (null after retention). */
  claimManyForProcessing(
    ids: readonly string[],
    now: Date,
  ): Promise<Array<{ row: InboundEmailRow; raw: Buffer | null }>>;
  loadRaw(id: string): Promise<Buffer | null>;
  settle(id: string, patch: SettlePatch, now: Date): Promise<boolean>;
  markFailed(id: string, error: string, dead: boolean, now: Date): Promise<boolean>;
  /** Moves settled or failed messages back to `received`; returns the ids moved. */
  reprocess(
    select: { ids: string[] } | { status: InboundStatus; limit: number },
    now: Date,
  ): Promise<string[]>;
  get(id: string): Promise<InboundEmailRow | null>;
  list(filter: InboundListFilter): Promise<InboundEmailRow[]>;
  deleteRaw(status: InboundStatus, before: Date, limit: number, now: Date): Promise<number>;
  deleteNonces(before: Date): Promise<number>;
  /** Atomically takes the per-address-per-reason 24 h slot; false when one was used. */
  claimRejectionSlot(address: string, reason: string, now: Date): Promise<boolean>;
  markRejectionSent(id: string, now: Date): Promise<void>;
  /** Inserts provider events, skipping ones seen before; returns the new ones with their row ids. */
  insertProviderEvents(
    events: DeliveryEvent[],
    source: 'webhook' | 'dsn',
    now: Date,
    nonce?: { provider: string; nonce: string },
  ): Promise<Array<{ rowId: string; event: DeliveryEvent }>>;
  setEventMatched(rowId: string, matched: boolean): Promise<void>;
}
