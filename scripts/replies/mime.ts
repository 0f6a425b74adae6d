/**
 * Minimal MIME writer for the reply corpus: builds raw messages the way mail clients lay them
 * out (headers, multipart/alternative, quoted-printable, base64, 8bit, format=flowed). Only the
 * corpus generator uses it; production mail is composed by src/outbound.
 */

export type Encoding = 'quoted-printable' | 'base64' | '8bit' | '7bit';

export interface Part {
  type: 'text/plain' | 'text/html';
  body: string;
  encoding: Encoding;
  charset?: string;
  flowed?: boolean;
}

export interface Message {
  headers: [string, string][];
  parts: Part[];
  boundary: string;
}

function qpLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  let out = '';
  let len = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    const last = i === bytes.length - 1;
    let chunk: string;
    if ((b >= 33 && b <= 126 && b !== 61) || (b === 32 && !last) || (b === 9 && !last))
      chunk = String.fromCharCode(b);
    else chunk = '=' + b.toString(16).toUpperCase().padStart(2, '0');
    if (len + chunk.length > 75) {
      out += '=\r\n';
      len = 0;
    }
    out += chunk;
    len += chunk.length;
  }
  return out;
}

export function encodeBody(body: string, encoding: Encoding): string {
  const lines = body.replace(/\r?\n/g, '\n').split('\n');
  if (encoding === 'quoted-printable') return lines.map(qpLine).join('\r\n');
  if (encoding === 'base64') {
    const b64 = Buffer.from(lines.join('\r\n'), 'utf8').toString('base64');
    return (b64.match(/.{1,76}/g) ?? []).join('\r\n');
  }
  return lines.join('\r\n');
}

/** RFC 3676 format=flowed: wrap long lines with a trailing space as the soft break. */
export function flow(text: string, width = 72): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const quote = /^(>+ ?)/.exec(line)?.[1] ?? '';
    let rest = line.slice(quote.length);
    if (line === '-- ') {
      out.push(line);
      continue;
    }
    if (rest.startsWith(' ') || rest.startsWith('From ') || (quote === '' && rest.startsWith('>')))
      rest = ' ' + rest;
    while (quote.length + rest.length > width) {
      const cut = rest.lastIndexOf(' ', width - quote.length);
      if (cut <= 0) break;
      out.push(quote + rest.slice(0, cut + 1));
      rest = rest.slice(cut + 1);
    }
    out.push(quote + rest.replace(/ +$/, ''));
  }
  return out.join('\n');
}

function encodeWord(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

export function header(name: string, value: string): [string, string] {
  return [name, value];
}

export function encodeHeaderValue(value: string): string {
  return value.replace(
    /"([^"]*)"|([^<>,"]+)(?=\s*<)/g,
    (m, quoted: string | undefined, bare: string | undefined) => {
      const v = quoted ?? bare ?? m;
      // eslint-disable-next-line no-control-regex
      if (/^[\x00-\x7f]*$/.test(v)) return m;
      return encodeWord(v.trim()) + (bare !== undefined ? ' ' : '');
    },
  );
}

function partText(part: Part): string {
  const params = [`charset="${part.charset ?? 'UTF-8'}"`];
  if (part.flowed) params.push('format=flowed');
  return [
    `Content-Type: ${part.type}; ${params.join('; ')}`,
    `Content-Transfer-Encoding: ${part.encoding}`,
    '',
    encodeBody(part.body, part.encoding),
  ].join('\r\n');
}

export function render(message: Message): string {
  const head = message.headers.map(
    ([k, v]) => `${k}: ${k === 'Subject' ? encodeWord(v) : encodeHeaderValue(v)}`,
  );
  head.push('MIME-Version: 1.0');
  if (message.parts.length === 1) {
    const part = message.parts[0] as Part;
    return [...head, partText(part)].join('\r\n') + '\r\n';
  }
  head.push(`Content-Type: multipart/alternative; boundary="${message.boundary}"`);
  const body = message.parts.map((p) => `--${message.boundary}\r\n${partText(p)}\r\n`).join('\r\n');
  return [...head, '', body + `--${message.boundary}--`, ''].join('\r\n');
}
