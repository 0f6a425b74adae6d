/**
 * Turns the compose form (multipart fields + files) into a ComposeInput, or a list of problems
 * to show next to the form. Pure, so the rules are unit-tested without a browser.
 */
import type { ComposeInput } from '../services.js';

export interface ComposeFields {
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  mode: string;
  html: string;
  text: string;
  template: string;
  data: string;
  tags: string;
  when: string;
  send_at: string;
}

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  buffer: Buffer;
  size: number;
}

const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+$/;

export function splitList(v: string): string[] {
  return v
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function readComposeFields(body: Record<string, unknown>): ComposeFields {
  const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  return {
    to: s('to'),
    cc: s('cc'),
    bcc: s('bcc'),
    subject: s('subject'),
    mode: s('mode') === 'template' ? 'template' : 'html',
    html: s('html'),
    text: s('text'),
    template: s('template'),
    data: s('data'),
    tags: s('tags'),
    when: s('when') === 'schedule' ? 'schedule' : 'now',
    send_at: s('send_at'),
  };
}

/** `send_at` comes from <input type=datetime-local> and is read as UTC (the page says so). */
export function parseSendAt(v: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return null;
  const d = new Date(`${v.length === 16 ? `${v}:00` : v}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function toComposeInput(
  f: ComposeFields,
  files: readonly UploadedFile[],
  now: Date,
): { ok: true; input: ComposeInput } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const to = splitList(f.to);
  const cc = splitList(f.cc);
  const bcc = splitList(f.bcc);
  if (to.length === 0) problems.push('Add at least one recipient in To.');
  for (const a of [...to, ...cc, ...bcc])
    if (!ADDRESS.test(a)) problems.push(`"${a}" is not an email address.`);
  let template: ComposeInput['template'];
  if (f.mode === 'template') {
    if (!f.template) problems.push('Choose a template.');
    let data: unknown = {};
    if (f.data.trim()) {
      try {
        data = JSON.parse(f.data);
      } catch {
        problems.push('Template data must be valid JSON.');
      }
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      problems.push('Template data must be a JSON object.');
    else template = { name: f.template, data: data as Record<string, unknown> };
  } else {
    if (!f.subject.trim()) problems.push('Add a subject.');
    if (!f.html.trim() && !f.text.trim()) problems.push('Write an HTML or a text body.');
  }
  let sendAt: Date | undefined;
  if (f.when === 'schedule') {
    const d = parseSendAt(f.send_at);
    if (!d) problems.push('Pick a date and time to send at.');
    else if (d.getTime() <= now.getTime()) problems.push('The scheduled time is in the past.');
    else sendAt = d;
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    input: {
      to,
      cc,
      bcc,
      subject: f.subject.trim(),
      ...(f.mode === 'html' && f.html.trim() ? { html: f.html } : {}),
      ...(f.mode === 'html' && f.text.trim() ? { text: f.text } : {}),
      ...(template ? { template } : {}),
      attachments: files.map((file) => ({
        filename: file.originalname.slice(0, 200) || 'attachment',
        contentType: file.mimetype || 'application/octet-stream',
        content: file.buffer,
      })),
      ...(sendAt ? { sendAt } : {}),
      tags: splitList(f.tags),
    },
  };
}
