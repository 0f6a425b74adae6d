/**
 * Detectors for the lines that open quoted history: attribution lines ("On … wrote:" in many
 * languages, wrapped over up to three lines), Outlook-style header blocks (From:/Sent:/To:…),
 * "-----Original Message-----" and forwarded-message separators. Pure functions over an array of
 * lines; each only looks at a capped slice of a line, which keeps the whole scan linear.
 */
import { headerBlockEndingFrom, isSeparatorLine, isUnderscoreRule } from './header-blocks.js';
import { capped, isBlank, isQuoted, SCAN_CAP } from './lines.js';
import {
  ATTRIBUTION_LEAD,
  CJK_VERB_END,
  DATE_LIKE,
  EMAIL,
  EMAIL_COLON_END,
  EMAIL_THEN_VERB,
  LONE_VERB,
  MIDLINE_LEAD,
  VERB_END,
  VERB_THEN_NAME,
} from './vocabulary.js';

export type SplitterKind = 'quote-header' | 'header-block' | 'separator';

export interface Splitter {
  kind: SplitterKind;
  /** First line of the history marker. */
  start: number;
  /** Last line of the marker (inclusive). */
  end: number;
}

/** Cheap test run on every line before any regex: could this line end an attribution? */
function mayEndAttribution(trimmed: string): boolean {
  const last = trimmed.charCodeAt(trimmed.length - 1);
  if (last === 58 /* : */ || last === 0xff1a /* ： */) return true;
  // "---- Name wrote ----": a dashed line needs words inside it.
  if (last === 45 /* - */) return /[^\s\-—=_*]/.test(trimmed);
  return trimmed.length >= 5 && /wrote$/i.test(trimmed.slice(-5));
}

interface HeaderText {
  text: string;
  dashed: boolean;
  /** Dashes on both sides: Android's "---- Name wrote ----". */
  fenced: boolean;
}

function headerText(lines: string[], from: number, to: number): HeaderText {
  const parts: string[] = [];
  for (let k = from; k <= to; k++) parts.push(capped(lines[k] ?? '').trim());
  let text = parts.join(' ');
  const dashed = /-{2,}\s*$/.test(text);
  const fenced = dashed && /^\s*-{2,}/.test(text);
  text = text
    .replace(/^[-*_>\s]+/, '')
    .replace(/[\s-]+$/, '')
    .replace(/\*+$/, '');
  return { text, dashed, fenced };
}

function isAttributionText({ text, dashed, fenced }: HeaderText, leadRequired: boolean): boolean {
  if (text.length < 8 || text.length > 3 * SCAN_CAP) return false;
  const hasLead = ATTRIBUTION_LEAD.test(text);
  if (leadRequired && !hasLead) return false;
  const tail = text.length > 200 ? text.slice(-200) : text;
  const endsColon = /[:：]$/.test(tail);
  const email = EMAIL.test(text);
  const date = DATE_LIKE.test(text);
  const verb = VERB_END.exec(tail);
  if (verb) {
    const word = verb[0].replace(/[\s:：(),.>\]"'»]/g, '').toLowerCase();
    const colonOk = endsColon || dashed || word.startsWith('wrote');
    if (!colonOk) return false;
    // "sent:" alone is too common a word: only with an "On …" lead.
    if (word.startsWith('sent') && !hasLead) return false;
    if (fenced) return true;
    if (hasLead) return email || date || /,/.test(text);
    return email || date;
  }
  if (CJK_VERB_END.test(tail)) return email || date;
  // Addresses and bracketed parts removed, so the name after the verb is a short phrase.
  if (
    VERB_THEN_NAME.test(
      tail
        .replace(/<[^<>]{0,200}>|\([^()]{0,200}\)|\[[^[\]]{0,200}\]/g, '')
        .trimEnd()
        .replace(/\s+([:：])$/, '$1'),
    )
  ) {
    return hasLead || email || date;
  }
  if (EMAIL_COLON_END.test(tail)) return date || hasLead;
  if (EMAIL_THEN_VERB.test(tail)) return date;
  if (/^Wiadomość napisana przez .+[:：]$/u.test(text)) return true;
  return false;
}

/**
 * Finds an attribution that ends on line i and returns its first line, or -1. Wrapped headers
 * are joined back (Gmail wraps at 78 columns, sometimes right after "<").
 */
export function attributionStartingAt(lines: string[], i: number, floor: number): number {
  const line = lines[i] ?? '';
  if (isQuoted(line)) return -1;
  const trimmed = capped(line).trim();
  if (trimmed === '' || !mayEndAttribution(trimmed)) return -1;
  const usable = (k: number) => k >= floor && !isBlank(lines[k] ?? '') && !isQuoted(lines[k] ?? '');

  // 1. a lead on this line or one of the two above it
  for (let k = 0; k <= 2; k++) {
    const start = i - k;
    if (!usable(start)) break;
    if (k > 0 && /[.!?]$/.test(capped(lines[start] ?? '').trim())) break;
    if (!ATTRIBUTION_LEAD.test(capped(lines[start] ?? ''))) continue;
    if (isAttributionText(headerText(lines, start, i), true)) return start;
  }
  // A line that starts with an address, or follows a line cut after "<", continues a wrapped header.
  const prev = i > floor ? capped(lines[i - 1] ?? '').trim() : '';
  const continuation = /^[<(]|^[^\s@]+@/.test(trimmed) || /[<(,]$/.test(prev);
  if (continuation) {
    const start = wrappedAttribution(lines, i, usable);
    if (start >= 0) return start;
  }
  // 2. this line alone, without a lead ("Name <a@b> wrote:", Gmail's "2014-10-17 11:28 GMT+03:00 Name <a@b>:")
  if (isAttributionText(headerText(lines, i, i), false)) {
    // A lone "wrote:" or "<address>:" continues the line above it.
    if (
      !/^[<(]?\S*@\S*[>)]?\s*(?:wrote|schrieb|skrev)?\s*[:：]$|^(?:wrote|schrieb|skrev)\s*[:：]$/i.test(
        trimmed,
      )
    )
      return i;
  }
  // 3. a wrapped header without a lead
  return continuation ? -1 : wrappedAttribution(lines, i, usable);
}

/** A header wrapped over two or three lines without a lead word: the first line must carry a date or an address. */
function wrappedAttribution(lines: string[], i: number, usable: (k: number) => boolean): number {
  for (let k = 1; k <= 2; k++) {
    const start = i - k;
    if (!usable(start)) break;
    const first = capped(lines[start] ?? '');
    if (/[.!?]$/.test(first.trim())) break;
    if (!DATE_LIKE.test(first) && !first.includes('<') && !first.includes('@')) continue;
    if (isAttributionText(headerText(lines, start, i), false)) return start;
  }
  return -1;
}

/**
 * "reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:" — the reply and the header share
 * a line. Returns the offset where the header starts, or -1.
 */
export function midlineAttribution(line: string): number {
  if (line.length > SCAN_CAP || isQuoted(line)) return -1;
  const trimmed = line.trim();
  if (!mayEndAttribution(trimmed)) return -1;
  MIDLINE_LEAD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MIDLINE_LEAD.exec(line)) !== null) {
    const at = m.index + m[0].length - (m[1]?.length ?? 0) - 1;
    const prefix = line.slice(0, at).replace(/-+\s*$/, '');
    if (prefix.trim() === '') continue;
    if (isAttributionText(headerText([line.slice(at)], 0, 0), true)) return at;
  }
  return -1;
}

/**
 * The first history marker at or after line `from`, skipping quoted lines. An underscore rule
 * counts only when a header block follows it.
 */
export function findSplitter(lines: string[], from: number): Splitter | null {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.length < 24 && LONE_VERB.test(line.trim())) {
      const start = leadAbove(lines, i, from);
      if (start >= 0) return { kind: 'quote-header', start, end: i };
    }
    if (isQuoted(line) || isBlank(line)) continue;
    if (isSeparatorLine(line)) return { kind: 'separator', start: i, end: i };
    if (isUnderscoreRule(line)) {
      let j = i + 1;
      while (j < lines.length && j <= i + 2 && isBlank(lines[j] ?? '')) j++;
      const end = headerBlockEndingFrom(lines, j, true);
      if (end >= 0) return { kind: 'header-block', start: i, end };
      continue;
    }
    const blockEnd = headerBlockEndingFrom(lines, i);
    if (blockEnd >= 0) return { kind: 'header-block', start: i, end: blockEnd };
    const start = attributionStartingAt(lines, i, from);
    if (start >= 0) return { kind: 'quote-header', start, end: i };
    if (isShortAttribution(lines, i)) return { kind: 'quote-header', start: i, end: i };
  }
  return null;
}

/** "John Doe wrote:" with neither date nor address counts only right above a quote block. */
function isShortAttribution(lines: string[], i: number): boolean {
  const line = lines[i] ?? '';
  if (line.length > 80 || !/[:：]\s*$/.test(line)) return false;
  const text = line.trim();
  const verb = VERB_END.exec(text);
  if (!verb) return false;
  // The words before the verb must look like a name: "John Doe", not "Here is what I".
  const who = text
    .slice(0, verb.index)
    .replace(/^[-*>\s]+/, '')
    .trim()
    .split(/\s+/);
  if (who.length < 1 || who.length > 4 || !who.every((w) => /^[\p{Lu}"'(<]|@/u.test(w)))
    return false;
  let j = i + 1;
  while (j < lines.length && j <= i + 2 && isBlank(lines[j] ?? '')) j++;
  return j < lines.length && isQuoted(lines[j] ?? '');
}

/** "On Tue, Apr 11, 2017 at 10:07 PM John Smith\n\n<\nmailto:…>\n> wrote:" — up to five lines up. */
function leadAbove(lines: string[], i: number, floor: number): number {
  for (let k = i - 1; k >= floor && k >= i - 5; k--) {
    const line = capped(lines[k] ?? '');
    if (!isQuoted(line) && ATTRIBUTION_LEAD.test(line) && DATE_LIKE.test(line)) return k;
  }
  return -1;
}

/** Does a quoted block open with an attribution or header block (Apple Mail quotes its own)? */
export function quotedHistoryStart(quotedLines: string[]): boolean {
  const inner = quotedLines.map((l) => capped(l).replace(/^[\s>]+/, ''));
  for (let i = 0; i < inner.length; i++) {
    if (attributionStartingAt(inner, i, 0) === 0) return true;
  }
  const first = inner[0] ?? '';
  return isSeparatorLine(first) || headerBlockEndingFrom(inner, 0) >= 0;
}
