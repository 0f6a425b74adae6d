/**
 * The outbound engine's metrics, taken at its seams rather than inside its use cases: the
 * message repository (every state change returns the rows it moved, so counting there sees all
 * of them, whichever service made them), the suppression and webhook repositories, and the
 * transport (each attempt's reply class and duration). main/features/outbound.ts wraps the real
 * ones with these; the services are unchanged.
 *
 * A transition is counted when its statement returns, before its transaction commits; a
 * rolled-back transaction (rare: a crash between statement and COMMIT) is counted anyway.
 */
import { recipientMachine } from '../../domain/state/recipient-delivery.js';
import { TransportError, type Transport } from '../../outbound/composed-message.js';
import type { SmtpReplyClass, Telemetry, WebhookOutcome } from '../telemetry.js';
import type {
  NewSuppression,
  OutboundMessageRepository,
  SuppressionRepository,
  TransitionedRow,
  TransitionRow,
  WebhookEndpointRepository,
} from './ports/index.js';

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(key(i), (out.get(key(i)) ?? 0) + 1);
  return out;
}

/** Counts what moved, the accept → sent latency, and how long rate-limited mail was put off. */
function countMoved(
  t: Telemetry,
  moved: readonly TransitionedRow[],
  rows: readonly TransitionRow[],
  o: { now: Date; eventType?: string | undefined },
): void {
  for (const [pair, n] of countBy(moved, (m) => `${m.from}>${m.to}`)) {
    const [from, to] = pair.split('>');
    t.messagesTransitioned(from!, to!, n);
  }
  for (const m of moved) {
    if (m.to === 'sent') t.messageSent((o.now.getTime() - m.dueAt.getTime()) / 1000);
  }
  if (o.eventType === 'rate_limited') {
    const wanted = new Map(rows.map((r) => [r.id, r.nextAttemptAt]));
    for (const m of moved) {
      const at = wanted.get(m.id);
      if (at) t.rateLimitWaited('deferred', (at.getTime() - o.now.getTime()) / 1000);
    }
  }
}

export function instrumentOutboundMessages<R extends OutboundMessageRepository>(
  repo: R,
  t: Telemetry,
): R {
  return {
    ...repo,
    // The send worker's commit: several transitions in one statement, each counted as above.
    // Recipients are counted as the commit settles them (a guard that no longer holds, a lost
    // race, skips one without telling; rare enough not to cost the statement a second result).
    async recordOutcomes(ex, b, now) {
      const moved = await repo.recordOutcomes(ex, b, now);
      b.transitions.forEach((g, i) =>
        countMoved(t, moved[i] ?? [], g.rows, { now, eventType: g.options?.eventType }),
      );
      for (const [to, n] of countBy(b.recipients, (r) => recipientMachine.target(r.event)))
        t.recipientsSettled(to, n);
      return moved;
    },
    async insertMessages(ex, messages, now) {
      await repo.insertMessages(ex, messages, now);
      for (const [to, n] of countBy(messages, (m) => m.status))
        t.messagesTransitioned('new', to, n);
    },
    async claimMessages(ex, ids, now, leaseUntil) {
      const claimed = await repo.claimMessages(ex, ids, now, leaseUntil);
      if (claimed.length > 0) t.messagesTransitioned('queued', 'sending', claimed.length);
      return claimed;
    },
    async applyTransition(ex, event, rows, o) {
      const moved = await repo.applyTransition(ex, event, rows, o);
      countMoved(t, moved, rows, o);
      return moved;
    },
  };
}

/** One statement per reason, so each count is exact (mixed reasons in one call are rare). */
export function instrumentSuppressions<R extends Pick<SuppressionRepository, 'addSuppressions'>>(
  repo: R,
  t: Telemetry,
): R {
  return {
    ...repo,
    async addSuppressions(ex, items, now) {
      const byReason = new Map<string, NewSuppression[]>();
      for (const i of items) byReason.set(i.reason, [...(byReason.get(i.reason) ?? []), i]);
      let added = 0;
      for (const [reason, group] of byReason) {
        const n = await repo.addSuppressions(ex, group, now);
        if (n > 0) t.suppressionsAdded(reason, n);
        added += n;
      }
      return added;
    },
  };
}

export function instrumentWebhookEndpoints<R extends WebhookEndpointRepository>(
  repo: R,
  t: Telemetry,
): R {
  return {
    ...repo,
    async recordAttempt(ex, a) {
      const recorded = await repo.recordAttempt(ex, a);
      const outcome: WebhookOutcome = a.ok
        ? 'delivered'
        : a.nextAttemptAt && !recorded.endpointDisabled
          ? 'retrying'
          : 'failed';
      t.webhookAttempted(outcome);
      return recorded;
    },
  };
}

/** How a failed attempt counts: by the server's reply class, else timeout or connection. */
export function replyClass(err: unknown): SmtpReplyClass {
  const code = err instanceof TransportError ? err.responseCode : undefined;
  if (code !== undefined && code >= 500) return '5xx';
  if (code !== undefined && code >= 400) return '4xx';
  const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`;
  return /ETIMEDOUT|timed? ?out/i.test(text) ? 'timeout' : 'connection';
}

export function instrumentTransport(transport: Transport, t: Telemetry): Transport {
  return {
    name: transport.name,
    close: () => transport.close(),
    async send(raw, envelope, messageId) {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await transport.send(raw, envelope, messageId);
        t.smtpReplied(transport.name, '2xx', seconds());
        return result;
      } catch (err) {
        t.smtpReplied(transport.name, replyClass(err), seconds());
        throw err;
      }
    },
  };
}
