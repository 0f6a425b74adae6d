/**
 * The sweeper: everything that happens because time passed. It expires mail past its deadline,
 * recovers expired leases, promotes scheduled mail whose send_at came, re-queues deferred mail
 * whose retry time came, and re-enqueues queued mail whose job was lost; each a named step, in
 * that order, a page at a time.
 *
 * An expired lease is the ambiguous window: the worker may have handed the message to the
 * server and died before recording it. We cannot ask an SMTP server, so the policy is
 * at-least-once: re-queue it, flagged `possibly_duplicate`, with the same Message-ID.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { messageVerdict, verdictEvent } from '../../domain/outbound/recipient-outcome.js';
import type { OutboundEvent, OutboundStatus } from '../../domain/state/outbound-message.js';
import { isOpen } from '../../domain/state/recipient-delivery.js';
import type { Database, JobQueue } from '../ports.js';
import { SEND_QUEUE } from './job-payloads.js';
import type { OutboundMessageRepository, TransitionedRow } from './ports/index.js';
import { sendJobsFor } from './send-jobs.js';
import type { OutboundSettings } from './settings.js';
import type { WebhookService } from './webhooks.js';

const PAGE = 1000;

/** Mail waiting in line; `sending` mail belongs to the worker that holds its lease. */
const WAITING: OutboundStatus[] = ['scheduled', 'queued', 'deferred'];

export interface SweepResult {
  promoted: number;
  requeued: number;
  recovered: number;
  expired: number;
  reenqueued: number;
}

export interface SweepService {
  sweep(): Promise<SweepResult>;
}

export interface SweepDeps {
  db: Database;
  queue: JobQueue;
  clock: Clock;
  log: Logger;
  settings: Pick<OutboundSettings, 'jobMode' | 'jobGroupSize' | 'leaseSeconds'>;
  outboundMessages: Pick<
    OutboundMessageRepository,
    'findDue' | 'applyTransition' | 'getMessages' | 'getDeliveries' | 'applyRecipientTransitions'
  >;
  webhookService: Pick<WebhookService, 'publish'>;
}

/** Runs `step` on pages of due ids until a page comes back short; returns the sum. */
async function pages(next: () => Promise<string[]>, step: (ids: string[]) => Promise<number>) {
  let total = 0;
  for (;;) {
    const ids = await next();
    if (ids.length === 0) break;
    total += await step(ids);
    if (ids.length < PAGE) break;
  }
  return total;
}

/** Moves the ids (promote or requeue) and enqueues the ones that moved, in one transaction. */
async function moveAndEnqueue(
  deps: SweepDeps,
  ids: string[],
  event: 'promote' | 'requeue',
): Promise<number> {
  if (ids.length === 0) return 0;
  const { outboundMessages: messages, clock } = deps;
  const now = clock.now();
  return deps.db.transaction(async (tx) => {
    const rows = ids.map((id) => ({ id }));
    const moved = await messages.applyTransition(tx, event, rows, { now });
    if (moved.length > 0) {
      const msgs = await messages.getMessages(
        tx,
        moved.map((m) => m.id),
      );
      await deps.queue.sendMany(SEND_QUEUE, sendJobsFor(msgs, deps.settings), { tx });
    }
    return moved.length;
  });
}

const EXPIRED = 'deadline passed before it could be sent';

/**
 * Mail past its deadline: its open recipients expire, and the message ends as they all do
 * (`expired`, or `partially_sent` when an earlier attempt reached some of them).
 */
async function expirePage(deps: SweepDeps, ids: string[]): Promise<number> {
  const { outboundMessages: messages, clock } = deps;
  return deps.db.transaction(async (tx) => {
    const now = clock.now();
    const byEvent = new Map<OutboundEvent, string[]>();
    for (const [id, ds] of await messages.getDeliveries(tx, ids)) {
      const after = ds.map((d) => ({ ...d, status: isOpen(d.status) ? 'expired' : d.status }));
      const event = ds.length ? verdictEvent(messageVerdict(after)) : 'expire';
      byEvent.set(event, [...(byEvent.get(event) ?? []), id]);
    }
    const moved: TransitionedRow[] = [];
    for (const [event, some] of byEvent) {
      const rows = some.map((id) => ({ id, reason: EXPIRED }));
      moved.push(...(await messages.applyTransition(tx, event, rows, { now, onlyFrom: WAITING })));
    }
    await messages.applyRecipientTransitions(
      tx,
      moved.map((m) => ({
        messageId: m.id,
        address: null,
        event: 'expire',
        smtpResponse: EXPIRED,
      })),
      now,
    );
    await deps.webhookService.publish(tx, moved, now);
    return moved.length;
  });
}

async function expireOverdue(deps: SweepDeps): Promise<number> {
  const { db, clock, outboundMessages: messages } = deps;
  return pages(
    () => messages.findDue(db, 'expired', clock.now(), PAGE),
    (ids) => expirePage(deps, ids),
  );
}

/** Expired leases go back to the line (deferred, then requeued at once), flagged. */
async function recoverLeases(deps: SweepDeps, out: SweepResult): Promise<void> {
  const { db, clock, outboundMessages: messages } = deps;
  out.recovered += await pages(
    () => messages.findDue(db, 'lease_expired', clock.now(), PAGE),
    async (ids) => {
      const rows = await db.transaction((tx) =>
        messages.applyTransition(
          tx,
          'defer',
          ids.map((id) => ({
            id,
            reason: 'lease expired while sending; the server may have accepted it',
            nextAttemptAt: clock.now(),
          })),
          { now: clock.now(), possiblyDuplicate: true, eventType: 'lease_expired' },
        ),
      );
      if (rows.length > 0)
        deps.log.warn(
          { ids: rows.map((r) => r.id) },
          'recovered messages whose lease expired (possible duplicates)',
        );
      const moved = rows.map((r) => r.id);
      out.requeued += await moveAndEnqueue(deps, moved, 'requeue');
      return rows.length;
    },
  );
}

/** Scheduled mail whose send_at came, or deferred mail whose retry time came, joins the line. */
async function enqueueDue(deps: SweepDeps, kind: 'scheduled' | 'deferred'): Promise<number> {
  const { db, clock, outboundMessages: messages } = deps;
  const event = kind === 'scheduled' ? 'promote' : 'requeue';
  let total = 0;
  for (;;) {
    const ids = await messages.findDue(db, kind, clock.now(), PAGE);
    total += await moveAndEnqueue(deps, ids, event);
    if (ids.length < PAGE) break;
  }
  return total;
}

/**
 * A queued message untouched for two lease periods lost its job (e.g. deleted by hand). When a
 * lease expired, a worker died, and the jobs it had fetched but not yet claimed stay `active` in
 * pg-boss until they expire (15 min): then every queued message is sent a job again at once. A
 * job for a message that another job already took claims nothing (queued → sending is guarded).
 */
async function reenqueueStale(deps: SweepDeps, workerDied: boolean): Promise<number> {
  const now = deps.clock.now();
  const staleBefore = workerDied
    ? now
    : new Date(now.getTime() - 2 * deps.settings.leaseSeconds * 1000);
  const stale = await deps.outboundMessages.findDue(
    deps.db,
    'stale_queued',
    now,
    PAGE,
    staleBefore,
  );
  if (stale.length === 0) return 0;
  await deps.queue.sendMany(
    SEND_QUEUE,
    stale.map((id) => ({ data: { ids: [id] } })),
  );
  return stale.length;
}

async function sweep(deps: SweepDeps): Promise<SweepResult> {
  const out: SweepResult = { promoted: 0, requeued: 0, recovered: 0, expired: 0, reenqueued: 0 };
  out.expired += await expireOverdue(deps);
  await recoverLeases(deps, out);
  out.promoted += await enqueueDue(deps, 'scheduled');
  out.requeued += await enqueueDue(deps, 'deferred');
  out.reenqueued = await reenqueueStale(deps, out.recovered > 0);
  return out;
}

export function createSweepService(deps: SweepDeps): SweepService {
  return { sweep: () => sweep(deps) };
}
