/**
 * The sweeper: everything that happens because time passed. It promotes scheduled mail whose
 * send_at came, re-queues deferred mail whose retry time came, expires mail past its deadline,
 * re-enqueues queued mail whose job was lost, and recovers expired leases.
 *
 * An expired lease is the ambiguous window: the worker may have handed the message to the
 * server and died before recording it. We cannot ask an SMTP server, so the policy is
 * at-least-once: re-queue it, flagged `possibly_duplicate`, with the same Message-ID.
 */
import type { OutboundDeps } from './settings.js';
import { SEND_QUEUE } from './job-payloads.js';
import type { WebhookService } from './webhooks.js';

const PAGE = 1000;

export interface SweepService {
  sweep(): Promise<{
    promoted: number;
    requeued: number;
    recovered: number;
    expired: number;
    reenqueued: number;
  }>;
}

export function createSweepService(deps: OutboundDeps, webhooks: WebhookService): SweepService {
  const { db, store, queue, clock, settings, log } = deps;

  async function moveAndEnqueue(ids: string[], event: 'promote' | 'requeue'): Promise<number> {
    if (ids.length === 0) return 0;
    const now = clock.now();
    return db.transaction(async (tx) => {
      const moved = await store.applyTransition(
        tx,
        event,
        ids.map((id) => ({ id })),
        { now },
      );
      if (moved.length > 0) {
        const msgs = await store.getMessages(
          tx,
          moved.map((m) => m.id),
        );
        const size = settings.jobMode === 'batch' ? settings.jobGroupSize : 1;
        const byPriority = new Map<number, string[]>();
        for (const m of msgs)
          byPriority.set(m.priority, [...(byPriority.get(m.priority) ?? []), m.id]);
        const jobs: Array<{ data: { ids: string[] }; priority: number }> = [];
        for (const [priority, list] of byPriority) {
          for (let i = 0; i < list.length; i += size)
            jobs.push({ data: { ids: list.slice(i, i + size) }, priority });
        }
        await queue.sendMany(SEND_QUEUE, jobs, { tx });
      }
      return moved.length;
    });
  }

  return {
    async sweep() {
      const out = { promoted: 0, requeued: 0, recovered: 0, expired: 0, reenqueued: 0 };
      const now = () => clock.now();

      for (;;) {
        const ids = await store.findDue(db, 'expired', now(), PAGE);
        if (ids.length === 0) break;
        const moved = await db.transaction(async (tx) => {
          const rows = await store.applyTransition(
            tx,
            'expire',
            ids.map((id) => ({ id, reason: 'deadline passed before it could be sent' })),
            { now: now() },
          );
          await webhooks.publish(tx, rows, now());
          return rows.length;
        });
        out.expired += moved;
        if (ids.length < PAGE) break;
      }

      for (;;) {
        const ids = await store.findDue(db, 'lease_expired', now(), PAGE);
        if (ids.length === 0) break;
        const rows = await db.transaction((tx) =>
          store.applyTransition(
            tx,
            'defer',
            ids.map((id) => ({
              id,
              reason: 'lease expired while sending; the server may have accepted it',
              nextAttemptAt: now(),
            })),
            { now: now(), possiblyDuplicate: true, eventType: 'lease_expired' },
          ),
        );
        if (rows.length > 0)
          log.warn(
            { ids: rows.map((r) => r.id) },
            'recovered messages whose lease expired (possible duplicates)',
          );
        out.recovered += rows.length;
        out.requeued += await moveAndEnqueue(
          rows.map((r) => r.id),
          'requeue',
        );
        if (ids.length < PAGE) break;
      }

      for (;;) {
        const ids = await store.findDue(db, 'scheduled', now(), PAGE);
        out.promoted += await moveAndEnqueue(ids, 'promote');
        if (ids.length < PAGE) break;
      }
      for (;;) {
        const ids = await store.findDue(db, 'deferred', now(), PAGE);
        out.requeued += await moveAndEnqueue(ids, 'requeue');
        if (ids.length < PAGE) break;
      }

      // A queued message untouched for two lease periods lost its job (e.g. deleted by hand).
      const stale = await store.findDue(
        db,
        'stale_queued',
        now(),
        PAGE,
        new Date(now().getTime() - 2 * settings.leaseSeconds * 1000),
      );
      if (stale.length > 0) {
        await queue.sendMany(
          SEND_QUEUE,
          stale.map((id) => ({ data: { ids: [id] } })),
        );
        out.reenqueued = stale.length;
      }
      return out;
    },
  };
}
