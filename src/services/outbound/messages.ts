/**
 * Reading and steering messages after acceptance: get with the event timeline, list with keyset
 * pagination, the raw MIME, cancel, retry, and "resend exactly the failed ones of a batch".
 */
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type {
  MessageEventRecord,
  OutboundMessageRecord,
  RecipientDelivery,
} from '../../domain/outbound/message.js';
import { outboundMachine, type OutboundStatus } from '../../domain/state/outbound-message.js';
import type { Database, JobQueue } from '../ports.js';
import { SEND_QUEUE } from './job-payloads.js';
import type { MessageFilter, OutboundMessageRepository } from './ports/index.js';
import type { OutboundSettings } from './settings.js';
import type { WebhookService } from './webhooks.js';

export interface MessageService {
  get(id: string): Promise<{
    message: OutboundMessageRecord;
    deliveries: RecipientDelivery[];
    events: MessageEventRecord[];
  }>;
  list(f: MessageFilter): Promise<{ messages: OutboundMessageRecord[]; nextCursor: string | null }>;
  raw(id: string): Promise<Buffer>;
  cancel(id: string): Promise<{ id: string; status: OutboundStatus }>;
  retry(id: string): Promise<{ id: string; status: OutboundStatus }>;
  /** Re-queues every failed, expired or partially sent message of a batch; returns their ids. */
  resendFailed(batchId: string): Promise<{ batch_id: string; requeued: string[] }>;
}

export interface MessageDeps {
  db: Database;
  queue: JobQueue;
  clock: Clock;
  settings: Pick<OutboundSettings, 'retry'>;
  outboundMessages: Pick<
    OutboundMessageRepository,
    | 'getMessage'
    | 'getMessages'
    | 'listMessages'
    | 'getEvents'
    | 'getRaw'
    | 'applyTransition'
    | 'applyRecipientTransitions'
    | 'getDeliveries'
    | 'batchExists'
  >;
  webhookService: Pick<WebhookService, 'publish'>;
}

async function mustGet(deps: MessageDeps, id: string): Promise<OutboundMessageRecord> {
  const m = await deps.outboundMessages.getMessage(deps.db, id);
  if (!m) throw new NotFoundError('message_not_found', `No message ${id}`);
  return m;
}

/** A new attempt series for each id (failed or expired), one send job per message. */
async function requeue(deps: MessageDeps, ids: string[]): Promise<string[]> {
  const { outboundMessages: messages } = deps;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const moved = await messages.applyTransition(
      tx,
      'retry',
      ids.map((id) => ({ id, reason: 'retry requested' })),
      { now, expiresAt: new Date(now.getTime() + deps.settings.retry.maxAgeMs) },
    );
    if (moved.length > 0) {
      // Only the recipients that did not get it go again; the accepted ones are left alone.
      await messages.applyRecipientTransitions(
        tx,
        moved.map((m) => ({ messageId: m.id, address: null, event: 'retry' })),
        now,
      );
      const msgs = await messages.getMessages(
        tx,
        moved.map((m) => m.id),
      );
      await deps.queue.sendMany(
        SEND_QUEUE,
        msgs.map((m) => ({ data: { ids: [m.id] }, priority: m.priority })),
        { tx },
      );
    }
    return moved.map((m) => m.id);
  });
}

async function list(deps: MessageDeps, f: MessageFilter) {
  const messages = await deps.outboundMessages.listMessages(deps.db, { ...f, limit: f.limit + 1 });
  const more = messages.length > f.limit;
  const page = more ? messages.slice(0, f.limit) : messages;
  return { messages: page, nextCursor: more ? page[page.length - 1]!.id : null };
}

async function raw(deps: MessageDeps, id: string): Promise<Buffer> {
  await mustGet(deps, id);
  const mime = await deps.outboundMessages.getRaw(deps.db, id);
  if (!mime)
    throw new NotFoundError(
      'raw_not_available',
      'No MIME stored for this message: not sent yet, or past OUTBOUND_RETENTION_RAW_DAYS',
    );
  return mime;
}

async function cancel(deps: MessageDeps, id: string) {
  const { clock } = deps;
  const m = await mustGet(deps, id);
  const moved = await deps.db.transaction(async (tx) => {
    const rows = await deps.outboundMessages.applyTransition(
      tx,
      'cancel',
      [{ id, reason: 'canceled through the API' }],
      { now: clock.now() },
    );
    await deps.webhookService.publish(tx, rows, clock.now());
    return rows;
  });
  if (moved.length === 0) {
    throw new ConflictError(
      'not_cancelable',
      `A ${m.status} message cannot be canceled (only ${outboundMachine.sources('cancel').join(', ')})`,
      { status: m.status },
    );
  }
  return { id, status: 'canceled' as const };
}

async function retry(deps: MessageDeps, id: string) {
  const m = await mustGet(deps, id);
  const moved = await requeue(deps, [id]);
  if (moved.length === 0) {
    throw new ConflictError(
      'not_retryable',
      `A ${m.status} message cannot be retried (only ${outboundMachine.sources('retry').join(', ')})`,
      { status: m.status },
    );
  }
  return { id, status: 'queued' as const };
}

async function resendFailed(deps: MessageDeps, batchId: string) {
  if (!(await deps.outboundMessages.batchExists(deps.db, batchId)))
    throw new NotFoundError('batch_not_found', `No batch ${batchId}`);
  const requeued: string[] = [];
  for (let before: string | undefined; ;) {
    const page = await deps.outboundMessages.listMessages(deps.db, {
      batchId,
      status: ['failed', 'expired', 'partially_sent'],
      before,
      limit: 1000,
    });
    if (page.length === 0) break;
    requeued.push(
      ...(await requeue(
        deps,
        page.map((m) => m.id),
      )),
    );
    before = page[page.length - 1]!.id;
  }
  return { batch_id: batchId, requeued };
}

export function createMessageService(deps: MessageDeps): MessageService {
  return {
    async get(id) {
      const message = await mustGet(deps, id);
      const deliveries = await deps.outboundMessages.getDeliveries(deps.db, [id]);
      const events = await deps.outboundMessages.getEvents(deps.db, id);
      return { message, deliveries: deliveries.get(id) ?? [], events };
    },
    list: (f) => list(deps, f),
    raw: (id) => raw(deps, id),
    cancel: (id) => cancel(deps, id),
    retry: (id) => retry(deps, id),
    resendFailed: (batchId) => resendFailed(deps, batchId),
  };
}
