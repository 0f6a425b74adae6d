/**
 * extractReply: from a parsed mail (or `{ text, html }`) to exactly what the person wrote.
 * Pipeline: pick the body (text/plain when it has content, else HTML with client quotes cut),
 * normalise, cut at our own "## Reply above this line ##" marker, cut quoted history, cut the
 * trailing signature. Pure and synchronous; see docs/reply-extraction.md for the policy.
 */
import { emailReplyParserCut } from './email-reply-parser-stage.js';
import { append, cutHistory } from './history.js';
import { htmlToReplyText } from './html-body.js';
import { normalizeText, unflow } from './normalize-text.js';
import { isQuoted, SCAN_CAP } from './lines.js';
import { cutParents } from './parents.js';
import { senderFromInput, senderNames } from './sender-names.js';
import { cutSignature } from './signature.js';
import type {
  HeaderBag,
  ReplyFlag,
  ReplyInput,
  ReplyMethod,
  ReplyContext,
  ReplyResult,
} from './types.js';

/** Prompt emails carry this line; everything from it down is our own text. */
export const REPLY_MARKER = '## Reply above this line ##';

const MARKER_TEST =
  /reply above this line|r[ée]pondez au-dessus de cette ligne|oberhalb dieser zeile antworten/i;

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

function cutAtMarker(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (
      line.length > SCAN_CAP ||
      (line.indexOf('bove') < 0 && line.indexOf('essus') < 0 && line.indexOf('berhalb') < 0)
    )
      continue;
    // The marker line is the phrase and its decoration, not a sentence that mentions it.
    const core = line.replace(/^[\s>#*_=~-]+|[\s#*_=~-]+$/g, '');
    if (core.length <= 48 && MARKER_TEST.test(core)) return i;
  }
  return -1;
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
  let markerTail: string[] = [];
  let method: ReplyMethod = 'plain';

  // Our own messages pasted back, however they were quoted or wrapped, go first: their
  // attribution line may be in a language no rule knows.
  const pasted = cutParents(lines, context.parents);
  if (pasted.quoted.length > 0) {
    lines = pasted.kept;
    flags.add('parent');
    method = 'parent';
  }

  // Unquoted, our marker means pasted history: cut to the end. Quoted, it only proves that its
  // quote block is history; a bottom-posted reply may follow it.
  const marker = cutAtMarker(lines);
  const historyLines: number[] = [];
  if (marker >= 0) {
    flags.add('marker');
    method = 'marker';
    if (isQuoted(lines[marker] ?? '')) historyLines.push(marker);
    else {
      markerTail = lines.slice(marker);
      lines = lines.slice(0, marker);
    }
  }

  const history = cutHistory(lines, historyLines);
  lines = history.kept;
  const quoted: string[] = [];
  history.flags.forEach((f) => flags.add(f));
  if (history.method !== 'plain') method = history.method;

  if (history.method === 'plain' && context.useEmailReplyParser !== false) {
    const at = emailReplyParserCut(lines);
    if (at > 0) {
      append(quoted, lines, at);
      lines = lines.slice(0, at);
      flags.add('email-reply-parser');
      method = 'email-reply-parser';
    }
  }

  append(quoted, pasted.quoted);
  append(quoted, history.quoted);
  append(quoted, markerTail);
  const keepOverflow = overflow !== '' && marker < 0 && history.tailKept;
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
