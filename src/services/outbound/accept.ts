/**
 * Accepting mail, in named steps: validate → resolve the template (prepare-message.ts) →
 * idempotency (idempotency.ts) → quota → suppress → insert and enqueue, all in one transaction
 * (the caller's, when it passes one), so a message exists exactly when its job does.
 */
import type { z } from 'zod';
import { AppError, ValidationError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { ApiKeyRecord, NewOutboundMessage } from '../../domain/outbound/message.js';
import type { OutboundStatus } from '../../domain/state/outbound-message.js';
import type { Database, Executor, JobQueue } from '../ports.js';
import type { ApiKeyService } from './api-keys.js';
import { withIdempotency } from './idempotency.js';
import { SEND_QUEUE, SWEEP_QUEUE } from './job-payloads.js';
import type {
  IdempotencyKeyRepository,
  NewBatch,
  OutboundMessageRepository,
  SuppressionRepository,
} from './ports/index.js';
import { prepareMessage, type PrepareContext } from './prepare-message.js';
import { batchSchema, bulkSchema, parseMessageInput, type SendMessageInput } from './schemas.js';
import { sendJobsFor } from './send-jobs.js';
import type { OutboundSettings } from './settings.js';
import { stripSuppressed } from './suppressions.js';
import type { TemplateService } from './templates.js';

export interface AcceptOptions {
  tx?: Executor | undefined;
  /** The API key of an HTTP caller; internal callers have none. */
  apiKey?: ApiKeyRecord | null | undefined;
  /** Internal callers may set Auto-Submitted and friends. Default: true without an API key. */
  internal?: boolean | undefined;
  /** The Idempotency-Key header (overrides the body's idempotency_key). */
  idempotencyKey?: string | undefined;
}

export interface SendResult {
  id: string;
  status: OutboundStatus;
  /** The Message-ID header we generated, with angle brackets (for threading replies). */
  message_id: string;
}

export interface BatchResult {
  batch_id: string;
  accepted: Array<{ index: number; id: string; status: OutboundStatus }>;
  errors: Array<{ index: number; error: { code: string; message: string; details?: unknown } }>;
}

export interface AcceptService {
  sendMessage(input: SendMessageInput, opts?: AcceptOptions): Promise<SendResult>;
  sendBatch(input: unknown, opts?: AcceptOptions): Promise<BatchResult>;
}

export interface AcceptDeps {
  db: Database;
  queue: JobQueue;
  clock: Clock;
  settings: OutboundSettings;
  outboundMessages: Pick<OutboundMessageRepository, 'insertMessages' | 'insertBatch'>;
  suppressions: Pick<SuppressionRepository, 'suppressedAmong'>;
  idempotencyKeys: IdempotencyKeyRepository;
  templateService: Pick<TemplateService, 'resolve' | 'render'>;
  apiKeyService: Pick<ApiKeyService, 'consumeQuota'>;
}

export function zodIssues(err: z.ZodError): Array<{ path: string; message: string }> {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

function inTx<T>(deps: AcceptDeps, opts: AcceptOptions, fn: (ex: Executor) => Promise<T>) {
  return opts.tx ? fn(opts.tx) : deps.db.transaction(fn);
}

/** The product's own mail: no API key, unless the caller says otherwise. */
const isInternal = (opts: AcceptOptions) => opts.internal ?? !opts.apiKey;

function contextOf(opts: AcceptOptions, batchId: string | null, now: Date): PrepareContext {
  return {
    internal: isInternal(opts),
    apiKeyId: opts.apiKey?.id ?? null,
    replyTrackingDefault: opts.apiKey?.replyTracking ?? false,
    batchId,
    now,
  };
}

/** Drops suppressed recipients; a message left with none is created `suppressed`. */
async function suppress(deps: AcceptDeps, ex: Executor, messages: NewOutboundMessage[]) {
  for (const { message: m, hit, whole } of await stripSuppressed(deps.suppressions, ex, messages)) {
    if (whole) m.status = 'suppressed';
    else m.suppressedRecipients = hit;
    m.reason = whole
      ? `suppressed: ${hit.join(', ')}`
      : `suppressed recipients removed: ${hit.join(', ')}`;
  }
}

/** Queued messages get their send jobs; scheduled ones a sweep at send_at, which promotes them. */
async function enqueue(deps: AcceptDeps, ex: Executor, messages: NewOutboundMessage[]) {
  const { queue, settings } = deps;
  const jobs = sendJobsFor(
    messages.filter((m) => m.status === 'queued'),
    settings,
  );
  if (jobs.length === 1)
    await queue.send(SEND_QUEUE, jobs[0]!.data, { tx: ex, priority: jobs[0]!.priority });
  else if (jobs.length > 1) await queue.sendMany(SEND_QUEUE, jobs, { tx: ex });
  // Deduped per second: a thousand messages scheduled for one time wake one sweep.
  const times = new Set(
    messages
      .filter((m) => m.status === 'scheduled')
      .map((m) => Math.ceil(m.sendAt!.getTime() / 1000)),
  );
  for (const t of times) {
    await queue.send(
      SWEEP_QUEUE,
      {},
      { tx: ex, startAfter: new Date(t * 1000), singletonKey: `sweep-at-${t}` },
    );
  }
}

/** Counts `n` messages against the caller's daily quota (429 past it); internal mail is free. */
async function consumeQuota(deps: AcceptDeps, ex: Executor, opts: AcceptOptions, n: number) {
  if (opts.apiKey) await deps.apiKeyService.consumeQuota(ex, opts.apiKey, n);
}

/** The last step, shared by one message and a batch: the rows and their jobs. */
async function insertAndEnqueue(
  deps: AcceptDeps,
  ex: Executor,
  messages: NewOutboundMessage[],
  batch: NewBatch | null,
  now: Date,
): Promise<void> {
  if (batch) await deps.outboundMessages.insertBatch(ex, batch);
  await deps.outboundMessages.insertMessages(ex, messages, now);
  await enqueue(deps, ex, messages);
}

async function sendMessage(
  deps: AcceptDeps,
  input: SendMessageInput,
  opts: AcceptOptions = {},
): Promise<SendResult> {
  const parsed = parseMessageInput(input, isInternal(opts));
  if (!parsed.ok) throw parsed.error;
  const p = parsed.data;
  const { idempotency_key: bodyKey, ...hashed } = p;
  const key = opts.idempotencyKey ?? bodyKey;
  return inTx(deps, opts, (ex) =>
    withIdempotency(deps, ex, opts.apiKey, key, hashed, async () => {
      const now = deps.clock.now();
      await consumeQuota(deps, ex, opts, 1);
      const m = await prepareMessage(deps, ex, p, contextOf(opts, null, now));
      await suppress(deps, ex, [m]);
      await insertAndEnqueue(deps, ex, [m], null, now);
      return { id: m.id, status: m.status, message_id: m.messageIdHeader };
    }),
  );
}

/** A batch's items: its messages, or the bulk form expanded to one message per recipient. */
function batchItems(data: z.output<typeof batchSchema>): unknown[] {
  if ('messages' in data) return data.messages;
  const b = data as z.output<typeof bulkSchema>;
  return b.recipients.map((r) => ({
    to: [r.to],
    ...(b.from ? { from: b.from } : {}),
    ...(b.reply_to ? { reply_to: b.reply_to } : {}),
    ...(b.reply_tracking !== undefined ? { reply_tracking: b.reply_tracking } : {}),
    stream: b.stream,
    ...(b.tags ? { tags: b.tags } : {}),
    ...(b.metadata || r.metadata ? { metadata: { ...b.metadata, ...r.metadata } } : {}),
    ...(b.send_at ? { send_at: b.send_at } : {}),
    ...(b.headers ? { headers: b.headers } : {}),
    template: {
      name: b.template.name,
      data: r.data,
      ...(b.template.version ? { version: b.template.version } : {}),
    },
  }));
}

type BatchError = BatchResult['errors'][number]['error'];

/** Validates and prepares each item; an invalid one is reported by index, the others go on. */
async function prepareBatch(
  deps: AcceptDeps,
  ex: Executor,
  items: unknown[],
  ctx: PrepareContext,
): Promise<{
  ready: Array<{ index: number; m: NewOutboundMessage }>;
  errors: BatchResult['errors'];
}> {
  const errors: BatchResult['errors'] = [];
  const ready: Array<{ index: number; m: NewOutboundMessage }> = [];
  for (let index = 0; index < items.length; index++) {
    const one = parseMessageInput(items[index], ctx.internal);
    if (!one.ok) {
      const { code, message, details } = one.error;
      errors.push({ index, error: { code, message, details } });
      continue;
    }
    try {
      ready.push({ index, m: await prepareMessage(deps, ex, one.data, ctx) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const error: BatchError = { code: err.code, message: err.message };
      if (err.details !== undefined) error.details = err.details;
      errors.push({ index, error });
    }
  }
  return { ready, errors };
}

async function sendBatch(
  deps: AcceptDeps,
  input: unknown,
  opts: AcceptOptions = {},
): Promise<BatchResult> {
  const parsed = batchSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError('Invalid batch', { issues: zodIssues(parsed.error) });
  const items = batchItems(parsed.data);
  return inTx(deps, opts, (ex) =>
    withIdempotency(deps, ex, opts.apiKey, opts.idempotencyKey, input, async () => {
      const now = deps.clock.now();
      const batchId = newId(now.getTime());
      const { ready, errors } = await prepareBatch(deps, ex, items, contextOf(opts, batchId, now));
      const messages = ready.map((r) => r.m);
      if (messages.length > 0) {
        await consumeQuota(deps, ex, opts, messages.length);
        const apiKeyId = opts.apiKey?.id ?? null;
        const batch = { id: batchId, apiKeyId, size: messages.length, now };
        await suppress(deps, ex, messages);
        await insertAndEnqueue(deps, ex, messages, batch, now);
      }
      return {
        batch_id: batchId,
        accepted: ready.map((r) => ({ index: r.index, id: r.m.id, status: r.m.status })),
        errors,
      };
    }),
  );
}

export function createAcceptService(deps: AcceptDeps): AcceptService {
  return {
    sendMessage: (input, opts) => sendMessage(deps, input, opts),
    sendBatch: (input, opts) => sendBatch(deps, input, opts),
  };
}
