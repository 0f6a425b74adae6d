/**
 * What the send worker records after its attempts: each Outcome becomes a transition row (sent,
 * deferred, failed, expired), the MIME of what was sent, and the suppressions a permanent
 * rejection calls for. All of it is written in one transaction, with the webhooks it announces.
 */
import { nextRetry, type RetryPolicy } from '../../domain/outbound/backoff.js';
import type { OutboundMessageRecord } from '../../domain/outbound/message.js';
import { normalizeAddress } from '../../domain/outbound/recipients.js';
import type { Transport } from '../../outbound/composed-message.js';
import type { Database, Executor } from '../ports.js';
import type { Outcome } from './deliver-attempt.js';
import type {
  NewSuppression,
  OutboundMessageRepository,
  RawMessage,
  SuppressionRepository,
  TransitionedRow,
  TransitionRow,
} from './ports.js';
import type { WebhookService } from './webhooks.js';

/** Transition rows by event, and what else the attempts leave to write. */
export interface Recorded {
  sent: TransitionRow[];
  raws: RawMessage[];
  deferred: TransitionRow[];
  rateDeferred: TransitionRow[];
  failed: TransitionRow[];
  expired: TransitionRow[];
  suppressed: TransitionRow[];
  newSuppressions: NewSuppression[];
}

/** SMTP codes for "no such mailbox": the address itself is bad, so it is suppressed. */
const MAILBOX_UNKNOWN = new Set([550, 551, 553]);

function onSent(r: Recorded, o: Extract<Outcome, { kind: 'sent' }>): void {
  r.sent.push({
    id: o.id,
    smtpCode: Number(o.result.response.slice(0, 3)) || 250,
    smtpResponse: o.result.response,
    providerMessageId: o.result.providerMessageId,
    data: o.result.rejected.length ? { rejected: o.result.rejected } : undefined,
  });
  r.raws.push({ id: o.id, raw: o.raw });
  for (const rejected of o.result.rejected) {
    if (!MAILBOX_UNKNOWN.has(rejected.responseCode ?? 0)) continue;
    r.newSuppressions.push({
      address: normalizeAddress(rejected.address),
      scope: 'all',
      reason: 'bounce',
      sourceMessageId: o.id,
      detail: rejected.response,
    });
  }
}

/** A temporary failure is retried on the backoff schedule until attempts or time run out. */
function onTransient(
  r: Recorded,
  o: Extract<Outcome, { kind: 'transient' }>,
  m: OutboundMessageRecord,
  now: Date,
  retry: RetryPolicy,
): void {
  const last = { smtpCode: o.smtpCode, smtpResponse: o.smtpResponse };
  const decision = nextRetry(m.attempts, now, m.expiresAt, retry, o.hint);
  if (decision.retry) {
    r.deferred.push({ id: o.id, reason: o.reason, ...last, nextAttemptAt: decision.at });
  } else if (decision.reason === 'deadline_passed') {
    r.expired.push({ id: o.id, reason: `retry deadline passed; last error: ${o.reason}`, ...last });
  } else {
    r.failed.push({ id: o.id, reason: `attempts exhausted; last error: ${o.reason}`, ...last });
  }
}

function onPermanent(
  r: Recorded,
  o: Extract<Outcome, { kind: 'permanent' }>,
  m: OutboundMessageRecord,
): void {
  r.failed.push({ id: o.id, reason: o.reason, smtpCode: o.smtpCode, smtpResponse: o.smtpResponse });
  if (!o.suppress) return;
  for (const address of m.recipients) {
    r.newSuppressions.push({
      address,
      scope: 'all',
      reason: 'bounce',
      sourceMessageId: o.id,
      detail: o.smtpResponse ?? o.reason,
    });
  }
}

/** Sorts the outcomes into the rows each transition takes; `r` holds the send-time results. */
export function sortOutcomes(
  r: Recorded,
  messages: readonly OutboundMessageRecord[],
  outcomes: readonly Outcome[],
  now: Date,
  retry: RetryPolicy,
): Recorded {
  const byId = new Map(messages.map((m) => [m.id, m]));
  for (const o of outcomes) {
    const m = byId.get(o.id)!;
    if (o.kind === 'sent') onSent(r, o);
    else if (o.kind === 'rate_limited')
      r.rateDeferred.push({ id: o.id, reason: 'rate limited', nextAttemptAt: o.at });
    else if (o.kind === 'transient') onTransient(r, o, m, now, retry);
    else onPermanent(r, o, m);
  }
  return r;
}

export interface RecordDeps {
  db: Database;
  transport: Pick<Transport, 'name'>;
  outboundMessages: Pick<OutboundMessageRepository, 'applyTransition' | 'storeRaw'>;
  suppressions: Pick<SuppressionRepository, 'addSuppressions'>;
  webhookService: Pick<WebhookService, 'publish'>;
}

export async function recordOutcomes(deps: RecordDeps, r: Recorded, now: Date): Promise<void> {
  const { outboundMessages: messages } = deps;
  await deps.db.transaction(async (tx: Executor) => {
    const moved: TransitionedRow[] = [];
    moved.push(...(await messages.applyTransition(tx, 'accept', r.sent, { now })));
    await messages.storeRaw(tx, r.raws, deps.transport.name, now);
    moved.push(...(await messages.applyTransition(tx, 'defer', r.deferred, { now })));
    // A rate-limit delay is ours, not the recipient server's: no webhook for it.
    await messages.applyTransition(tx, 'defer', r.rateDeferred, {
      now,
      uncount: true,
      eventType: 'rate_limited',
    });
    moved.push(...(await messages.applyTransition(tx, 'fail', r.failed, { now })));
    moved.push(...(await messages.applyTransition(tx, 'expire', r.expired, { now })));
    moved.push(...(await messages.applyTransition(tx, 'suppress', r.suppressed, { now })));
    await deps.suppressions.addSuppressions(tx, r.newSuppressions, now);
    await deps.webhookService.publish(tx, moved, now);
  });
}
