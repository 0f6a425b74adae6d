/**
 * Accept's first steps for one message: validate the addresses and headers, resolve the body
 * (a stored template, or html/text), check the sizes and the schedule, and build the row. Each
 * step throws a 4xx AppError, in the order a client reads them back: addresses, recipients,
 * headers, single-line fields, body, metadata, attachments, send_at.
 */
import { AppError, ValidationError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import {
  MAX_RECIPIENTS,
  normalizeAddress,
  parseMailbox,
  type Mailbox,
} from '../../domain/outbound/recipients.js';
import {
  priorityOf,
  type NewOutboundMessage,
  type StoredAttachment,
} from '../../domain/outbound/message.js';
import { createReplyToken } from '../../inbound/reply-token.js';
import { messageIdFor } from '../../outbound/compose.js';
import { htmlToText } from '../../templates/user-template.js';
import type { Executor } from '../ports.js';
import { hasLineBreak } from '../../domain/outbound/headers.js';
import { checkHeaders, checkSingleLines } from './message-headers.js';
import type { SendMessageParsed } from './schemas.js';
import type { OutboundSettings } from './settings.js';
import type { TemplateService } from './templates.js';

const METADATA_MAX_BYTES = 4096;
const ATTACHMENTS_MAX_BYTES = 25 * 1024 * 1024;

export interface PrepareDeps {
  settings: OutboundSettings;
  templateService: Pick<TemplateService, 'resolve' | 'render'>;
}

/** Who is sending, and into which batch; the same for every message of one request. */
export interface PrepareContext {
  internal: boolean;
  apiKeyId: string | null;
  /** The API key tracks replies unless the body says otherwise. */
  replyTrackingDefault: boolean;
  batchId: string | null;
  now: Date;
}

interface Addresses {
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  replyTo: Mailbox[];
}

interface Body {
  subject: string;
  html: string | null;
  text: string | null;
  templateName: string | null;
  templateVersion: number | null;
}

/** Turns one validated input into a row, or throws a 4xx AppError. */
export async function prepareMessage(
  deps: PrepareDeps,
  ex: Executor,
  p: SendMessageParsed,
  ctx: PrepareContext,
): Promise<NewOutboundMessage> {
  const { settings } = deps;
  const addresses = parseAddresses(p, settings.mailFrom);
  const headers = checkHeaders(p, ctx.internal);
  checkSingleLines(p);
  const body = await resolveBody(deps.templateService, ex, p);
  const metadata = checkMetadata(p);
  const attachments = normalizeAttachments(p);
  const sendAt = scheduleOf(p, ctx.now, settings.maxScheduleDays);
  const id = newId(ctx.now.getTime());
  addresses.replyTo = trackedReplyTo(p, ctx, settings, id, addresses);
  const { from, to, cc, bcc } = addresses;
  return {
    id,
    status: sendAt ? 'scheduled' : 'queued',
    stream: p.stream,
    kind: p.kind,
    priority: priorityOf(p.kind, p.stream),
    ...addresses,
    recipients: [...new Set([...to, ...cc, ...bcc].map((m) => normalizeAddress(m.address)))],
    suppressedRecipients: [],
    ...body,
    headers,
    attachments,
    tags: p.tags ?? [],
    metadata,
    inReplyTo: p.in_reply_to ?? null,
    references: p.references ?? [],
    listUnsubscribe: p.list_unsubscribe ?? null,
    messageIdHeader: messageIdFor(id, from, settings),
    apiKeyId: ctx.apiKeyId,
    batchId: ctx.batchId,
    sendAt,
    expiresAt: new Date((sendAt ?? ctx.now).getTime() + settings.retry.maxAgeMs),
    reason: null,
  };
}

/** Every address must parse, and there must be 1 to MAX_RECIPIENTS recipients in all. */
function parseAddresses(p: SendMessageParsed, mailFrom: string): Addresses {
  const bad: Array<{ field: string; value: string }> = [];
  const mailboxes = (list: string[] | undefined, field: string): Mailbox[] =>
    (list ?? []).flatMap((v) => {
      const m = parseMailbox(v);
      if (!m) bad.push({ field, value: v });
      return m ? [m] : [];
    });
  const from = mailboxes([p.from ?? mailFrom], 'from')[0];
  const to = mailboxes(p.to, 'to');
  const cc = mailboxes(p.cc, 'cc');
  const bcc = mailboxes(p.bcc, 'bcc');
  const replyTo = mailboxes(p.reply_to, 'reply_to');
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
  return { from, to, cc, bcc, replyTo };
}

/**
 * `reply_tracking` (or the API key's default when the body gives no reply_to): a signed
 * `Reply-To: reply+<token>@INBOUND_DOMAIN` naming this message, bound to its first recipient, so
 * a reply threads back to it. Asked for explicitly, it needs INBOUND_DOMAIN and no reply_to.
 */
function trackedReplyTo(
  p: SendMessageParsed,
  ctx: PrepareContext,
  settings: OutboundSettings,
  id: string,
  a: Addresses,
): Mailbox[] {
  const asked = p.reply_tracking;
  if (!(asked ?? (ctx.replyTrackingDefault && a.replyTo.length === 0))) return a.replyTo;
  const tracking = settings.replyTracking;
  if (!tracking) {
    if (!asked) return a.replyTo;
    throw new ValidationError(
      'reply_tracking needs INBOUND_DOMAIN to be set',
      undefined,
      'reply_tracking_unavailable',
    );
  }
  if (a.replyTo.length > 0) {
    throw new ValidationError(
      'reply_tracking sets Reply-To itself; leave reply_to out',
      undefined,
      'reply_to_conflict',
    );
  }
  const email = (a.to[0] ?? a.cc[0] ?? a.bcc[0])!.address;
  const exp = new Date(ctx.now.getTime() + tracking.days * 86_400_000);
  const token = createReplyToken(tracking.secret, { kind: 'message', id, email, exp });
  return [{ name: null, address: `reply+${token}@${tracking.inboundDomain}` }];
}

/** The subject and body: rendered from a stored template, or given as html and/or text. */
async function resolveBody(
  templates: PrepareDeps['templateService'],
  ex: Executor,
  p: SendMessageParsed,
): Promise<Body> {
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
  return { subject, html, text, templateName, templateVersion };
}

function checkMetadata(p: SendMessageParsed): Record<string, unknown> {
  const metadata = p.metadata ?? {};
  if (Buffer.byteLength(JSON.stringify(metadata)) > METADATA_MAX_BYTES) {
    throw new ValidationError(
      `metadata must be at most ${METADATA_MAX_BYTES} bytes of JSON`,
      undefined,
      'metadata_too_large',
    );
  }
  return metadata;
}

/** Base64 without line breaks, and at most ATTACHMENTS_MAX_BYTES decoded in all (413). */
function normalizeAttachments(p: SendMessageParsed): StoredAttachment[] {
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
  return attachments;
}

/** When to send: null for now (a send_at in the past is now), refused beyond maxScheduleDays. */
function scheduleOf(p: SendMessageParsed, now: Date, maxScheduleDays: number): Date | null {
  if (!p.send_at) return null;
  const sendAt = new Date(p.send_at);
  const max = now.getTime() + maxScheduleDays * 86400_000;
  if (sendAt.getTime() > max) {
    throw new ValidationError(
      `send_at may be at most ${maxScheduleDays} days ahead`,
      undefined,
      'send_at_too_far',
    );
  }
  return sendAt.getTime() <= now.getTime() ? null : sendAt;
}
