/**
 * extractReply: from a parsed mail (or `{ text, html }`) to exactly what the person wrote.
 * Pipeline: pick the body (text/plain when it has content, else HTML with client quotes cut),
 * normalise, cut at our own "## Reply above this line ##" marker, cut quoted history, cut the
 * trailing signature. Pure and synchronous; see docs/reply-extraction.md for the policy.
 */
import { cutKnownHistory } from './history-stages.js';
import { htmlToReplyText } from './html-body.js';
import { normalizeText, unflow } from './normalize-text.js';
import { SCAN_CAP } from './lines.js';
import { mayHoldCopy } from './parents.js';
import { senderFromInput, senderNames } from './sender-names.js';
import { cutSignature } from './signature.js';
import type { HeaderBag, ReplyFlag, ReplyInput, ReplyContext, ReplyResult } from './types.js';

export { REPLY_MARKER } from './history-stages.js';

function header(headers: HeaderBag | undefined, name: string): unknown {
  if (!headers) return undefined;
  if (headers instanceof Map) return headers.get(name);
  return headers[name] ?? headers[name.toLowerCase()];
}

function isHtmlOnly(input: ReplyInput): boolean {
  const ct = header(input.headers, 'content-type');
  const value = typeof ct === 'string' ? ct : (ct as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' && value.toLowerCase().startsWith('text/html');
}

const PLACEHOLDER =
  /^\s*(?:this is an? (?:html|multi-?part) (?:message|email)|your (?:e-?mail )?client does not support html)/i;

function pickBody(input: ReplyInput): {
  body: string;
  html: boolean;
  cut: boolean;
  signature: boolean;
  truncated: boolean;
} {
  const text = typeof input.text === 'string' ? input.text : '';
  const html = typeof input.html === 'string' ? input.html : '';
  const textUsable =
    text.trim() !== '' && !PLACEHOLDER.test(text.slice(0, 200)) && !(html && isHtmlOnly(input));
  if (textUsable || html.trim() === '') {
    return {
      body: input.flowed ? unflow(normalizeText(text)) : text,
      html: false,
      cut: false,
      signature: false,
      truncated: false,
    };
  }
  const converted = htmlToReplyText(html);
  return {
    body: converted.text,
    html: true,
    cut: converted.cut,
    signature: converted.signature,
    truncated: converted.truncated,
  };
}

/**
 * The cut history is returned for display ("show what was cut"), not for keeping: the raw message
 * is stored anyway. Past this many characters it is truncated.
 */
export const MAX_QUOTED = 100_000;

/** Lines and characters analysed per message; a reply longer than this is a paste, not typing. */
export const ANALYSED_LINES = 2500;
export const ANALYSED_CHARS = 128 * 1024;

/** Where the analysed part ends, and whether that is inside a line (no newline to drop). */
function headEnd(body: string): { end: number; midLine: boolean } {
  let at = -1;
  for (let n = 0; n < ANALYSED_LINES; n++) {
    const next = body.indexOf('\n', at + 1);
    const lineEnd = next < 0 ? body.length : next;
    if (lineEnd > ANALYSED_CHARS)
      return at >= 0 ? { end: at, midLine: false } : { end: ANALYSED_CHARS, midLine: true };
    if (next < 0) return { end: body.length, midLine: false };
    at = next;
  }
  return { end: at, midLine: false };
}

function finish(lines: string[]): string {
  const out = lines.map((l) => l.trimEnd());
  let start = 0;
  while (start < out.length && out[start] === '') start++;
  let end = out.length;
  while (end > start && out[end - 1] === '') end--;
  return out.slice(start, end).join('\n');
}

export function extractReply(input: ReplyInput, context: ReplyContext = {}): ReplyResult {
  const flags = new Set<ReplyFlag>();
  const picked = pickBody(input);
  if (picked.html) flags.add('html-body');
  if (picked.cut) flags.add('html-quote-cut');
  if (picked.signature) flags.add('signature');
  if (picked.truncated) flags.add('long-body');

  // Only the first ANALYSED_LINES lines are analysed, which bounds the work on any input; the
  // rest follows the decision taken for the end of that part.
  const head = headEnd(picked.body);
  const cut = head.end;
  const overflow = cut < picked.body.length ? picked.body.slice(head.midLine ? cut : cut + 1) : '';
  let lines = normalizeText(picked.body.slice(0, cut)).split('\n');
  if (overflow !== '') flags.add('long-body');
  if (lines.some((l) => l.length > SCAN_CAP)) flags.add('long-lines');
  // Quoted history first, by the rules; our own messages are looked for only when what is
  // left could still hold a copy of one (parents.ts, mayHoldCopy), then the stages run again
  // with the copies cut first.
  const useErp = context.useEmailReplyParser !== false;
  let stages = cutKnownHistory(lines, undefined, useErp);
  if (mayHoldCopy(stages.kept, context.parents)) {
    const withParents = cutKnownHistory(lines, context.parents, useErp);
    if (withParents.flags.has('parent')) stages = withParents;
  }
  stages.flags.forEach((f) => flags.add(f));
  let method = stages.method;
  lines = stages.kept;
  const quoted = stages.quoted;
  const keepOverflow = overflow !== '' && stages.marker < 0 && stages.tailKept;
  if (overflow !== '' && !keepOverflow)
    quoted.push(overflow.slice(0, MAX_QUOTED).replace(/\r\n?/g, '\n'));
  // With a kept overflow the end of the reply was not analysed, so no signature is cut.
  const names = senderNames(context.sender ?? senderFromInput(input));
  const signature = keepOverflow
    ? { kept: lines, signature: [], flags: [] }
    : cutSignature(lines, names);
  signature.flags.forEach((f) => flags.add(f));
  let text: string;
  if (keepOverflow) {
    const kept = signature.kept.slice();
    const rest = normalizeText(overflow);
    // A line cut in the middle continues in the overflow.
    if (head.midLine && kept.length > 0) kept[kept.length - 1] += rest;
    else kept.push(rest);
    text = finish(kept);
  } else text = finish(signature.kept);
  if (text === '') method = 'empty';
  const cutText = finish(quoted);
  if (text === '' && cutText !== '') flags.add('only-quotes');
  return {
    text,
    quoted: cutText.length > MAX_QUOTED ? cutText.slice(0, MAX_QUOTED) : cutText,
    signature: finish(signature.signature),
    method,
    flags: [...flags],
  };
}
