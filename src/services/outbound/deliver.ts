/**
 * The send worker's use case, in named steps: claim a group of messages (queued → sending, with
 * a lease), check deadlines and suppressions again, take rate-limit slots (rate-slots.ts),
 * attempt each (deliver-attempt.ts: build the MIME once, hand it to the transport), and record
 * every outcome in one transaction (deliver-outcomes.ts).
 *
 * The ambiguous window (docs/outbound.md): between the server's 250 and our COMMIT of `sent`,
 * a crash leaves the message `sending` with a lease. The sweeper then re-queues it flagged
 * `possibly_duplicate`, with the same Message-ID, so it is sent again (at least once), and a
 * receiver that dedupes by Message-ID sees it once.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { OutboundMessageRecord } from '../../domain/outbound/message.js';
import type { ComposeSettings } from '../../outbound/compose.js';
import type { Transport } from '../../outbound/composed-message.js';
import { attempt, type AttemptDeps, type MimeBuilder, type Outcome } from './deliver-attempt.js';
import {
  recordOutcomes,
  sortOutcomes,
  type Recorded,
  type RecordDeps,
} from './deliver-outcomes.js';
import type { OutboundMessageRepository, SuppressionRepository, TransitionRow } from './ports.js';
import { reserveSlots, type RateSlotDeps } from './rate-slots.js';
import type { OutboundSettings } from './settings.js';
import { stripSuppressed } from './suppressions.js';

export type { MimeBuilder } from './deliver-attempt.js';

export interface DeliverService {
  /** Attempts the given messages; ids not in a sendable state are skipped. */
  processSend(
    ids: readonly string[],
  ): Promise<{ sent: number; deferred: number; failed: number; skipped: number }>;
}

export interface DeliverDeps extends RecordDeps, RateSlotDeps {
  clock: Clock;
  log: Logger;
  settings: OutboundSettings;
  transport: Transport;
  mime: MimeBuilder;
  outboundMessages: Pick<
    OutboundMessageRepository,
    'claimMessages' | 'applyTransition' | 'storeRaw'
  >;
  suppressions: Pick<SuppressionRepository, 'suppressedAmong' | 'addSuppressions'>;
  telemetry?: AttemptDeps['telemetry'];
}

/** The deps, and what one attempt needs, built once per service. */
type Send = { deps: DeliverDeps; attemptDeps: AttemptDeps };

/** Send-time checks: the deadline, and suppressions added since acceptance. */
async function checkBeforeSending(
  deps: DeliverDeps,
  messages: OutboundMessageRecord[],
  now: Date,
): Promise<{
  live: OutboundMessageRecord[];
  expired: TransitionRow[];
  suppressed: TransitionRow[];
}> {
  const expired = messages
    .filter((m) => m.expiresAt.getTime() < now.getTime())
    .map((m) => ({ id: m.id, reason: 'retry deadline passed before sending' }));
  const due = messages.filter((m) => m.expiresAt.getTime() >= now.getTime());
  const hits = await stripSuppressed(deps.suppressions, deps.db, due);
  const suppressed = hits
    .filter((h) => h.whole)
    .map((h) => ({ id: h.message.id, reason: `suppressed: ${h.hit.join(', ')}` }));
  const stopped = new Set(suppressed.map((r) => r.id));
  return { live: due.filter((m) => !stopped.has(m.id)), expired, suppressed };
}

/** Attempts every live message at once; those whose slot is far off are deferred to it. */
async function attemptAll(
  { deps, attemptDeps }: Send,
  live: OutboundMessageRecord[],
  now: Date,
): Promise<Outcome[]> {
  const slots = await reserveSlots(deps, live, now);
  return Promise.all(
    live.map((m): Promise<Outcome> => {
      const slot = slots.get(m.id);
      if (slot && !slot.inline)
        return Promise.resolve({ id: m.id, kind: 'rate_limited', at: slot.at });
      return attempt(attemptDeps, m, slot?.at ?? null);
    }),
  );
}

async function processSend(send: Send, ids: readonly string[]) {
  const { deps } = send;
  const { clock, settings } = deps;
  const now = clock.now();
  const leaseUntil = new Date(now.getTime() + settings.leaseSeconds * 1000);
  // Deferred mail comes back through the sweeper (deferred → queued), never straight here.
  const messages = await deps.outboundMessages.claimMessages(deps.db, ids, now, leaseUntil);
  const skipped = ids.length - messages.length;
  if (messages.length === 0) return { sent: 0, deferred: 0, failed: 0, skipped };

  const { live, expired, suppressed } = await checkBeforeSending(deps, messages, now);
  const outcomes = await attemptAll(send, live, now);
  const after = clock.now();
  const empty: Recorded = {
    sent: [],
    raws: [],
    deferred: [],
    rateDeferred: [],
    failed: [],
    expired,
    suppressed,
    newSuppressions: [],
  };
  const r = sortOutcomes(empty, messages, outcomes, after, settings.retry);
  await recordOutcomes(deps, r, after);
  if (r.failed.length > 0)
    deps.log.info(
      { failed: r.failed.map((f) => ({ id: f.id, reason: f.reason })) },
      'messages failed',
    );
  return {
    sent: r.sent.length,
    deferred: r.deferred.length + r.rateDeferred.length,
    failed: r.failed.length,
    skipped,
  };
}

export function createDeliverService(deps: DeliverDeps): DeliverService {
  const { settings } = deps;
  const composeSettings: ComposeSettings = {
    messageIdDomain: settings.messageIdDomain,
    publicUrl: settings.publicUrl,
    secret: settings.secret,
    unsubscribeMailto: settings.unsubscribeMailto,
  };
  const send: Send = { deps, attemptDeps: { ...deps, composeSettings } };
  return { processSend: (ids) => processSend(send, ids) };
}
