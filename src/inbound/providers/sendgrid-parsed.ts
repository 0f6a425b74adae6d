/**
 * SendGrid Inbound Parse in parsed mode (`headers`, `text`, `html`, `attachmentN` with
 * `attachment-info`, `charsets`) rebuilt into one MIME message, so everything downstream sees
 * raw bytes whichever mode the Parse setting uses.
 */
import { createHash } from 'node:crypto';
import { BadRequestError } from '../../lib/errors.js';
import { fieldText, type FormPayload } from './types.js';

/** A form field holding JSON (`envelope`, `charsets`, `attachment-info`). */
export function jsonField(form: FormPayload, name: string): unknown {
  const text = fieldText(form, name);
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('malformed_field', `Field ${name} is not valid JSON`);
  }
}

const DROP_HEADERS = /^(content-type|content-transfer-encoding|mime-version)$/i;

type AttachmentInfo = Record<
  string,
  { filename?: string; name?: string; type?: string; 'content-id'?: string }
>;

/**
 * Parsed mode → multipart MIME: the original headers, then text/html, then the files. The
 * result depends only on what was posted (the boundaries are derived from it), so SendGrid's
 * retry of the same post rebuilds the same bytes and is deduplicated like a raw-mode retry.
 */
export function rebuildFromParsed(form: FormPayload): Buffer | null {
  const headerBlock = form.fields.get('headers');
  if (!headerBlock || headerBlock.length === 0) return null;
  const charsets = (jsonField(form, 'charsets') ?? {}) as Record<string, string>;
  const info = (jsonField(form, 'attachment-info') ?? {}) as AttachmentInfo;
  const kept = unfoldHeaders(headerBlock.toString('latin1')).filter(
    (line) => !DROP_HEADERS.test(line.slice(0, line.indexOf(':')).trim()),
  );
  const text = form.fields.get('text');
  const html = form.fields.get('html');
  const boundary = boundaries(form);
  const alt = boundary('alternative');
  const textParts = [
    text ? part(`text/plain; charset="${safeCharset(charsets.text)}"`, text) : null,
    html ? part(`text/html; charset="${safeCharset(charsets.html)}"`, html) : null,
  ].filter((p): p is Buffer => p !== null);
  const head = Buffer.from(kept.join('\r\n') + '\r\n', 'latin1');
  const files = form.files.filter((f) => /^attachment\d+$/.test(f.field));
  if (files.length === 0) {
    return Buffer.concat([
      head,
      Buffer.from(
        `MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="${alt}"\r\n`,
      ),
      Buffer.from('\r\n'),
      multipart(alt, textParts),
    ]);
  }
  const mixed = boundary('mixed');
  const altPart = Buffer.concat([
    Buffer.from(`Content-Type: multipart/alternative; boundary="${alt}"\r\n\r\n`),
    multipart(alt, textParts),
  ]);
  return Buffer.concat([
    head,
    Buffer.from(`MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${mixed}"\r\n\r\n`),
    multipart(mixed, [altPart, ...files.map((f) => attachmentPart(f, info[f.field] ?? {}))]),
  ]);
}

/**
 * One attachment. Its name goes in RFC 2231 form (`filename*=utf-8''…`) unless it is plain
 * ASCII without quotes or backslashes, so `\share\mail\forwarded.msg`, quotes and non-ASCII
 * names survive: in a quoted-string a backslash would escape the next character.
 */
function attachmentPart(f: FormPayload['files'][number], meta: AttachmentInfo[string]): Buffer {
  const filename = String(meta.filename ?? meta.name ?? f.filename ?? f.field);
  const type = String(meta.type ?? f.contentType ?? 'application/octet-stream').replace(
    /[\r\n"]/g,
    '',
  );
  const cid = meta['content-id'];
  const disposition = cid
    ? `Content-ID: <${String(cid).replace(/[<>\r\n]/g, '')}>\r\nContent-Disposition: inline; ${mimeParam('filename', filename)}`
    : `Content-Disposition: attachment; ${mimeParam('filename', filename)}`;
  return part(`${type}; ${mimeParam('name', filename)}`, f.content, disposition);
}

/** `name="value"` for plain ASCII, else RFC 2231 `name*=utf-8''percent-encoded`. */
export function mimeParam(name: string, value: string): string {
  if (/^[\x20-\x7e]*$/.test(value) && !/["\\]/.test(value)) return `${name}="${value}"`;
  const encoded = encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD')).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${name}*=utf-8''${encoded}`;
}

/**
 * Boundaries derived from the posted content: the same post gives the same message bytes.
 * `=_` never occurs in base64, which every rebuilt part is encoded in.
 */
function boundaries(form: FormPayload): (kind: string) => string {
  const h = createHash('sha256');
  for (const [name, value] of [...form.fields].sort(([a], [b]) => (a < b ? -1 : 1))) {
    h.update(`${name.length}:${name}${value.length}:`).update(value);
  }
  for (const f of form.files) {
    h.update(`${f.field}\u0000${f.filename}\u0000${f.contentType}\u0000${f.content.length}:`);
    h.update(f.content);
  }
  const seed = h.digest('hex');
  return (kind) =>
    `=_postroom_${createHash('sha256').update(`${seed}:${kind}`).digest('hex').slice(0, 24)}`;
}

function unfoldHeaders(block: string): string[] {
  return block
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((l) => l.includes(':'));
}

function safeCharset(c: string | undefined): string {
  return c && /^[A-Za-z0-9._:-]+$/.test(c) ? c : 'utf-8';
}

function part(contentType: string, content: Buffer, extraHeaders?: string): Buffer {
  const b64 = content.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `Content-Type: ${contentType}\r\nContent-Transfer-Encoding: base64\r\n${extraHeaders ? extraHeaders + '\r\n' : ''}\r\n${b64}\r\n`,
  );
}

function multipart(b: string, parts: Buffer[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) chunks.push(Buffer.from(`--${b}\r\n`), p);
  chunks.push(Buffer.from(`--${b}--\r\n`));
  return Buffer.concat(chunks);
}
