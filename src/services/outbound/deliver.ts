/**
 * The send worker's use case, in named steps. The job's ids are claimed a few at a time
 * (queued → sending, with a lease), checked again (deadline, suppressions added since
 * acceptance), given rate-limit slots (rate-slots.ts), then each message is attempted in a send
 * slot (send-slots.ts: deliver-attempt.ts sends to its open recipients, deliver-outcomes.ts
 * settles every recipient) and its outcome is committed as soon as its SMTP transaction ends
 * (deliver-recorder.ts). The slot is held until that commit.
 *
 * The ambiguous window (docs/outbound.md): between the server's 250 and our COMMIT, a crash
 * leaves the message `sending` with a lease. The sweeper then re-queues it flagged
 * `possibly_duplicate`, with the same Message-ID, so it is sent again (at least once). At most
 * the send slots' worth of messages can be in that window; claiming a few at a time keeps the
 * flagged ones (claimed, perhaps not yet sent) to about as many again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { MessageStream } from '../../domain/outbound/message.js';
import { isOpen } from '../../domain/state/recipient-delivery.js';
import type { ComposeSettings } from '../../outbound/compose.js';
import type { Transport } from '../../outbound/composed-message.js';
import { attempt, type AttemptDeps, type MimeBuilder, type Outcome } from './deliver-attempt.js';
import { settle, type Settlement } from './deliver-outcomes.js';
import { createRecorder, type RecordDeps, type Recorder } from './deliver-recorder.js';
import type {
  ClaimedMessage,
  OutboundMessageRepository,
  SuppressionRepository,
} from './ports/index.js';
import { createPacer, reserveSlots, type Pacer, type RateSlotDeps } from './rate-slots.js';
import { createSendSlots, type SendSlots } from './send-slots.js';
import type { OutboundSettings } from './settings.js';

export type { MimeBuilder } from './deliver-attempt.js';

/** The longest an outcome waits for others to share its commit (deliver-recorder.ts). */
const COMMIT_LINGER_MS = 8;

export interface SendCounts {
  sent: number;
  deferred: number;
  failed: number;
  skipped: number;
}

export interface DeliverService {
  /** Attempts the given messages; ids not in a sendable state are skipped. */
  processSend(ids: readonly string[]): Promise<SendCounts>;
}

export interface DeliverDeps extends RecordDeps, RateSlotDeps {
  clock: Clock;
  log: Logger;
  settings: OutboundSettings;
  transport: Transport;
  mime: MimeBuilder;
  outboundMessages: Pick<OutboundMessageRepository, 'claimMessages' | 'recordOutcomes'>;
  suppressions: Pick<SuppressionRepository, 'suppressedAmong' | 'addSuppressions'>;
  telemetry?: AttemptDeps['telemetry'];
  /** The recorder's connections, apart from `db`'s (storage/db.ts, createGenericPlanPool). */
  commitDb: RecordDeps['db'];
}

/** The deps, and what every call shares: the attempt's deps, the slots and the recorder. */
interface Send {
  deps: DeliverDeps;
  attemptDeps: AttemptDeps;
  slots: SendSlots;
  recorder: Recorder;
  pacer: Pacer;
}

/** One claimed message and who it goes to now. */
interface Plan {
  m: ClaimedMessage;
  /** Open, unsuppressed recipients (lower-cased): this attempt's envelope. */
  to: string[];
  suppressed: string[];
  expired: boolean;
}

/** The recipients still to be sent to (a message without delivery rows: all of them). */
function openOf(m: ClaimedMessage): string[] {
  if (m.deliveries.length === 0) return m.recipients;
  return m.deliveries.filter((d) => isOpen(d.status)).map((d) => d.address);
}

/** Send-time checks: the deadline, and suppressions added since acceptance, per recipient. */
async function plan(deps: DeliverDeps, claimed: ClaimedMessage[], now: Date): Promise<Plan[]> {
  const hits = new Map<MessageStream, Set<string>>();
  for (const stream of ['transactional', 'broadcast'] as const) {
    const open = claimed.filter((m) => m.stream === stream).flatMap(openOf);
    if (open.length > 0)
      hits.set(
        stream,
        await deps.suppressions.suppressedAmong(deps.db, [...new Set(open)], stream),
      );
  }
  return claimed.map((m) => {
    if (m.expiresAt.getTime() < now.getTime()) return { m, to: [], suppressed: [], expired: true };
    const stopped = hits.get(m.stream) ?? new Set<string>();
    const open = openOf(m);
    return {
      m,
      to: open.filter((a) => !stopped.has(a)),
      suppressed: open.filter((a) => stopped.has(a)),
      expired: false,
    };
  });
}

function count(counts: SendCounts, s: Settlement): void {
  if (s.event === 'accept' || s.event === 'partial') counts.sent += 1;
  else if (s.event === 'defer') counts.deferred += 1;
  else if (s.event === 'fail' || s.event === 'bounce' || s.event === 'expire') counts.failed += 1;
}

/** Settles and commits one message; the caller holds its send slot, if it sent. */
async function conclude(send: Send, p: Plan, outcome: Outcome, until: Date, counts: SendCounts) {
  const { settings, clock } = send.deps;
  const s = settle({ ...p, outcome, now: clock.now(), retry: settings.retry });
  await send.recorder.record(s, until);
  count(counts, s);
}

/** Starts the chunk's messages; each resolves once its outcome is committed. */
async function startChunk(
  send: Send,
  ids: readonly string[],
  counts: SendCounts,
  jobStart: Date,
): Promise<Array<Promise<void>>> {
  const { deps } = send;
  const now = deps.clock.now();
  const until = new Date(now.getTime() + deps.settings.leaseSeconds * 1000);
  // Deferred mail comes back through the sweeper (deferred → queued), never straight here.
  const claimed = await deps.outboundMessages.claimMessages(deps.db, ids, now, until);
  counts.skipped += ids.length - claimed.length;
  const plans = await plan(deps, claimed, now);
  const live = plans.filter((p) => p.to.length > 0 && !p.expired);
  // The inline window counts from the job's start, not the chunk's: a job holds mail for its
  // rate slots at most that long, however many chunks it has.
  const rate = await reserveSlots(
    deps,
    live.map((p) => p.m),
    jobStart,
  );
  return plans.map(async (p) => {
    const slot = rate.get(p.m.id);
    if (p.to.length === 0 || p.expired)
      return conclude(send, p, { id: p.m.id, kind: 'not_sent' }, until, counts);
    if (slot && !slot.inline)
      return conclude(send, p, { id: p.m.id, kind: 'rate_limited', at: slot.at }, until, counts);
    const wait = slot ? slot.at.getTime() - deps.clock.now().getTime() : 0;
    if (wait > 0) deps.telemetry?.rateLimitWaited('inline', wait / 1000);
    if (wait > 0) await sleep(wait);
    return send.slots.run(async () => {
      if (slot) await send.pacer.pace(slot.keys);
      const outcome = await attempt(send.attemptDeps, p.m, new Set(p.to));
      await conclude(send, p, outcome, until, counts);
    });
  });
}

async function processSend(send: Send, ids: readonly string[]): Promise<SendCounts> {
  const counts: SendCounts = { sent: 0, deferred: 0, failed: 0, skipped: 0 };
  const started: Array<Promise<void>> = [];
  const chunk = send.slots.size * 2;
  const jobStart = send.deps.clock.now();
  let failure: unknown = null;
  try {
    for (let i = 0; i < ids.length; i += chunk) {
      // Claim the next few only once the earlier ones all have a slot: few leased and unsent.
      await send.slots.drained();
      started.push(...(await startChunk(send, ids.slice(i, i + chunk), counts, jobStart)));
    }
  } catch (err) {
    failure = err;
  }
  for (const r of await Promise.allSettled(started))
    if (r.status === 'rejected') failure ??= r.reason;
  // Unrecorded messages keep their leases and the sweeper re-queues them; the job fails, so
  // pg-boss retries the ids that were never claimed.
  if (failure) throw failure;
  return counts;
}

export function createDeliverService(deps: DeliverDeps): DeliverService {
  const { settings } = deps;
  const composeSettings: ComposeSettings = {
    messageIdDomain: settings.messageIdDomain,
    publicUrl: settings.publicUrl,
    secret: settings.secret,
    unsubscribeMailto: settings.unsubscribeMailto,
  };
  const send: Send = {
    deps,
    attemptDeps: { ...deps, composeSettings },
    slots: createSendSlots(settings.sendConcurrency),
    // Half the slots may wait for a commit while the other half keeps the pool's connections
    // busy; 8 ms is small beside an SMTP transaction to a real server (tens of ms or more).
    recorder: createRecorder(
      { ...deps, db: deps.commitDb },
      {
        batchTarget: Math.max(1, Math.floor(settings.sendConcurrency / 2)),
        lingerMs: COMMIT_LINGER_MS,
      },
    ),
    pacer: createPacer(),
  };
  return { processSend: (ids) => processSend(send, ids) };
}
