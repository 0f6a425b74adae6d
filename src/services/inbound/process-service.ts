/**
 * Processing one InboundEmail: parse → classify → route → settle, as the state machine in
 * domain/state/inbound-email.ts allows. Bounces feed the outbound engine's delivery events,
 * auto-replies are dropped silently, and person mail goes to exactly one registered handler.
 *
 * Routing: a reply token in a recipient (`reply+<token>@<INBOUND_DOMAIN>`), verified for the
 * From address; without a token, In-Reply-To/References matching one of our own Message-IDs,
 * with From among that message's recipients. A token that is present but fails is never
 * routed another way. Unroutable mail is kept (`ignored`, reason `unroutable`), not retried.
 */
import type { Clock } from '../../lib/clock.js';
import { coerceError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import {
  classifyMail,
  isNullSender,
  type Classification,
} from '../../domain/inbound/auto-reply.js';
import { parseDeliveryStatus } from '../../domain/inbound/dsn.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import type { IgnoreReason } from '../../domain/state/inbound-email.js';
import { findTokenAddresses, threadIds } from '../../inbound/correlation.js';
import { parseMail, type ParsedInbound } from '../../inbound/parse-mail.js';
import { decodeReplyToken, verifyReplyToken } from '../../inbound/reply-token.js';
import type { JobQueue } from '../ports.js';
import { PROCESS_QUEUE } from './job-payloads.js';
import type { HandlerRegistry, HandlerResult, RoutedInbound } from './handler-registry.js';
import type { DeliveryEventsService } from './delivery-events-service.js';
import type { InboundEmailRow, InboundStore, ThreadLookup } from './ports.js';
import type { ExtractReply } from '../../reply/index.js';
import type { RejectionService } from './rejection-service.js';

export interface ProcessDeps {
  store: InboundStore;
  registry: HandlerRegistry;
  events: DeliveryEventsService;
  rejections: RejectionService;
  threads: ThreadLookup;
  queue: JobQueue;
  extractReply: ExtractReply;
  clock: Clock;
  log: Logger;
  settings: { inboundDomain: string; tokenSecrets: readonly string[] };
}

export type ProcessOutcome =
  | { status: 'processed' | 'ignored'; reason?: IgnoreReason }
  | { status: 'skipped' }
  | { status: 'failed'; error: string };

interface Decision {
  result: HandlerResult | { status: 'ignored'; reason: IgnoreReason; detail?: string };
  routing: Record<string, unknown>;
}

export function createProcessService(deps: ProcessDeps) {
  const { store, clock } = deps;

  async function route(row: InboundEmailRow, mail: ParsedInbound): Promise<Decision> {
    const from = mail.from?.address ?? null;
    const recipients = [
      ...row.envelopeTo,
      ...mail.to,
      ...mail.cc,
      ...['delivered-to', 'x-original-to', 'x-forwarded-to', 'envelope-to'].flatMap(
        (h) => mail.headers.get(h) ?? [],
      ),
    ];
    const tokens = findTokenAddresses(recipients, deps.settings.inboundDomain);
    const routing: Record<string, unknown> = {
      tokens: tokens.map((t) => t.address),
      threadIds: [],
    };
    if (!from)
      return {
        result: { status: 'ignored', reason: 'unknown_sender', detail: 'no_from' },
        routing,
      };
    const base = {
      inboundEmailId: row.id,
      from,
      parsed: mail,
      receivedAt: row.receivedAt,
      verdicts: row.verdicts,
      extractReply: deps.extractReply,
    };

    if (tokens.length > 0) {
      let failure: { reason: IgnoreReason; detail: string } = {
        reason: 'unroutable',
        detail: 'token_invalid',
      };
      for (const t of tokens) {
        const decoded = decodeReplyToken(t.token);
        if (!decoded) continue;
        const handler = deps.registry.handlerFor(decoded.kind);
        if (!handler) {
          failure = { reason: 'unroutable', detail: `no_handler_${decoded.kind}` };
          continue;
        }
        let memberId: string | undefined;
        if (decoded.memberBound) {
          memberId =
            (await handler.resolveMemberId?.({ kind: decoded.kind, id: decoded.id }, from)) ??
            undefined;
          if (!memberId) {
            failure = { reason: 'unknown_sender', detail: 'not_a_member' };
            continue;
          }
        }
        const verdict = verifyReplyToken(deps.settings.tokenSecrets, t.token, {
          email: from,
          memberId,
          now: clock.now(),
        });
        if (!verdict.ok) {
          failure =
            verdict.reason === 'sender_mismatch' || verdict.reason === 'member_required'
              ? { reason: 'unknown_sender', detail: 'token_sender_mismatch' }
              : { reason: 'unroutable', detail: `token_${verdict.reason}` };
          continue;
        }
        routing.via = 'token';
        routing.target = { kind: decoded.kind, id: decoded.id };
        const message: RoutedInbound = {
          ...base,
          kind: decoded.kind,
          targetId: decoded.id,
          ...(memberId ? { memberId } : {}),
          via: 'token',
        };
        return {
          result: await handler.handle(message),
          routing: { ...routing, handler: handler.name },
        };
      }
      return { result: { status: 'ignored', ...failure }, routing };
    }

    const ids = threadIds(mail.inReplyTo, mail.references);
    routing.threadIds = ids;
    const match = ids.length > 0 ? await deps.threads.findByMessageIds(ids) : null;
    if (!match)
      return {
        result: { status: 'ignored', reason: 'unroutable', detail: 'no_token_or_thread' },
        routing,
      };
    if (!match.recipients.some((r) => r.toLowerCase() === from)) {
      return {
        result: { status: 'ignored', reason: 'unknown_sender', detail: 'thread_sender_mismatch' },
        routing,
      };
    }
    const promptId =
      typeof match.metadata.promptId === 'string'
        ? match.metadata.promptId
        : typeof match.metadata.prompt_id === 'string'
          ? match.metadata.prompt_id
          : null;
    // A reminder is sent in its prompt's thread and names the prompt too, so a reply to either
    // reaches the prompt's handler.
    const kind =
      (match.kind === 'prompt' || match.kind === 'reminder') && promptId ? 'prompt' : 'message';
    const targetId = kind === 'prompt' ? promptId! : match.outboundMessageId;
    const handler = deps.registry.handlerFor(kind);
    if (!handler)
      return {
        result: { status: 'ignored', reason: 'unroutable', detail: `no_handler_${kind}` },
        routing,
      };
    routing.via = 'thread';
    routing.target = { kind, id: targetId, outboundMessageId: match.outboundMessageId };
    const message: RoutedInbound = { ...base, kind, targetId, via: 'thread' };
    return {
      result: await handler.handle(message),
      routing: { ...routing, handler: handler.name },
    };
  }

  async function handleBounce(
    row: InboundEmailRow,
    mail: ParsedInbound,
  ): Promise<Record<string, unknown>> {
    if (!mail.deliveryStatus) return { dsn: null };
    const dsn = parseDeliveryStatus(mail.deliveryStatus, mail.returnedHeaders ?? undefined);
    const events: DeliveryEvent[] = dsn.recipients
      .filter((r) => r.bounce !== null)
      .map((r) => ({
        type: r.action === 'delayed' ? 'deferred' : 'bounced',
        at: mail.date ?? row.receivedAt,
        provider: row.provider,
        eventId: `dsn:${row.id}`,
        ...(dsn.originalMessageId ? { messageId: dsn.originalMessageId } : {}),
        recipient: r.recipient,
        ...(r.action === 'delayed' ? {} : { bounce: r.bounce! }),
        reason: r.diagnostic ?? r.status ?? undefined,
      }));
    await deps.events.record(events, 'dsn');
    return { dsn: { originalMessageId: dsn.originalMessageId, recipients: dsn.recipients } };
  }

  /** Runs one claimed message. Throws nothing: failures are recorded and returned. */
  async function run(
    row: InboundEmailRow,
    rawOrUndefined: Buffer | null | undefined,
    opts: { maxAttempts: number },
  ): Promise<ProcessOutcome> {
    const id = row.id;
    try {
      const raw = rawOrUndefined === undefined ? await store.loadRaw(id) : rawOrUndefined;
      if (!raw) {
        await store.settle(
          id,
          {
            status: 'ignored',
            reason: 'empty',
            reasonDetail: 'raw_deleted',
            fromAddress: null,
            subject: null,
            classification: null,
            correlation: null,
          },
          clock.now(),
        );
        return { status: 'ignored', reason: 'empty' };
      }
      const mail = await parseMail(raw);
      const classification: Classification & { nullSender?: boolean } = classifyMail({
        headers: mail.headers,
        contentType: mail.contentType,
        subject: mail.subject,
        envelopeFrom: row.envelopeFrom,
      });
      const common = {
        fromAddress: mail.from?.address ?? null,
        subject: mail.subject.slice(0, 998),
        classification: { ...classification, charsetFallback: mail.charsetFallback },
      };
      if (classification.kind === 'bounce') {
        const correlation = await handleBounce(row, mail);
        await store.settle(
          id,
          { ...common, status: 'ignored', reason: 'bounce', correlation },
          clock.now(),
        );
        return { status: 'ignored', reason: 'bounce' };
      }
      if (classification.kind === 'auto_reply') {
        await store.settle(
          id,
          { ...common, status: 'ignored', reason: 'auto_reply', correlation: null },
          clock.now(),
        );
        return { status: 'ignored', reason: 'auto_reply' };
      }
      const { result, routing } = await route(row, mail);
      if (result.status === 'processed') {
        await store.settle(
          id,
          {
            ...common,
            status: 'processed',
            correlation: routing,
            routedTo: result.routedTo ?? routing.target ?? null,
            reply: result.reply ?? null,
          },
          clock.now(),
        );
        return { status: 'processed' };
      }
      await store.settle(
        id,
        {
          ...common,
          status: 'ignored',
          reason: result.reason,
          reasonDetail: result.detail,
          correlation: routing,
          reply: 'reply' in result ? (result.reply ?? null) : null,
        },
        clock.now(),
      );
      const nullSender = isNullSender({ headers: mail.headers, envelopeFrom: row.envelopeFrom });
      if (!nullSender && mail.from) {
        await deps.rejections.maybeReject({
          inboundEmailId: id,
          to: mail.from.address,
          reason: result.reason,
          subject: mail.subject,
          messageId: mail.messageId,
        });
      }
      return { status: 'ignored', reason: result.reason };
    } catch (raw) {
      const err = coerceError(raw);
      const final = row.attempts >= opts.maxAttempts;
      deps.log.warn(
        { err, inboundEmailId: id, attempt: row.attempts, final },
        'inbound processing failed',
      );
      await store.markFailed(id, err.message.slice(0, 2000), final, clock.now());
      return { status: 'failed', error: err.message };
    }
  }

  return {
    /** Claims and runs one message. */
    async process(id: string, opts: { maxAttempts: number }): Promise<ProcessOutcome> {
      const row = await store.claimForProcessing(id, clock.now());
      if (!row) return { status: 'skipped' };
      return run(row, undefined, opts);
    },

    /**
     * A job batch: one UPDATE claims every message and returns its raw bytes, then each runs.
     * Ids that are not claimable (settled, or taken by another worker) come back `skipped`.
     */
    async processMany(
      ids: string[],
      opts: { maxAttempts: number; inFlight: number },
    ): Promise<Map<string, ProcessOutcome>> {
      const claimed = await store.claimManyForProcessing(ids, clock.now());
      const out = new Map<string, ProcessOutcome>(ids.map((id) => [id, { status: 'skipped' }]));
      let next = 0;
      const worker = async () => {
        while (next < claimed.length) {
          const { row, raw } = claimed[next++]!;
          out.set(row.id, await run(row, raw, opts));
        }
      };
      await Promise.all(Array.from({ length: Math.min(opts.inFlight, claimed.length) }, worker));
      return out;
    },

    /** `postroom inbound reprocess`: back to `received`, then a fresh job each. */
    async reprocess(
      select: { ids: string[] } | { status: 'failed' | 'ignored' | 'processed'; limit: number },
    ): Promise<string[]> {
      const ids = await store.reprocess(select, clock.now());
      await deps.queue.sendMany(
        PROCESS_QUEUE,
        ids.map((inboundEmailId) => ({ data: { inboundEmailId } })),
      );
      return ids;
    },
  };
}

export type ProcessService = ReturnType<typeof createProcessService>;
