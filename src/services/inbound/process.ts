/**
 * Processing one InboundEmail: parse → classify → correlate → route → settle, as the state
 * machine in domain/state/inbound-email.ts allows. Bounces feed the outbound engine's delivery
 * events, and person mail has its attachments stored and goes to exactly one mailbox
 * (routing.ts). What the mailbox must commit with the outcome (a webhook delivery, a forward)
 * commits in the transaction that settles the message (settle.ts). Unroutable mail is kept
 * (`ignored`, reason `unroutable`), not retried. Auto-replies are never answered and never reach
 * a feature; only an app's webhook sees them (classified), when they answer its message or match
 * its webhook route.
 */
import { ByteBudget } from '../../lib/byte-budget.js';
import { coerceError } from '../../lib/errors.js';
import { safeText } from '../../lib/safe-text.js';
import type { Logger } from '../../lib/logger.js';
import { classifyMail } from '../../domain/inbound/auto-reply.js';
import { parseDeliveryStatus } from '../../domain/inbound/dsn.js';
import type { DeliveryEvent } from '../../domain/outbound/delivery-event.js';
import { parseMail, type ParsedInbound } from '../../inbound/parse-mail.js';
import type { JobQueue } from '../ports.js';
import type { AttachmentService } from './attachments.js';
import type { DeliveryEventsService } from './delivery-events.js';
import { PROCESS_QUEUE } from './job-payloads.js';
import type {
  ClaimedInboundEmail,
  InboundEmailRepository,
  InboundEmailRow,
  ReprocessSelection,
} from './ports.js';
import { route, type RoutingDeps } from './routing.js';
import {
  ignore,
  settleAutoReply,
  settleRouted,
  type MailFacts,
  type ProcessOutcome,
  type SettleDeps,
} from './settle.js';
import type { Telemetry } from '../telemetry.js';
import { countProcessed } from './instrumented.js';

export interface ProcessDeps extends RoutingDeps, SettleDeps {
  emails: Pick<
    InboundEmailRepository,
    'claimForProcessing' | 'transition' | 'reprocess' | 'loadRaw'
  >;
  events: Pick<DeliveryEventsService, 'record'>;
  attachments: Pick<AttachmentService, 'store'>;
  queue: JobQueue;
  log: Logger;
  telemetry?: Pick<Telemetry, 'inboundProcessed'>;
}

export type { ProcessOutcome } from './settle.js';

/**
 * Raw bytes being parsed at once, across this process's batches: mailparser holds several
 * copies of a message, so four 40 MB messages in parallel would need gigabytes. Messages
 * under the budget still run `inFlight` at a time; a large one waits for room (or runs alone).
 */
const PARSE_BYTES_IN_FLIGHT = 48 * 1024 * 1024;

/** Retention took the bytes before the message ran: nothing left to parse. */
function ignoreWithoutRaw(deps: ProcessDeps, id: string): Promise<ProcessOutcome> {
  return ignore(deps, id, {
    reason: 'empty',
    reasonDetail: 'raw_deleted',
    fromAddress: null,
    subject: null,
    classification: null,
    correlation: null,
  });
}

/** Bounce, auto-reply or person mail, from headers and content type (domain/inbound/auto-reply.ts). */
function classify(row: InboundEmailRow, mail: ParsedInbound) {
  const classification = classifyMail({
    headers: mail.headers,
    contentType: mail.contentType,
    subject: mail.subject,
    envelopeFrom: row.envelopeFrom,
  });
  const facts: MailFacts = {
    fromAddress: mail.from?.address ?? null,
    subject: safeText(mail.subject.slice(0, 998)),
    classification: { ...classification, charsetFallback: mail.charsetFallback },
    repairedFields: mail.repairedFields,
  };
  return { kind: classification.kind, facts };
}

/** A DSN's failed recipients become delivery events for the outbound message they name. */
async function recordBounce(
  deps: ProcessDeps,
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

/** A thrown step fails the message; the queue retries it until the last attempt marks it dead. */
async function recordFailure(
  deps: ProcessDeps,
  row: InboundEmailRow,
  thrown: unknown,
  maxAttempts: number,
): Promise<ProcessOutcome> {
  const err = coerceError(thrown);
  const dead = row.attempts >= maxAttempts;
  deps.log.warn(
    { err, inboundEmailId: row.id, attempt: row.attempts, final: dead },
    'inbound processing failed',
  );
  const error = err.message.slice(0, 2000);
  await deps.emails.transition(deps.db, row.id, { event: 'fail', error, dead }, deps.clock.now());
  return {
    status: 'failed',
    error: err.message,
    stack: err.stack?.split('\n').slice(0, 8).join('\n'),
  };
}

/**
 * Runs one claimed message within the parse budget, reading its raw bytes if the claim did not
 * bring them (a large message). Throws nothing: failures are recorded and returned.
 */
function run(
  deps: ProcessDeps,
  { row, raw: claimedRaw }: ClaimedInboundEmail,
  opts: { maxAttempts: number; budget: ByteBudget },
): Promise<ProcessOutcome> {
  return opts.budget.run(row.sizeBytes, async () => {
    try {
      const raw = claimedRaw ?? (await deps.emails.loadRaw(deps.db, row.id));
      if (!raw) return await ignoreWithoutRaw(deps, row.id);
      return await runParsed(deps, row, raw, await parseMail(raw));
    } catch (thrown) {
      return recordFailure(deps, row, thrown, opts.maxAttempts);
    }
  });
}

/** Classifies, routes and settles a parsed message. Throws on failure; `run` records it. */
async function runParsed(
  deps: ProcessDeps,
  row: InboundEmailRow,
  raw: Buffer,
  mail: ParsedInbound,
): Promise<ProcessOutcome> {
  const { kind, facts } = classify(row, mail);
  if (kind === 'bounce') {
    const correlation = await recordBounce(deps, row, mail);
    return ignore(deps, row.id, { ...facts, reason: 'bounce', correlation });
  }
  await deps.attachments.store(row.id, mail.attachments);
  const autoReply = kind === 'auto_reply';
  const known = { raw, classification: facts.classification, autoReply };
  const decision = await route(deps, row, mail, known);
  if (autoReply) return settleAutoReply(deps, row.id, facts, decision);
  return settleRouted(deps, row, mail, facts, decision);
}

/** Runs one claimed message and counts its outcome for the metrics. */
async function runCounted(
  deps: ProcessDeps,
  claimed: ClaimedInboundEmail,
  opts: { maxAttempts: number; budget: ByteBudget },
): Promise<ProcessOutcome> {
  const outcome = await run(deps, claimed, opts);
  if (deps.telemetry) countProcessed(deps.telemetry, claimed.row.provider, outcome);
  return outcome;
}

/** Claims and runs one message. */
async function processOne(
  deps: ProcessDeps,
  id: string,
  opts: { maxAttempts: number; budget: ByteBudget },
): Promise<ProcessOutcome> {
  const [claimed] = await deps.emails.claimForProcessing(deps.db, [id], deps.clock.now());
  if (!claimed) return { status: 'skipped' };
  return runCounted(deps, claimed, opts);
}

/**
 * A job batch: one UPDATE claims every message (with the raw bytes of the small ones), then
 * each runs, `inFlight` at a time; a large message reads its bytes when its turn comes. Ids
 * that are not claimable (settled, or taken by another worker) come back `skipped`.
 */
async function processMany(
  deps: ProcessDeps,
  ids: string[],
  opts: { maxAttempts: number; inFlight: number; budget: ByteBudget },
): Promise<Map<string, ProcessOutcome>> {
  const claimed = await deps.emails.claimForProcessing(deps.db, ids, deps.clock.now());
  const out = new Map<string, ProcessOutcome>(ids.map((id) => [id, { status: 'skipped' }]));
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const one = claimed[next++]!;
      out.set(one.row.id, await runCounted(deps, one, opts));
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.inFlight, claimed.length) }, worker));
  return out;
}

/** `postroom inbound reprocess`: back to `received`, then a fresh job each. */
async function reprocess(deps: ProcessDeps, select: ReprocessSelection): Promise<string[]> {
  const ids = await deps.emails.reprocess(deps.db, select, deps.clock.now());
  await deps.queue.sendMany(
    PROCESS_QUEUE,
    ids.map((inboundEmailId) => ({ data: { inboundEmailId } })),
  );
  return ids;
}

export function createProcessService(deps: ProcessDeps) {
  const budget = new ByteBudget(PARSE_BYTES_IN_FLIGHT);
  return {
    process: (id: string, opts: { maxAttempts: number }) =>
      processOne(deps, id, { ...opts, budget }),
    processMany: (ids: string[], opts: { maxAttempts: number; inFlight: number }) =>
      processMany(deps, ids, { ...opts, budget }),
    reprocess: (select: ReprocessSelection) => reprocess(deps, select),
  };
}

export type ProcessService = ReturnType<typeof createProcessService>;
