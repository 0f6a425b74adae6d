/**
 * Reading and steering messages after acceptance: get with the event timeline, list with keyset
 * pagination, the raw MIME, cancel, retry, and "resend exactly the failed ones of a batch".
 */
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { MessageEventRecord, OutboundMessageRecord } from '../../domain/outbound/message.js';
import { outboundMachine, type OutboundStatus } from '../../domain/state/outbound-message.js';
import { SEND_QUEUE } from './job-payloads.js';
import type { OutboundDeps } from './settings.js';
import type { MessageFilter } from './ports.js';
import type { WebhookService } from './webhooks.js';

export interface MessageService {
  get(id: string): Promise<{ message: OutboundMessageRecord; events: MessageEventRecord[] }>;
  list(f: MessageFilter): Promise<{ messages: OutboundMessageRecord[]; nextCursor: string | null }>;
  raw(id: string): Promise<Buffer>;
  cancel(id: string): Promise<{ id: string; status: OutboundStatus }>;
  retry(id: string): Promise<{ id: string; status: OutboundStatus }>;
  /** Re-queues every failed or expired message of a batch; returns their ids. */
  resendFailed(batchId: string): Promise<{ batch_id: string; requeued: string[] }>;
}

export function createMessageService(deps: OutboundDeps, webhooks: WebhookService): MessageService {
  const { db, store, queue, clock, settings } = deps;
  const mustGet = async (id: string) => {
    const m = await store.getMessage(db, id);
    if (!m) throw new NotFoundError('message_not_found', `No message ${id}`);
    return m;
  };

  async function requeue(ids: string[]): Promise<string[]> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const moved = await store.applyTransition(
        tx,
        'retry',
        ids.map((id) => ({ id, reason: 'retry requested' })),
        {
          now,
          expiresAt: new Date(now.getTime() + settings.retry.maxAgeMs),
        },
      );
      if (moved.length > 0) {
        const msgs = await store.getMessages(
          tx,
          moved.map((m) => m.id),
        );
        await queue.sendMany(
          SEND_QUEUE,
          msgs.map((m) => ({ data: { ids: [m.id] }, priority: m.priority })),
          { tx },
        );
      }
      return moved.map((m) => m.id);
    });
  }

  return {
    async get(id) {
      const message = await mustGet(id);
      return { message, events: await store.getEvents(db, id) };
    },
    async list(f) {
      const messages = await store.listMessages(db, { ...f, limit: f.limit + 1 });
      const more = messages.length > f.limit;
      const page = more ? messages.slice(0, f.limit) : messages;
      return { messages: page, nextCursor: more ? page[page.length - 1]!.id : null };
    },
    async raw(id) {
      await mustGet(id);
      const raw = await store.getRaw(db, id);
      if (!raw) throw new NotFoundError('raw_not_available', 'This message has not been sent yet');
      return raw;
    },
    async cancel(id) {
      const m = await mustGet(id);
      const moved = await db.transaction(async (tx) => {
        const rows = await store.applyTransition(
          tx,
          'cancel',
          [{ id, reason: 'canceled through the API' }],
          { now: clock.now() },
        );
        await webhooks.publish(tx, rows, clock.now());
        return rows;
      });
      if (moved.length === 0) {
        throw new ConflictError(
          'not_cancelable',
          `A ${m.status} message cannot be canceled (only ${outboundMachine.sources('cancel').join(', ')})`,
          {
            status: m.status,
          },
        );
      }
      return { id, status: 'canceled' };
    },
    async retry(id) {
      const m = await mustGet(id);
      const moved = await requeue([id]);
      if (moved.length === 0) {
        throw new ConflictError(
          'not_retryable',
          `A ${m.status} message cannot be retried (only failed or expired)`,
          { status: m.status },
        );
      }
      return { id, status: 'queued' };
    },
    async resendFailed(batchId) {
      if (!(await store.batchExists(db, batchId)))
        throw new NotFoundError('batch_not_found', `No batch ${batchId}`);
      const requeued: string[] = [];
      for (let before: string | undefined; ;) {
        const page = await store.listMessages(db, {
          batchId,
          status: ['failed', 'expired'],
          before,
          limit: 1000,
        });
        if (page.length === 0) break;
        requeued.push(...(await requeue(page.map((m) => m.id))));
        before = page[page.length - 1]!.id;
      }
      return { batch_id: batchId, requeued };
    },
  };
}
