/**
 * Commits each message's outcome as soon as its SMTP transaction ends, grouped with the others
 * that end within a few milliseconds (group commit on a short timer): a commit starts once
 * `batchTarget` settlements wait or the oldest has waited `lingerMs`, with at most two commits
 * running. A commit's fixed cost (the round trip, the statement's plan and locks) is larger
 * than its cost per message, so committing each message alone spent on commits the cores that
 * sending needs (docs/performance.md); waiting longer would hold send slots idle, since a
 * message keeps its slot until its outcome is written. A commit is one statement
 * (recordOutcomes: the recipients' transitions, the messages' transitions with their timeline
 * rows, the MIME), or one transaction when it also adds suppressions or announces status
 * webhooks.
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
  OutcomeBatch,
  SuppressionRepository,
  TransitionRow,
} from './ports/index.js';
import type { WebhookService } from './webhooks.js';

export interface RecordDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  transport: Pick<Transport, 'name'>;
  outboundMessages: Pick<OutboundMessageRepository, 'recordOutcomes'>;
  suppressions: Pick<SuppressionRepository, 'addSuppressions'>;
  webhookService: Pick<WebhookService, 'publish' | 'listening'>;
}

export interface RecorderOptions {
  /** Settlements that start a commit at once. */
  batchTarget: number;
  /** The longest a settlement waits for others before its commit starts. */
  lingerMs: number;
}

export interface Recorder {
  /** Resolves once `s` is committed; rejects if it could not be by `until`. */
  record(s: Settlement, until: Date): Promise<void>;
}

interface Pending {
  s: Settlement;
  /** performance.now() when it arrived */
  at: number;
  until: Date;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Most settlements in one commit: a backlog drains in a few large ones. */
const MAX_BATCH = 500;
/** Commits running at once; the composition root gives the commits as many connections. */
export const COMMITS_IN_FLIGHT = 2;

/** The settlements as one statement's worth: a transition per event, the recipients, the MIME. */
function batchOf(deps: RecordDeps, batch: readonly Settlement[]): OutcomeBatch {
  const byEvent = new Map<OutboundEvent, TransitionRow[]>();
  for (const s of batch.filter((s) => !s.rateLimited))
    byEvent.set(s.event, [...(byEvent.get(s.event) ?? []), s.row]);
  // A rate-limit delay is ours, not the recipient server's: not an attempt, no webhook.
  const delayed = batch.filter((s) => s.rateLimited).map((s) => s.row);
  return {
    transitions: [
      ...[...byEvent].map(([event, rows]) => ({ event, rows })),
      { event: 'defer', rows: delayed, options: { uncount: true, eventType: 'rate_limited' } },
    ],
    recipients: batch.flatMap((s) => s.recipients),
    raws: batch.flatMap((s) => (s.raw ? [{ id: s.id, raw: s.raw }] : [])),
    transport: deps.transport.name,
  };
}

/**
 * Writes a group of settlements. Usually one statement; a transaction when the group adds
 * suppressions or webhook endpoints are listening, so those commit with the transitions.
 */
export async function writeSettlements(
  deps: RecordDeps,
  batch: readonly Settlement[],
  now: Date,
): Promise<void> {
  const { outboundMessages: messages } = deps;
  const b = batchOf(deps, batch);
  const suppressions = batch.flatMap((s) => s.suppressions);
  if (suppressions.length === 0 && !(await deps.webhookService.listening())) {
    await messages.recordOutcomes(deps.db, b, now);
    return;
  }
  await deps.db.transaction(async (tx: Executor) => {
    const moved = await messages.recordOutcomes(tx, b, now);
    await deps.suppressions.addSuppressions(tx, suppressions, now);
    await deps.webhookService.publish(tx, moved.slice(0, -1).flat(), now);
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

export function createRecorder(deps: RecordDeps, options: RecorderOptions): Recorder {
  const queue: Pending[] = [];
  let running = 0;
  let timer: NodeJS.Timeout | null = null;
  const due = () =>
    queue.length >= options.batchTarget || performance.now() - queue[0]!.at >= options.lingerMs;
  // Two commits may be in flight: a group that is due while one is being written goes out at
  // once instead of waiting for it. They touch different messages, so they never conflict.
  const kick = () => {
    while (queue.length > 0 && running < COMMITS_IN_FLIGHT && due()) {
      running += 1;
      void writeGroup(deps, queue.splice(0, MAX_BATCH)).finally(() => {
        running -= 1;
        kick();
      });
    }
    if (queue.length > 0 && running < COMMITS_IN_FLIGHT && !timer) {
      const wait = options.lingerMs - (performance.now() - queue[0]!.at);
      timer = setTimeout(
        () => {
          timer = null;
          kick();
        },
        Math.max(0, wait),
      );
    }
  };
  return {
    record(s, until) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ s, until, at: performance.now(), resolve, reject });
        kick();
      });
    },
  };
}
