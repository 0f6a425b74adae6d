/**
 * Serializes a ComposedMessage to RFC 5322 bytes with nodemailer's MailComposer, and
 * DKIM-signs them when a key is configured. Built once per attempt: the same bytes are sent and
 * stored, so GET /v1/messages/:id/raw shows exactly what left.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import DKIM from 'nodemailer/lib/dkim';
import { formatMailbox } from '../../domain/outbound/recipients.js';
import type { ComposedMessage } from '../composed-message.js';

export interface DkimSettings {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

export class MimeBuilder {
  private readonly dkim: DKIM | null;
  constructor(dkim: DkimSettings | null = null) {
    this.dkim = dkim ? new DKIM({ ...dkim, cacheDir: false }) : null;
  }

  async build(m: ComposedMessage): Promise<Buffer> {
    const composer = new MailComposer({
      messageId: m.messageId,
      date: m.date,
      from: formatMailbox(m.from),
      to: m.to.map(formatMailbox),
      ...(m.cc.length ? { cc: m.cc.map(formatMailbox) } : {}),
      ...(m.replyTo.length ? { replyTo: m.replyTo.map(formatMailbox) } : {}),
      subject: m.subject,
      ...(m.text !== null ? { text: m.text } : {}),
      ...(m.html !== null ? { html: m.html } : {}),
      headers: m.headers.map(([key, value]) => ({ key, value })),
      attachments: m.attachments.map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
        ...(a.contentId ? { cid: a.contentId } : {}),
      })),
      // Bcc must never appear in the bytes; recipients travel in the envelope.
      envelope: m.envelope,
    });
    const node = composer.compile();
    node.keepBcc = false;
    // Bare LFs (html-to-text output, user text) become CRLF on the wire; do it before signing
    // and storing, so the stored bytes and the DKIM body hash match what the server receives.
    const built = toCrlf(await node.build());
    const raw = this.dkim ? await streamToBuffer(this.dkim.sign(built)) : built;
    // SMTP ends DATA with CRLF "." CRLF and the transport adds a missing final CRLF; adding it
    // here keeps the stored bytes identical to the bytes the server received.
    return raw.subarray(-2).toString() === '\r\n' ? raw : Buffer.concat([raw, Buffer.from('\r\n')]);
  }
}

function toCrlf(buf: Buffer): Buffer {
  if (!buf.includes(0x0a)) return buf;
  const out = Buffer.allocUnsafe(buf.length * 2);
  let j = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === 0x0a && (i === 0 || buf[i - 1] !== 0x0d)) out[j++] = 0x0d;
    out[j++] = c;
  }
  return out.subarray(0, j);
}

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
