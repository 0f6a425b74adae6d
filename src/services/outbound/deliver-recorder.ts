/**
 * Commits each message's outcome as soon as its SMTP transaction ends (group commit): a
 * settlement is written at once when no commit is running, and those that arrive meanwhile go
 * together in the next one. Each commit is one transaction: the recipients' transitions, the
 * messages' transitions (with their timeline rows), the MIME, new suppressions and the status
 * webhooks they announce.
 *
 * A commit that fails (the database went away) is retried with backoff until the message's
 * lease ends: the server has the mail, and writing that down late is better than sending it
 * again. Every write is a guarded transition, so a retried commit that had in fact landed
 * changes nothing. A batch that fails is retried message by message, so one bad row cannot
 * hold the others back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { OutboundEvent } from '../../domain/state/outbound-message.js';
import type { Transport } from '../../outbound/composed-message.js';
import type { Database, Executor } from '../ports.js';
import type { Settlement } from './deliver-outcomes.js';
import type {
  OutboundMessageRepository,
  SuppressionRepository,
  TransitionedRow,
} from './ports/index.js';
import type { WebhookService } from './webhooks.js';

export interface RecordDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  transport: Pick<Transport, 'name'>;
  outboundMessages: Pick<
    OutboundMessageRepository,
    'applyTransition' | 'applyRecipientTransitions' | 'storeRaw'
  >;
  suppressions: Pick<SuppressionRepository, 'addSuppressions'>;
  webhookService: Pick<WebhookService, 'publish'>;
}

export interface Recorder {
  /** Resolves once `s` is committed; rejects if it could not be by `until`. */
  record(s: Settlement, until: Date): Promise<void>;
}

interface Pending {
  s: Settlement;
  until: Date;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Most settlements in one commit: a backlog drains in a few large ones. */
const MAX_BATCH = 500;

/** One transaction for a group of settlements. */
export async function writeSettlements(
  deps: RecordDeps,
  batch: readonly Settlement[],
  now: Date,
): Promise<TransitionedRow[]> {
  const { outboundMessages: messages } = deps;
  return deps.db.transaction(async (tx: Executor) => {
    // Recipients first: the message transitions and webhooks that follow read them.
    await messages.applyRecipientTransitions(
      tx,
      batch.flatMap((s) => s.recipients),
      now,
    );
    const byEvent = new Map<OutboundEvent, Settlement[]>();
    for (const s of batch.filter((s) => !s.rateLimited))
      byEvent.set(s.event, [...(byEvent.get(s.event) ?? []), s]);
    const moved: TransitionedRow[] = [];
    for (const [event, items] of byEvent)
      moved.push(
        ...(await messages.applyTransition(
          tx,
          event,
          items.map((s) => s.row),
          { now },
        )),
      );
    const delayed = batch.filter((s) => s.rateLimited).map((s) => s.row);
    await messages.applyTransition(tx, 'defer', delayed, {
      now,
      uncount: true,
      eventType: 'rate_limited',
    });
    const raws = batch.flatMap((s) => (s.raw ? [{ id: s.id, raw: s.raw }] : []));
    await messages.storeRaw(tx, raws, deps.transport.name, now);
    await deps.suppressions.addSuppressions(
      tx,
      batch.flatMap((s) => s.suppressions),
      now,
    );
    await deps.webhookService.publish(tx, moved, now);
    return moved;
  });
}

/** Writes one settlement, retrying with backoff until its deadline. */
async function writeOne(deps: RecordDeps, p: Pending): Promise<void> {
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      await writeSettlements(deps, [p.s], deps.clock.now());
      return p.resolve();
    } catch (err) {
      if (deps.clock.now().getTime() + delay >= p.until.getTime()) return p.reject(err);
      deps.log.warn({ err, messageId: p.s.id }, 'could not record an outcome; retrying');
      await sleep(delay);
    }
  }
}

async function writeGroup(deps: RecordDeps, group: Pending[]): Promise<void> {
  try {
    await writeSettlements(
      deps,
      group.map((p) => p.s),
      deps.clock.now(),
    );
    for (const p of group) p.resolve();
  } catch {
    await Promise.all(group.map((p) => writeOne(deps, p)));
  }
}

export function createRecorder(deps: RecordDeps): Recorder {
  const queue: Pending[] = [];
  let running = false;
  const drain = async () => {
    running = true;
    try {
      while (queue.length > 0) await writeGroup(deps, queue.splice(0, MAX_BATCH));
    } finally {
      running = false;
    }
  };
  return {
    record(s, until) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ s, until, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
