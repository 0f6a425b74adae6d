/**
 * The send worker's use case: claim a group of messages (queued → sending, with a lease), check
 * suppressions and deadlines again, take rate-limit slots, build the MIME once, hand it to the
 * transport, and record every outcome in one transaction.
 *
 * The ambiguous window (docs/outbound.md): between the server's 250 and our COMMIT of `sent`,
 * a crash leaves the message `sending` with a lease. The sweeper then re-queues it flagged
 * `possibly_duplicate`, with the same Message-ID, so it is sent again (at least once), and a
 * receiver that dedupes by Message-ID sees it once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { coerceError } from '../../lib/errors.js';
import { nextRetry } from '../../domain/outbound/backoff.js';
import type { OutboundMessageRecord, Suppression } from '../../domain/outbound/message.js';
import { allocateSlots, type RateKey } from '../../domain/outbound/rate-limit.js';
import { domainOf, normalizeAddress } from '../../domain/outbound/recipients.js';
import { classifySmtpFailure } from '../../domain/outbound/smtp-reply.js';
import { composeMessage } from '../../outbound/compose.js';
import {
  TransportError,
  type ComposedMessage,
  type Transport,
  type TransportResult,
} from '../../outbound/composed-message.js';
import type { Executor } from '../ports.js';
import type { OutboundDeps } from './settings.js';
import type { TransitionRow, TransitionedRow } from './ports.js';
import type { WebhookService } from './webhooks.js';

export interface MimeBuilder {
  build(m: ComposedMessage): Promise<Buffer>;
}

export interface DeliverService {
  /** Attempts the given messages; ids not in a sendable state are skipped. */
  processSend(
    ids: readonly string[],
  ): Promise<{ sent: number; deferred: number; failed: number; skipped: number }>;
}

type Outcome =
  | { id: string; kind: 'sent'; raw: Buffer; result: TransportResult }
  | {
      id: string;
      kind: 'transient';
      reason: string;
      smtpCode: number | null;
      smtpResponse: string | null;
      hint: number | null;
    }
  | {
      id: string;
      kind: 'permanent';
      reason: string;
      smtpCode: number | null;
      smtpResponse: string | null;
      suppress: boolean;
    }
  | { id: string; kind: 'rate_limited'; at: Date };

export function createDeliverService(
  deps: OutboundDeps,
  transport: Transport,
  mime: MimeBuilder,
  webhooks: WebhookService,
): DeliverService {
  const { db, store, clock, settings, log } = deps;
  const composeSettings = {
    messageIdDomain: settings.messageIdDomain,
    publicUrl: settings.publicUrl,
    secret: settings.secret,
    unsubscribeMailto: settings.unsubscribeMailto,
  };

  const rateKeysFor = (m: OutboundMessageRecord): RateKey[] => {
    const keys: RateKey[] = [];
    if (settings.ratePerSecond > 0)
      keys.push({ key: `transport:${transport.name}`, rate: settings.ratePerSecond });
    for (const d of new Set(m.recipients.map(domainOf))) {
      const rate = settings.domainRates[d];
      if (rate && rate > 0) keys.push({ key: `domain:${d}`, rate });
    }
    return keys;
  };

  async function reserveSlots(
    messages: OutboundMessageRecord[],
    now: Date,
  ): Promise<Map<string, { at: Date; inline: boolean }>> {
    const requests = messages
      .map((m) => ({ id: m.id, keys: rateKeysFor(m) }))
      .filter((r) => r.keys.length > 0);
    const out = new Map<string, { at: Date; inline: boolean }>();
    if (requests.length === 0) return out;
    await db.transaction(async (tx) => {
      const tats = await store.lockRateKeys(
        tx,
        requests.flatMap((r) => r.keys.map((k) => k.key)),
        now,
      );
      const { assignments, tats: next } = allocateSlots(
        requests,
        tats,
        now,
        settings.inlineRateWindowMs,
      );
      await store.saveRateKeys(tx, next);
      for (const a of assignments) out.set(a.id, { at: a.at, inline: a.inline });
    });
    return out;
  }

  async function attempt(m: OutboundMessageRecord, slotAt: Date | null): Promise<Outcome> {
    if (slotAt) {
      const wait = slotAt.getTime() - clock.now().getTime();
      if (wait > 0) await sleep(wait);
    }
    let raw: Buffer;
    let composed: ComposedMessage;
    try {
      composed = composeMessage(
        {
          id: m.id,
          stream: m.stream,
          kind: m.kind,
          from: m.from,
          to: m.to,
          cc: m.cc,
          bcc: m.bcc,
          replyTo: m.replyTo,
          subject: m.subject,
          html: m.html,
          text: m.text,
          headers: m.headers,
          attachments: m.attachments.map((a) => ({
            filename: a.filename,
            content: Buffer.from(a.content, 'base64'),
            contentType: a.content_type,
            contentId: a.content_id,
          })),
          inReplyTo: m.inReplyTo,
          references: m.references,
          listUnsubscribe: m.listUnsubscribe,
          messageId: m.messageIdHeader,
          date: clock.now(),
        },
        composeSettings,
      );
      raw = await mime.build(composed);
    } catch (err) {
      return {
        id: m.id,
        kind: 'permanent',
        reason: `could not build the message: ${coerceError(err).message}`,
        smtpCode: null,
        smtpResponse: null,
        suppress: false,
      };
    }
    try {
      const result = await transport.send(raw, composed.envelope, composed.messageId);
      return { id: m.id, kind: 'sent', raw, result };
    } catch (err) {
      const f =
        err instanceof TransportError
          ? err
          : new TransportError(coerceError(err).message, { response: coerceError(err).message });
      const v = classifySmtpFailure(f);
      if (v.kind === 'transient') {
        return {
          id: m.id,
          kind: 'transient',
          reason: v.reason,
          smtpCode: v.smtpCode,
          smtpResponse: f.response ?? null,
          hint: v.retryAfterSeconds,
        };
      }
      return {
        id: m.id,
        kind: 'permanent',
        reason: v.reason,
        smtpCode: v.smtpCode,
        smtpResponse: f.response ?? null,
        suppress: v.suppressRecipient,
      };
    }
  }

  return {
    async processSend(ids) {
      let now = clock.now();
      const leaseUntil = new Date(now.getTime() + settings.leaseSeconds * 1000);
      // Deferred mail comes back through the sweeper (deferred → queued), never straight here.
      const messages = await store.claimMessages(db, ids, now, leaseUntil);
      const skipped = ids.length - messages.length;
      if (messages.length === 0) return { sent: 0, deferred: 0, failed: 0, skipped };

      // Send-time checks: the deadline, and suppressions added since acceptance.
      const expired = messages.filter((m) => m.expiresAt.getTime() < now.getTime());
      let live = messages.filter((m) => m.expiresAt.getTime() >= now.getTime());
      const suppressedRows: TransitionRow[] = [];
      for (const stream of ['transactional', 'broadcast'] as const) {
        const group = live.filter((m) => m.stream === stream);
        const hit = await store.suppressedAmong(
          db,
          [...new Set(group.flatMap((m) => m.recipients))],
          stream,
        );
        if (hit.size === 0) continue;
        for (const m of group) {
          const bad = m.recipients.filter((r) => hit.has(r));
          if (bad.length === m.recipients.length)
            suppressedRows.push({ id: m.id, reason: `suppressed: ${bad.join(', ')}` });
          else if (bad.length > 0) {
            const keep = (x: { address: string }) => !hit.has(normalizeAddress(x.address));
            m.to = m.to.filter(keep);
            m.cc = m.cc.filter(keep);
            m.bcc = m.bcc.filter(keep);
            m.recipients = m.recipients.filter((r) => !hit.has(r));
          }
        }
      }
      const suppressedIds = new Set(suppressedRows.map((r) => r.id));
      live = live.filter((m) => !suppressedIds.has(m.id));

      const slots = await reserveSlots(live, now);
      const outcomes = await Promise.all(
        live.map((m): Promise<Outcome> => {
          const slot = slots.get(m.id);
          if (slot && !slot.inline)
            return Promise.resolve({ id: m.id, kind: 'rate_limited', at: slot.at });
          return attempt(m, slot?.at ?? null);
        }),
      );

      now = clock.now();
      const byId = new Map(messages.map((m) => [m.id, m]));
      const sent: TransitionRow[] = [];
      const raws: Array<{ id: string; raw: Buffer }> = [];
      const deferred: TransitionRow[] = [];
      const rateDeferred: TransitionRow[] = [];
      const failed: TransitionRow[] = [];
      const expiredRows: TransitionRow[] = expired.map((m) => ({
        id: m.id,
        reason: 'retry deadline passed before sending',
      }));
      const newSuppressions: Array<Omit<Suppression, 'createdAt'>> = [];
      for (const o of outcomes) {
        const m = byId.get(o.id)!;
        if (o.kind === 'sent') {
          sent.push({
            id: o.id,
            smtpCode: Number(o.result.response.slice(0, 3)) || 250,
            smtpResponse: o.result.response,
            providerMessageId: o.result.providerMessageId,
            data: o.result.rejected.length ? { rejected: o.result.rejected } : undefined,
          });
          raws.push({ id: o.id, raw: o.raw });
          for (const r of o.result.rejected) {
            if (r.responseCode === 550 || r.responseCode === 551 || r.responseCode === 553) {
              newSuppressions.push({
                address: normalizeAddress(r.address),
                scope: 'all',
                reason: 'bounce',
                sourceMessageId: o.id,
                detail: r.response,
              });
            }
          }
        } else if (o.kind === 'rate_limited') {
          rateDeferred.push({ id: o.id, reason: 'rate limited', nextAttemptAt: o.at });
        } else if (o.kind === 'transient') {
          const decision = nextRetry(m.attempts, now, m.expiresAt, settings.retry, o.hint);
          if (decision.retry) {
            deferred.push({
              id: o.id,
              reason: o.reason,
              smtpCode: o.smtpCode,
              smtpResponse: o.smtpResponse,
              nextAttemptAt: decision.at,
            });
          } else if (decision.reason === 'deadline_passed') {
            expiredRows.push({
              id: o.id,
              reason: `retry deadline passed; last error: ${o.reason}`,
              smtpCode: o.smtpCode,
              smtpResponse: o.smtpResponse,
            });
          } else {
            failed.push({
              id: o.id,
              reason: `attempts exhausted; last error: ${o.reason}`,
              smtpCode: o.smtpCode,
              smtpResponse: o.smtpResponse,
            });
          }
        } else {
          failed.push({
            id: o.id,
            reason: o.reason,
            smtpCode: o.smtpCode,
            smtpResponse: o.smtpResponse,
          });
          if (o.suppress) {
            for (const address of m.recipients) {
              newSuppressions.push({
                address,
                scope: 'all',
                reason: 'bounce',
                sourceMessageId: o.id,
                detail: o.smtpResponse ?? o.reason,
              });
            }
          }
        }
      }

      await db.transaction(async (tx: Executor) => {
        const moved: TransitionedRow[] = [];
        moved.push(...(await store.applyTransition(tx, 'accept', sent, { now })));
        await store.storeRaw(tx, raws, transport.name, now);
        moved.push(...(await store.applyTransition(tx, 'defer', deferred, { now })));
        // A rate-limit delay is ours, not the recipient server's: no webhook for it.
        await store.applyTransition(tx, 'defer', rateDeferred, {
          now,
          uncount: true,
          eventType: 'rate_limited',
        });
        moved.push(...(await store.applyTransition(tx, 'fail', failed, { now })));
        moved.push(...(await store.applyTransition(tx, 'expire', expiredRows, { now })));
        moved.push(...(await store.applyTransition(tx, 'suppress', suppressedRows, { now })));
        await store.addSuppressions(tx, newSuppressions, now);
        await webhooks.publish(tx, moved, now);
      });
      if (failed.length > 0)
        log.info(
          { failed: failed.map((f) => ({ id: f.id, reason: f.reason })) },
          'messages failed',
        );
      return {
        sent: sent.length,
        deferred: deferred.length + rateDeferred.length,
        failed: failed.length,
        skipped,
      };
    },
  };
}
