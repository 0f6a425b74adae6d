/**
 * The ports the use cases depend on. storage/ and jobs/ implement them; main/ wires them in.
 * Services never import pg, pg-boss or express: they receive these interfaces.
 */

/** Anything that runs SQL: the pool, or a client inside a transaction. */
export interface Executor {
  query<R = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

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
