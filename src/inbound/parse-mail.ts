/**
 * The one place inbound code calls mailparser. It always passes a Buffer: a string would be
 * read as latin1 (nodemailer/mailparser#241). The result is a plain, serialisable view that
 * the rules in domain/inbound and the reply extractor work on.
 *
 * Charsets: declared charsets (ISO-8859-1, windows-1252, Shift_JIS, …) are decoded by
 * mailparser. Text that claims UTF-8 but is not (a latin1 client that forgot to say so) comes
 * out with U+FFFD; then the message is parsed once more with its UTF-8 labels read as
 * windows-1252, the fallback order Discourse uses, and the second result wins if it is clean.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { headerMap, type HeaderMap } from '../domain/inbound/headers.js';
import { normalizeMessageId } from '../domain/inbound/dsn.js';
import { TextRepairs } from '../lib/safe-text.js';

export interface ParsedAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  /** Content-Disposition: inline (an image the HTML shows), not an attachment to save. */
  inline: boolean;
  sha256: string;
  content: Buffer;
}

/** An address with its display name, as the inbound webhook payload shows it. */
export interface ParsedMailbox {
  address: string;
  name: string;
}

export interface ParsedInbound {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string } | null;
  to: string[];
  cc: string[];
  /** To, Cc and Reply-To with display names (the address lists above are lower-cased). */
  mailboxes: { to: ParsedMailbox[]; cc: ParsedMailbox[]; replyTo: ParsedMailbox[] };
  subject: string;
  date: Date | null;
  text: string;
  html: string | null;
  headers: HeaderMap;
  contentType: string;
  attachments: ParsedAttachment[];
  /** Text of the message/delivery-status part of a DSN. */
  deliveryStatus: string | null;
  /** The bounced message's headers (text/rfc822-headers or the message/rfc822 part). */
  returnedHeaders: string | null;
  charsetFallback: boolean;
  /** Fields whose text PostgreSQL could not store and was repaired (NUL, lone surrogates). */
  repairedFields: string[];
}

const OPTIONS = {
  keepDeliveryStatus: true,
  // The reply extractor works on text/html; textAsHtml and link detection cost ~30 % (perf.md §9).
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
} as const;

const REPLACEMENT = '\uFFFD';
const UTF8_REPLACEMENT_BYTES = Buffer.from(REPLACEMENT, 'utf8');

export async function parseMail(raw: Buffer): Promise<ParsedInbound> {
  if (!Buffer.isBuffer(raw)) throw new TypeError('parseMail needs a Buffer');
  let mail = await simpleParser(raw, OPTIONS);
  let charsetFallback = false;
  if (hasReplacement(mail) && !raw.includes(UTF8_REPLACEMENT_BYTES)) {
    const relabelled = relabelUtf8(raw);
    if (relabelled) {
      const second = await simpleParser(relabelled, OPTIONS);
      if (!hasReplacement(second)) {
        mail = second;
        charsetFallback = true;
      }
    }
  }
  return toParsed(mail, charsetFallback);
}

function hasReplacement(mail: ParsedMail): boolean {
  return (
    (mail.text ?? '').includes(REPLACEMENT) ||
    (typeof mail.html === 'string' && mail.html.includes(REPLACEMENT))
  );
}

/**
 * Rewrites `charset=utf-8` in Content-Type lines to windows-1252, and gives single-part text
 * without any charset one. Returns null when there was nothing to relabel.
 */
function relabelUtf8(raw: Buffer): Buffer | null {
  const text = raw.toString('latin1');
  let changed = false;
  let out = text.replace(
    /(content-type:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*?charset\s*=\s*"?)(utf-?8)("?)/gi,
    (_m, a, _b, c) => {
      changed = true;
      return `${a}windows-1252${c}`;
    },
  );
  if (!changed) {
    out = out.replace(
      /^(content-type:\s*text\/(?:plain|html))(\s*(?:;[^\r\n]*)?)$/im,
      (m, a, rest: string) => {
        if (/charset/i.test(rest)) return m;
        changed = true;
        return `${a}; charset=windows-1252${rest}`;
      },
    );
  }
  return changed ? Buffer.from(out, 'latin1') : null;
}

function ids(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : value.split(/\s+/);
  return list
    .flatMap((v) => v.match(/<[^<>\s]+>/g) ?? [v])
    .map((v) => v.trim())
    .filter((v) => v.length > 2)
    .map(normalizeMessageId);
}

function mailboxes(value: AddressObject | AddressObject[] | undefined): ParsedMailbox[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: ParsedMailbox[] = [];
  const walk = (entries: AddressObject['value']): void => {
    for (const e of entries) {
      if (e.address) out.push({ address: e.address.toLowerCase(), name: e.name ?? '' });
      if (e.group) walk(e.group);
    }
  };
  for (const a of list) walk(a.value);
  return out;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  return mailboxes(value).map((m) => m.address);
}

function safeMailboxes(
  fix: TextRepairs,
  field: string,
  value: AddressObject | AddressObject[] | undefined,
): ParsedMailbox[] {
  return mailboxes(value).map((m) => ({
    address: fix.text(field, m.address),
    name: fix.text(field, m.name),
  }));
}

/** One attachment with its bytes and their sha256 (stored once per sha256). */
function attachmentOf(a: ParsedMail['attachments'][number], fix: TextRepairs): ParsedAttachment {
  return {
    filename: fix.optional('attachments', a.filename),
    contentType: fix.text('attachments', a.contentType),
    size: a.size,
    contentId: fix.optional('attachments', a.contentId),
    inline: a.contentDisposition === 'inline',
    sha256: createHash('sha256').update(a.content).digest('hex'),
    content: a.content,
  };
}

function toParsed(mail: ParsedMail, charsetFallback: boolean): ParsedInbound {
  const fix = new TextRepairs();
  const headers = headerMap(
    mail.headerLines.map((h) => {
      const colon = h.line.indexOf(':');
      const value =
        colon >= 0
          ? h.line
              .slice(colon + 1)
              .replace(/\r?\n[ \t]+/g, ' ')
              .trim()
          : '';
      return [fix.text('headers', h.key), fix.text('headers', value)] as const;
    }),
  );
  const fromValue = mail.from?.value[0];
  const { deliveryStatus, returnedHeaders, attachments } = readParts(mail, fix);
  return {
    messageId: mail.messageId ? normalizeMessageId(fix.text('message_id', mail.messageId)) : null,
    inReplyTo: ids(mail.inReplyTo).map((id) => fix.text('in_reply_to', id)),
    references: ids(mail.references).map((id) => fix.text('references', id)),
    from: fromValue?.address
      ? {
          address: fix.text('from', fromValue.address.toLowerCase()),
          name: fix.text('from', fromValue.name ?? ''),
        }
      : null,
    to: addresses(mail.to).map((a) => fix.text('to', a)),
    cc: addresses(mail.cc).map((a) => fix.text('cc', a)),
    mailboxes: {
      to: safeMailboxes(fix, 'to', mail.to),
      cc: safeMailboxes(fix, 'cc', mail.cc),
      replyTo: safeMailboxes(fix, 'reply_to', mail.replyTo),
    },
    subject: fix.text('subject', mail.subject ?? ''),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    text: fix.text('text', mail.text ?? ''),
    html: typeof mail.html === 'string' ? fix.text('html', mail.html) : null,
    headers,
    contentType: fix.text('headers', contentTypeOf(mail)),
    attachments,
    deliveryStatus,
    returnedHeaders,
    charsetFallback,
    repairedFields: fix.list(),
  };
}

function contentTypeOf(mail: ParsedMail): string {
  const ct = mail.headers.get('content-type');
  return ct && typeof ct === 'object' && 'value' in ct
    ? `${String(ct.value)}${Object.entries((ct as { params?: Record<string, string> }).params ?? {})
        .map(([k, v]) => `; ${k}=${v}`)
        .join('')}`
    : 'text/plain';
}

/** Attachments, and the DSN parts a bounce carries (delivery status, returned headers). */
function readParts(mail: ParsedMail, fix: TextRepairs) {
  let deliveryStatus: string | null = null;
  let returnedHeaders: string | null = null;
  const attachments: ParsedAttachment[] = [];
  for (const a of mail.attachments) {
    const type = a.contentType.toLowerCase();
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      deliveryStatus ??= fix.text('delivery_status', a.content.toString('utf8'));
    } else if (
      type === 'text/rfc822-headers' ||
      type === 'message/rfc822' ||
      type === 'message/global-headers'
    ) {
      if (returnedHeaders === null) {
        const s = a.content.toString('utf8');
        const end = s.search(/\r?\n\r?\n/);
        returnedHeaders = fix.text('returned_headers', end >= 0 ? s.slice(0, end) : s);
      }
    }
    attachments.push(attachmentOf(a, fix));
  }
  return { deliveryStatus, returnedHeaders, attachments };
}
