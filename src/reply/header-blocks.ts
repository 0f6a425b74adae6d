/**
 * Outlook/Thunderbird/Zimbra header blocks (From:/Sent:/To:… in many languages) and the
 * "-----Original Message-----" or forwarded-message separators that open quoted history.
 */
import { capped, isBlank } from './lines.js';
import {
  DATE_KEYS,
  DATE_LIKE,
  EMAIL,
  FORWARD_LINE,
  FROM_KEYS,
  OTHER_KEYS,
  SEPARATOR_WORDS,
} from './vocabulary.js';

const KEY_LINE = /^[\s>]*\*{0,2}([^\s:：*][^:：*\n]{0,23}?)\s*\*{0,2}\s*[:：]/u;

export type KeyRole = 'from' | 'date' | 'other';

export function headerKey(line: string): KeyRole | null {
  const m = KEY_LINE.exec(line.length > 60 ? line.slice(0, 60) : line);
  if (!m || m[1] === undefined) return null;
  const key = m[1].toLowerCase().trim();
  if (FROM_KEYS.has(key)) return 'from';
  if (DATE_KEYS.has(key)) return 'date';
  if (OTHER_KEYS.has(key)) return 'other';
  return null;
}

/**
 * An Outlook/Thunderbird/Zimbra header block starting on line i: a From or Date key followed by
 * at least one more known key within the next lines (wrapped values allowed). Returns its last
 * line, or -1.
 */
export function headerBlockEndingFrom(lines: string[], i: number, anyFirstKey = false): number {
  const first = lines[i] ?? '';
  const role = headerKey(first);
  if (role === null || (!anyFirstKey && role === 'other')) return -1;
  let keys = 1;
  let last = i;
  let wrapped = 0;
  // Real blocks carry a date or an address; "From: the retro\nTo: be discussed" does not.
  const dated = (line: string) => DATE_LIKE.test(capped(line));
  let evidence = (role === 'date' && dated(first)) || first.includes('@');
  for (let j = i + 1; j < lines.length && j <= i + 12; j++) {
    const line = lines[j] ?? '';
    if (isBlank(line)) break;
    const key = headerKey(line);
    if (key !== null) {
      keys++;
      last = j;
      wrapped = 0;
      if ((key === 'date' && dated(line)) || line.includes('@')) evidence = true;
    } else if (++wrapped > 2) break;
    else if (line.includes('@')) evidence = true;
  }
  if (keys >= 2 && evidence) return last;
  // A lone "From: Name <a@b>" (Outlook for Mac, some webmails) followed by a blank line.
  if (role === 'from' && /[<[]\s*(?:mailto:)?\S+@\S+[>\]]/.test(capped(first))) {
    const next = lines[i + 1];
    if (next === undefined || isBlank(next)) return i;
  }
  return -1;
}

/** "-----Original Message-----", "---------- Forwarded message ---------", "Begin forwarded message:". */
export function isSeparatorLine(line: string): boolean {
  const c = capped(line)
    .trim()
    .replace(/^\*+|\*+$/g, '');
  if (c.length < 6) return false;
  const first = c.charCodeAt(0);
  if (first === 45 /* - */ || first === 0x2014 || first === 61 /* = */) {
    const m = /^[-—=]{2,}\s*([^-—=]{3,60}?)\s*[-—=]{2,}$/.exec(c);
    return (
      m !== null && m[1] !== undefined && SEPARATOR_WORDS.test(m[1]) && !/reply above/i.test(m[1])
    );
  }
  return FORWARD_LINE.test(c);
}

export function isUnderscoreRule(line: string): boolean {
  return /^\s*_{10,}\s*$/.test(capped(line));
}

/** A line that probably introduces the quote under it though no pattern matched it: an address and a date. */
export function looksLikeHeader(line: string): boolean {
  const c = capped(line).trim();
  if (c.length < 8 || c.length > 300 || /https?:\/\//i.test(c)) return false;
  return EMAIL.test(c) && DATE_LIKE.test(c) && /[:：>)\]]$/.test(c);
}
