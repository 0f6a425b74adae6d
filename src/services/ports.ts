/**
 * The ports the use cases depend on. storage/ and jobs/ implement them; main/ wires them in.
 * Services never import pg, pg-boss or express: they receive these interfaces.
 */
import type { DeliveryEventRef, DeliveryReport } from '../domain/outbound/delivery-event.js';

declare const executorBrand: unique symbol;

/**
 * Where storage runs SQL: the pool, or one transaction's client. Services hold one and pass it
 * to storage functions as their first argument; only storage/sql.ts can open it, so a service
 * cannot run SQL of its own (docs/architecture.md, "SQL only in storage").
 */
export interface Executor {
  readonly [executorBrand]: 'Executor';
}

/** The database as services see it: a handle for single statements, and transactions. */
export interface Database extends Executor {
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
}

/**
 * Queue name → payload type. Each feature adds its queues by declaration merging, next to the
 * zod schema that validates the payload (see services/system/job-payloads.ts):
 *
 *   declare module '../ports.js' { interface JobPayloads { 'outbound.send': SendPayload } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}
export type QueueName = keyof JobPayloads & string;

export interface EnqueueOptions {
  /** Run inside this transaction, so the job exists only if the caller's rows commit. */
  tx?: Executor;
  startAfter?: Date;
  singletonKey?: string;
  priority?: number;
  /** Reuses a job id we chose, for example the row id it processes. */
  id?: string;
}

export interface JobQueue {
  /** Validates `data` against the queue's schema, then enqueues. Returns the job id. */
  send<N extends QueueName>(
    name: N,
    data: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /** Bulk enqueue for fan-outs (one statement; pg-boss `insert`). */
  sendMany<N extends QueueName>(
    name: N,
    items: ReadonlyArray<{ data: JobPayloads[N] } & Omit<EnqueueOptions, 'tx'>>,
    options?: { tx?: Executor },
  ): Promise<void>;
}

// ---------------------------------------------------------------- what features offer each other

/** Mail the product itself sends through the outbound engine (prompts, digests, rejections). */
export interface OutboundMessageInput {
  from?: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  stream: 'transactional' | 'broadcast';
  kind: 'prompt' | 'reminder' | 'digest' | 'system';
  reply_to?: string;
  /** A signed Reply-To so a reply to this message threads back to it (needs INBOUND_DOMAIN). */
  reply_tracking?: boolean;
  cc?: string[];
  attachments?: Array<{ filename: string; content: string; content_type: string }>;
  in_reply_to?: string;
  references?: string[];
  list_unsubscribe?: { url: string; mailto?: string };
  tags?: string[];
  metadata?: Record<string, unknown>;
  idempotency_key?: string;
}

/**
 * The outbound engine as other features use it; main/ passes the outbound feature's services.
 * `sendMessage` joins the caller's transaction when given one.
 */
export interface OutboundPort {
  sendMessage(
    input: OutboundMessageInput,
    opts?: { tx?: Executor },
  ): Promise<{ id: string; status: string; message_id?: string | null }>;
  /** A provider's report about one of our messages; an unknown message is not an error. */
  recordDeliveryEvent(ref: DeliveryEventRef, event: DeliveryReport): Promise<{ found: boolean }>;
}

/** One event for the webhook delivery engine (the one status webhooks use). */
export interface WebhookEvent {
  eventType: string;
  payload: unknown;
  /** These endpoints get it… */
  endpointIds: readonly string[];
  /** …and, when set, every enabled endpoint subscribed to `eventType`. */
  subscribers: boolean;
  inboundEmailId?: string | null;
}

/** A delivery that an endpoint accepted with a 2xx, as a response handler sees it. */
export interface DeliveredWebhook {
  deliveryId: string;
  endpointId: string;
  eventType: string;
  inboundEmailId: string | null;
  payload: unknown;
}

export type WebhookResponseHandler = (d: DeliveredWebhook, body: string) => Promise<void>;

/**
 * The webhook delivery engine (services/outbound/webhooks.ts) as other features use it: the
 * same signing, retry schedule, auto-disable, SSRF guard, attempt log and manual redelivery.
 */
export interface WebhookPort {
  /** Queues the event inside `tx` (so it exists only if the caller commits); returns how many. */
  enqueueEvent(tx: Executor, e: WebhookEvent): Promise<number>;
  createEndpoint(input: { url: string; events: string[] }): Promise<{ id: string; secret: string }>;
  endpointExists(id: string): Promise<boolean>;
  /** Called with the body of each 2xx answer to a delivery of `eventType`. */
  onResponse(eventType: string, handler: WebhookResponseHandler): void;
}
