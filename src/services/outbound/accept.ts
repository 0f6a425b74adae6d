/**
 * Accepting mail: validate, render, check suppressions and quota, insert the rows and enqueue the
 * work, all in one transaction (the caller's, when it passes one), so a message exists exactly
 * when its job does. Idempotency-Key: the same key with the same body replays the first answer;
 * a different body is 409. The key row is written in the same transaction, so a rejected request
 * (4xx) releases its key.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AppError, ConflictError, ValidationError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { validateCustomHeaders, hasLineBreak } from '../../domain/outbound/headers.js';
import {
  MAX_RECIPIENTS,
  normalizeAddress,
  parseMailbox,
  type Mailbox,
} from '../../domain/outbound/recipients.js';
import {
  priorityOf,
  type ApiKeyRecord,
  type NewOutboundMessage,
} from '../../domain/outbound/message.js';
import type { OutboundStatus } from '../../domain/state/outbound-message.js';
import { messageIdFor } from '../../outbound/compose.js';
import { htmlToText } from '../../templates/user-template.js';
import type { Executor } from '../ports.js';
import type { ApiKeyService } from './api-keys.js';
import { SEND_QUEUE, SWEEP_QUEUE } from './job-payloads.js';
import {
  batchSchema,
  bulkSchema,
  sendMessageSchema,
  type SendMessageInput,
  type SendMessageParsed,
} from './schemas.js';
import type { OutboundDeps } from './settings.js';
import type { TemplateService } from './templates.js';

const METADATA_MAX_BYTES = 4096;
const ATTACHMENTS_MAX_BYTES = 25 * 1024 * 1024;
const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export interface AcceptOptions {
  tx?: Executor | undefined;
  /** The API key of an HTTP caller; internal callers have none. */
  apiKey?: ApiKeyRecord | null | undefined;
  /** Internal callers may set Auto-Submitted and friends. Default: true without an API key. */
  internal?: boolean | undefined;
  /** The Idempotency-Key header (overrides the body's idempotency_key). */
  idempotencyKey?: string | undefined;
}

export interface SendResult {
  id: string;
  status: OutboundStatus;
  /** The Message-ID header we generated, with angle brackets (for threading replies). */
  message_id: string;
}

export interface BatchResult {
  batch_id: string;
  accepted: Array<{ index: number; id: string; status: OutboundStatus }>;
  errors: Array<{ index: number; error: { code: string; message: string; details?: unknown } }>;
}

export interface AcceptService {
  sendMessage(input: SendMessageInput, opts?: AcceptOptions): Promise<SendResult>;
  sendBatch(input: unknown, opts?: AcceptOptions): Promise<BatchResult>;
}

export function zodIssues(err: z.ZodError): Array<{ path: string; message: string }> {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

function bodyHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

export function createAcceptService(
  deps: OutboundDeps,
  templates: TemplateService,
  apiKeys: ApiKeyService,
): AcceptService {
  const { db, store, queue, clock, settings } = deps;

  const mailboxes = (
    list: string[] | undefined,
    field: string,
    bad: Array<{ field: string; value: string }>,
  ): Mailbox[] =>
    (list ?? []).flatMap((v) => {
      const m = parseMailbox(v);
      if (!m) bad.push({ field, value: v });
      return m ? [m] : [];
    });

  /** Turns one validated input into a row, or throws a 4xx AppError. */
  async function prepare(
    ex: Executor,
    p: SendMessageParsed,
    internal: boolean,
    apiKeyId: string | null,
    batchId: string | null,
    now: Date,
  ): Promise<NewOutboundMessage> {
    const bad: Array<{ field: string; value: string }> = [];
    const from = mailboxes([p.from ?? settings.mailFrom], 'from', bad)[0];
    const to = mailboxes(p.to, 'to', bad);
    const cc = mailboxes(p.cc, 'cc', bad);
    const bcc = mailboxes(p.bcc, 'bcc', bad);
    const replyTo = mailboxes(p.reply_to, 'reply_to', bad);
    if (bad.length > 0 || !from)
      throw new ValidationError('Invalid email address', { invalid: bad }, 'invalid_address');
    const count = to.length + cc.length + bcc.length;
    if (count === 0)
      throw new ValidationError(
        'At least one recipient (to, cc or bcc) is required',
        undefined,
        'no_recipients',
      );
    if (count > MAX_RECIPIENTS) {
      throw new ValidationError(
        `At most ${MAX_RECIPIENTS} recipients in all`,
        { count },
        'too_many_recipients',
      );
    }
    const headers = p.headers ?? {};
    const headerIssues = validateCustomHeaders(headers, { internal });
    if (headerIssues.length > 0) {
      const injection = headerIssues.some((i) => i.code === 'header_injection');
      throw new ValidationError(
        'Headers not allowed',
        { headers: headerIssues },
        injection ? 'header_injection' : 'invalid_headers',
      );
    }
    for (const [field, value] of [
      ['subject', p.subject],
      ['in_reply_to', p.in_reply_to],
      ['list_unsubscribe.url', p.list_unsubscribe?.url],
      ['list_unsubscribe.mailto', p.list_unsubscribe?.mailto],
      ...(p.references ?? []).map((r) => ['references', r] as const),
      ...(p.attachments ?? []).map((a) => ['attachments.filename', a.filename] as const),
    ] as Array<[string, string | undefined]>) {
      if (value !== undefined && hasLineBreak(value)) {
        throw new ValidationError(`${field} must be a single line`, { field }, 'header_injection');
      }
    }

    let subject = p.subject;
    let html = p.html ?? null;
    let text = p.text ?? null;
    let templateName: string | null = null;
    let templateVersion: number | null = null;
    if (p.template) {
      if (p.html !== undefined || p.text !== undefined) {
        throw new ValidationError(
          'Give either a template or html/text, not both',
          undefined,
          'body_conflict',
        );
      }
      const t = await templates.resolve(ex, p.template.name, p.template.version);
      const rendered = templates.render(t.compiled, p.template.data);
      subject = p.subject ?? rendered.subject;
      html = rendered.html;
      text = rendered.text;
      templateName = p.template.name;
      templateVersion = t.version;
      if (hasLineBreak(subject))
        throw new ValidationError(
          'The rendered subject has a line break',
          undefined,
          'header_injection',
        );
    }
    if (html === null && text === null)
      throw new ValidationError('html, text or template is required', undefined, 'body_required');
    if (subject === undefined)
      throw new ValidationError('subject is required', undefined, 'subject_required');
    if (text === null && html !== null) text = htmlToText(html);

    const metadata = p.metadata ?? {};
    if (Buffer.byteLength(JSON.stringify(metadata)) > METADATA_MAX_BYTES) {
      throw new ValidationError(
        `metadata must be at most ${METADATA_MAX_BYTES} bytes of JSON`,
        undefined,
        'metadata_too_large',
      );
    }
    const attachments = (p.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: a.content.replace(/[\r\n]/g, ''),
      content_type: a.content_type,
      ...(a.content_id ? { content_id: a.content_id } : {}),
    }));
    const attachmentBytes = attachments.reduce(
      (n, a) => n + Math.floor((a.content.length * 3) / 4),
      0,
    );
    if (attachmentBytes > ATTACHMENTS_MAX_BYTES) {
      throw new AppError(
        413,
        'attachments_too_large',
        `Attachments may total at most ${ATTACHMENTS_MAX_BYTES} bytes`,
      );
    }

    let sendAt: Date | null = null;
    if (p.send_at) {
      sendAt = new Date(p.send_at);
      const max = now.getTime() + settings.maxScheduleDays * 86400_000;
      if (sendAt.getTime() > max) {
        throw new ValidationError(
          `send_at may be at most ${settings.maxScheduleDays} days ahead`,
          undefined,
          'send_at_too_far',
        );
      }
      if (sendAt.getTime() <= now.getTime()) sendAt = null;
    }

    const id = newId(now.getTime());
    const recipients = [...new Set([...to, ...cc, ...bcc].map((m) => normalizeAddress(m.address)))];
    return {
      id,
      status: sendAt ? 'scheduled' : 'queued',
      stream: p.stream,
      kind: p.kind,
      priority: priorityOf(p.kind, p.stream),
      from,
      to,
      cc,
      bcc,
      replyTo,
      recipients,
      subject,
      html,
      text,
      headers,
      attachments,
      tags: p.tags ?? [],
      metadata,
      templateName,
      templateVersion,
      inReplyTo: p.in_reply_to ?? null,
      references: p.references ?? [],
      listUnsubscribe: p.list_unsubscribe ?? null,
      messageIdHeader: messageIdFor(id, from, settings),
      apiKeyId,
      batchId,
      sendAt,
      expiresAt: new Date((sendAt ?? now).getTime() + settings.retry.maxAgeMs),
      reason: null,
    };
  }

  /** Drops suppressed recipients; a message left with none is created `suppressed`. */
  async function applySuppressions(ex: Executor, messages: NewOutboundMessage[]): Promise<void> {
    for (const stream of ['transactional', 'broadcast'] as const) {
      const group = messages.filter((m) => m.stream === stream);
      const all = [...new Set(group.flatMap((m) => m.recipients))];
      if (all.length === 0) continue;
      const suppressed = await store.suppressedAmong(ex, all, stream);
      if (suppressed.size === 0) continue;
      for (const m of group) {
        const hit = m.recipients.filter((r) => suppressed.has(r));
        if (hit.length === 0) continue;
        if (hit.length === m.recipients.length) {
          m.status = 'suppressed';
          m.reason = `suppressed: ${hit.join(', ')}`;
          continue;
        }
        const keep = (x: Mailbox) => !suppressed.has(normalizeAddress(x.address));
        m.to = m.to.filter(keep);
        m.cc = m.cc.filter(keep);
        m.bcc = m.bcc.filter(keep);
        m.recipients = m.recipients.filter((r) => !suppressed.has(r));
        m.reason = `suppressed recipients removed: ${hit.join(', ')}`;
      }
    }
  }

  async function enqueue(ex: Executor, messages: NewOutboundMessage[]): Promise<void> {
    const byPriority = new Map<number, string[]>();
    for (const m of messages) {
      if (m.status !== 'queued') continue;
      const list = byPriority.get(m.priority) ?? [];
      list.push(m.id);
      byPriority.set(m.priority, list);
    }
    const size = settings.jobMode === 'batch' ? settings.jobGroupSize : 1;
    const jobs: Array<{ data: { ids: string[] }; priority: number }> = [];
    for (const [priority, ids] of byPriority) {
      for (let i = 0; i < ids.length; i += size)
        jobs.push({ data: { ids: ids.slice(i, i + size) }, priority });
    }
    if (jobs.length === 1)
      await queue.send(SEND_QUEUE, jobs[0]!.data, { tx: ex, priority: jobs[0]!.priority });
    else if (jobs.length > 1) await queue.sendMany(SEND_QUEUE, jobs, { tx: ex });
    // Scheduled mail: the sweeper promotes it; this wakes a sweep at send_at (deduped per second).
    const times = new Set(
      messages
        .filter((m) => m.status === 'scheduled')
        .map((m) => Math.ceil(m.sendAt!.getTime() / 1000)),
    );
    for (const t of times) {
      await queue.send(
        SWEEP_QUEUE,
        {},
        { tx: ex, startAfter: new Date(t * 1000), singletonKey: `sweep-at-${t}` },
      );
    }
  }

  /** Runs `fn` once per idempotency key: replays the stored answer or refuses a different body. */
  async function withIdempotency<T>(
    ex: Executor,
    opts: AcceptOptions,
    key: string | undefined,
    hashOf: unknown,
    fn: () => Promise<T>,
  ): Promise<T> {
    if (!key) return fn();
    const scope = opts.apiKey ? `key:${opts.apiKey.id}` : 'internal';
    const now = clock.now();
    const requestHash = bodyHash(hashOf);
    const claim = await store.claimIdempotencyKey(ex, {
      scope,
      key,
      requestHash,
      now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    });
    if (claim.kind === 'replay') {
      if (claim.requestHash !== requestHash) {
        throw new ConflictError(
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different request body',
        );
      }
      if (claim.response === null)
        throw new ConflictError(
          'idempotency_in_flight',
          'A request with this Idempotency-Key is in progress',
        );
      return claim.response as T;
    }
    const result = await fn();
    await store.storeIdempotentResponse(ex, { scope, key, statusCode: 202, response: result });
    return result;
  }

  const inTx = <T>(opts: AcceptOptions, fn: (ex: Executor) => Promise<T>): Promise<T> =>
    opts.tx ? fn(opts.tx) : db.transaction(fn);

  return {
    async sendMessage(input, opts = {}) {
      const parsed = sendMessageSchema.safeParse(input);
      if (!parsed.success)
        throw new ValidationError('Invalid message', { issues: zodIssues(parsed.error) });
      const p = parsed.data;
      const internal = opts.internal ?? !opts.apiKey;
      const { idempotency_key: bodyKey, ...hashed } = p;
      return inTx(opts, (ex) =>
        withIdempotency(ex, opts, opts.idempotencyKey ?? bodyKey, hashed, async () => {
          const now = clock.now();
          if (opts.apiKey) await apiKeys.consumeQuota(ex, opts.apiKey, 1);
          const m = await prepare(ex, p, internal, opts.apiKey?.id ?? null, null, now);
          await applySuppressions(ex, [m]);
          await store.insertMessages(ex, [m], now);
          await enqueue(ex, [m]);
          return { id: m.id, status: m.status, message_id: m.messageIdHeader };
        }),
      );
    },

    async sendBatch(input, opts = {}) {
      const parsed = batchSchema.safeParse(input);
      if (!parsed.success)
        throw new ValidationError('Invalid batch', { issues: zodIssues(parsed.error) });
      const internal = opts.internal ?? !opts.apiKey;
      let items: unknown[];
      if ('messages' in parsed.data) {
        items = parsed.data.messages;
      } else {
        const b = parsed.data as z.output<typeof bulkSchema>;
        items = b.recipients.map((r) => ({
          to: [r.to],
          ...(b.from ? { from: b.from } : {}),
          ...(b.reply_to ? { reply_to: b.reply_to } : {}),
          stream: b.stream,
          ...(b.tags ? { tags: b.tags } : {}),
          ...(b.metadata || r.metadata ? { metadata: { ...b.metadata, ...r.metadata } } : {}),
          ...(b.send_at ? { send_at: b.send_at } : {}),
          ...(b.headers ? { headers: b.headers } : {}),
          template: {
            name: b.template.name,
            data: r.data,
            ...(b.template.version ? { version: b.template.version } : {}),
          },
        }));
      }
      return inTx(opts, (ex) =>
        withIdempotency(ex, opts, opts.idempotencyKey, input, async () => {
          const now = clock.now();
          const batchId = newId(now.getTime());
          const errors: BatchResult['errors'] = [];
          const ready: Array<{ index: number; m: NewOutboundMessage }> = [];
          for (let index = 0; index < items.length; index++) {
            const one = sendMessageSchema.safeParse(items[index]);
            if (!one.success) {
              errors.push({
                index,
                error: {
                  code: 'validation_failed',
                  message: 'Invalid message',
                  details: { issues: zodIssues(one.error) },
                },
              });
              continue;
            }
            try {
              ready.push({
                index,
                m: await prepare(ex, one.data, internal, opts.apiKey?.id ?? null, batchId, now),
              });
            } catch (err) {
              if (!(err instanceof AppError)) throw err;
              errors.push({
                index,
                error: {
                  code: err.code,
                  message: err.message,
                  ...(err.details === undefined ? {} : { details: err.details }),
                },
              });
            }
          }
          if (ready.length > 0) {
            if (opts.apiKey) await apiKeys.consumeQuota(ex, opts.apiKey, ready.length);
            const messages = ready.map((r) => r.m);
            await applySuppressions(ex, messages);
            await store.insertBatch(ex, {
              id: batchId,
              apiKeyId: opts.apiKey?.id ?? null,
              size: messages.length,
              now,
            });
            await store.insertMessages(ex, messages, now);
            await enqueue(ex, messages);
          }
          return {
            batch_id: batchId,
            accepted: ready.map((r) => ({ index: r.index, id: r.m.id, status: r.m.status })),
            errors,
          };
        }),
      );
    },
  };
}
