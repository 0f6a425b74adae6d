/**
 * What an attempt means, recipient by recipient, and so for the message: `settle` turns the
 * transport's replies into one transition per recipient (accepted, deferred with its reply,
 * bounced, failed, expired, suppressed), the message's transition derived from all of its
 * recipients (domain/outbound/recipient-outcome.ts), the MIME to keep and the suppressions a
 * bounce calls for. Deferred recipients share the message's backoff: when it runs out they end
 * failed (attempts) or expired (deadline). Pure apart from the retry jitter.
 */
import { nextRetry, type RetryPolicy } from '../../domain/outbound/backoff.js';
import type { RecipientDelivery } from '../../domain/outbound/message.js';
import { normalizeAddress } from '../../domain/outbound/recipients.js';
import {
  messageVerdict,
  verdictEvent,
  type MessageVerdict,
} from '../../domain/outbound/recipient-outcome.js';
import {
  mayHaveArrived,
  recipientReply,
  type RecipientReply,
} from '../../domain/outbound/smtp-reply.js';
import type { OutboundEvent } from '../../domain/state/outbound-message.js';
import {
  recipientMachine,
  type RecipientEvent,
  type RecipientStatus,
} from '../../domain/state/recipient-delivery.js';
import type { TransportError } from '../../outbound/composed-message.js';
import type { Outcome } from './deliver-attempt.js';
import type {
  ClaimedMessage,
  NewSuppression,
  RecipientTransitionRow,
  TransitionRow,
} from './ports/index.js';

/** Everything one message's attempt leaves to write, committed together. */
export interface Settlement {
  id: string;
  event: OutboundEvent;
  row: TransitionRow;
  /** A rate-limit deferral: ours, not the server's, so not an attempt and no webhook. */
  rateLimited: boolean;
  recipients: RecipientTransitionRow[];
  raw: Buffer | null;
  suppressions: NewSuppression[];
}

type Result = { address: string; event: RecipientEvent; attempted: boolean } & Pick<
  RecipientReply,
  'smtpCode' | 'reply'
> & { suppress?: boolean; retryAfterSeconds?: number | null };

const EVENT_OF: Record<RecipientReply['outcome'], RecipientEvent> = {
  accepted: 'accept',
  deferred: 'defer',
  bounced: 'bounce',
  failed: 'fail',
};

function fromReply(address: string, r: RecipientReply): Result {
  return {
    address,
    event: EVENT_OF[r.outcome],
    attempted: true,
    smtpCode: r.smtpCode,
    reply: r.reply,
    ...(r.outcome === 'bounced' ? { suppress: r.suppress } : {}),
    ...(r.outcome === 'deferred' ? { retryAfterSeconds: r.retryAfterSeconds } : {}),
  };
}

/** A failed transaction: each refused recipient by its own RCPT reply, the others by the error. */
function refusedReplies(to: readonly string[], failure: TransportError): Result[] {
  const own = new Map(failure.rejected.map((r) => [normalizeAddress(r.address), r]));
  return to.map((address) => {
    const r = own.get(address);
    return fromReply(
      address,
      recipientReply(
        r
          ? { responseCode: r.responseCode ?? undefined, response: r.response, command: 'RCPT TO' }
          : failure,
      ),
    );
  });
}

/** Each recipient of the transaction (`to`, lower-cased) and what its reply means. */
export function repliesOf(outcome: Outcome, to: readonly string[]): Result[] {
  if (outcome.kind === 'sent') {
    const { response, rejected } = outcome.result;
    const refused = new Map(rejected.map((r) => [normalizeAddress(r.address), r]));
    const code = Number(response.slice(0, 3)) || 250;
    return to.map((address) => {
      const r = refused.get(address);
      if (!r) return fromReply(address, { outcome: 'accepted', smtpCode: code, reply: response });
      const failure = { responseCode: r.responseCode ?? undefined, response: r.response };
      return fromReply(address, recipientReply({ ...failure, command: 'RCPT TO' }));
    });
  }
  if (outcome.kind === 'refused') return refusedReplies(to, outcome.failure);
  if (outcome.kind === 'unbuildable')
    return to.map((address) => ({
      address,
      event: 'fail',
      attempted: false,
      smtpCode: null,
      reply: outcome.reason,
    }));
  return [];
}

/** Deferred recipients wait for the message's next attempt, or end when its backoff runs out. */
function applyBackoff(
  m: ClaimedMessage,
  results: Result[],
  now: Date,
  retry: RetryPolicy,
): Date | null {
  const deferred = results.filter((r) => r.event === 'defer');
  if (deferred.length === 0) return null;
  const hints = deferred.map((r) => r.retryAfterSeconds ?? null).filter((h) => h !== null);
  const hint = hints.length ? Math.max(...hints) : null;
  const decision = nextRetry(m.attempts, now, m.expiresAt, retry, hint);
  if (decision.retry) return decision.at;
  const expired = decision.reason === 'deadline_passed';
  for (const r of deferred) {
    r.event = expired ? 'expire' : 'fail';
    r.reply = `${expired ? 'retry deadline passed' : 'attempts exhausted'}; last error: ${r.reply}`;
  }
  return null;
}

const describe = (r: Result) => `${r.address} (${r.reply})`;

/** The message's row: the reply that explains its new status. */
function messageRow(
  m: ClaimedMessage,
  verdict: MessageVerdict,
  results: Result[],
  outcome: Outcome,
  nextAttemptAt: Date | null,
): TransitionRow {
  const sent = outcome.kind === 'sent' ? outcome.result : null;
  const recipients = results.map((r) => ({
    address: r.address,
    status: recipientMachine.target(r.event),
    smtp_code: r.smtpCode,
    smtp_response: r.reply,
  }));
  const base = {
    id: m.id,
    providerMessageId: sent?.providerMessageId ?? null,
    data: recipients.length ? { recipients } : undefined,
  };
  const missed = results.filter((r) => r.event !== 'accept' && r.event !== 'suppress');
  const first = missed.find((r) => r.event === 'defer') ?? missed[0];
  if (verdict === 'accept')
    return {
      ...base,
      smtpCode: sent ? Number(sent.response.slice(0, 3)) || 250 : null,
      smtpResponse: sent?.response ?? null,
    };
  if (verdict === 'suppress') {
    const hit = results.filter((r) => r.event === 'suppress').map((r) => r.address);
    return { ...base, reason: `suppressed: ${hit.join(', ')}` };
  }
  const reason =
    verdict === 'partial'
      ? `${missed.length} of ${results.length} recipients did not get it: ${missed.map(describe).join('; ')}`
      : verdict === 'defer' && missed.length < results.length
        ? `${missed.length} of ${results.length} recipients deferred: ${missed.map(describe).join('; ')}`
        : (first?.reply ?? null);
  return {
    ...base,
    reason: reason?.slice(0, 2000) ?? null,
    smtpCode: first?.smtpCode ?? null,
    smtpResponse: first?.reply ?? null,
    nextAttemptAt,
    possiblyDuplicate: outcome.kind === 'refused' && mayHaveArrived(outcome.failure),
  };
}

/** The statuses after this attempt: the stored ones with this attempt's results on top. */
function statusesAfter(deliveries: readonly RecipientDelivery[], results: readonly Result[]) {
  const byAddress = new Map(results.map((r) => [r.address, r]));
  return deliveries.map((d) => {
    const r = byAddress.get(d.address);
    const status: RecipientStatus = r ? recipientMachine.target(r.event) : d.status;
    return { address: d.address, status, attempts: d.attempts + (r?.attempted ? 1 : 0) };
  });
}

export interface SettleInput {
  m: ClaimedMessage;
  outcome: Outcome;
  /** The recipients handed to the transport (lower-cased). */
  to: readonly string[];
  /** Open recipients the suppression list stopped at send time. */
  suppressed: readonly string[];
  /** The deadline had passed when the message was claimed. */
  expired: boolean;
  now: Date;
  retry: RetryPolicy;
}

export function settle(i: SettleInput): Settlement {
  const { m, outcome } = i;
  const empty = { raw: null, suppressions: [], recipients: [] };
  if (outcome.kind === 'rate_limited')
    return {
      ...empty,
      id: m.id,
      event: 'defer',
      rateLimited: true,
      row: { id: m.id, reason: 'rate limited', nextAttemptAt: outcome.at },
    };
  const results = [
    ...i.suppressed.map((address): Result => ({
      address,
      event: 'suppress',
      attempted: false,
      smtpCode: null,
      reply: 'on the suppression list',
    })),
    ...repliesOf(outcome, i.to),
  ];
  if (i.expired)
    for (const d of m.deliveries.filter((d) => recipientMachine.can(d.status, 'expire')))
      results.push({
        address: d.address,
        event: 'expire',
        attempted: false,
        smtpCode: null,
        reply: 'retry deadline passed before sending',
      });
  // Backoff first: a deferred recipient whose backoff ran out is no longer open.
  const retryAt = applyBackoff(m, results, i.now, i.retry);
  const verdict = messageVerdict(statusesAfter(m.deliveries, results));
  const nextAttemptAt = verdict === 'defer' ? (retryAt ?? i.now) : null;
  return {
    id: m.id,
    event: verdictEvent(verdict),
    rateLimited: false,
    row: messageRow(m, verdict, results, outcome, nextAttemptAt),
    recipients: results.map((r) => ({
      messageId: m.id,
      address: r.address,
      event: r.event,
      smtpCode: r.smtpCode,
      smtpResponse: r.reply.slice(0, 2000),
      attempted: r.attempted,
    })),
    raw: outcome.kind === 'sent' ? outcome.raw : null,
    suppressions: results
      .filter((r) => r.event === 'bounce' && r.suppress)
      .map((r) => ({
        address: r.address,
        scope: 'all' as const,
        reason: 'bounce' as const,
        sourceMessageId: m.id,
        detail: r.reply,
      })),
  };
}
