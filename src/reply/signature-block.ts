/**
 * Signatures without a delimiter, found at the end of the reply only (a block in the middle is
 * content). Three rules, tried in order on the last SIGNATURE_WINDOW non-blank lines:
 * 1. the sender's own name (or initials) opens a trailing block of signature fields;
 * 2. a valediction ("Thanks,", "Viele Grüße", "よろしくお願いします") with the name and fields under it;
 * 3. a block scored from its lines' features (name, title, company, phone, links, address,
 *    "|"-separated fields, a rule above, short lines) clears a threshold.
 * Each returns the index where the signature starts, or -1. docs/reply-extraction.md §5.
 */
import { SIGN_OFF_WORDS } from '../domain/entries/sign-offs.js';
import { capped, isBlank } from './lines.js';
import { isSenderName, startsWithSenderName, type SenderNames } from './sender-names.js';
import {
  contactScore,
  features,
  isFieldLike,
  isKnownName,
  isPersonName,
} from './signature-lines.js';

/** How far up from the end a signature block may start, in non-blank lines. */
export const SIGNATURE_WINDOW = 10;
/** Score a block without the sender's name or a valediction must reach. */
const THRESHOLD = 3;

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const VALEDICTION = new RegExp(
  `^(?:${[...SIGN_OFF_WORDS]
    .map(escape)
    .sort((a, b) => b.length - a.length)
    .join('|')})(?:\\s+(?:again|all|so much|a lot|everyone|team))?\\s*[,.!！。，、]*`,
  'iu',
);

/** "Thanks,", "Best regards", "Cheers, Bo", "Grüße aus Berlin" is not one (words follow). */
export function isValediction(raw: string): boolean {
  const line = capped(raw)
    .trim()
    .replace(/^[-–—*_]+\s*/, '');
  if (line.length > 60) return false;
  const m = VALEDICTION.exec(line);
  if (!m) return false;
  const rest = line.slice(m[0].length).trim();
  if (rest === '') return true;
  // "Cheers, Bo" or "Thanks Jane"; "Best Practices" or "Thanks to @ana …" are content.
  return /^,/.test(m[0].trimEnd().slice(-1)) ? isPersonName(rest) : isKnownName(rest);
}

const RULE = /^\s*(?:[-_=*~]\s*){3,}$/;

/**
 * The end of the reply as the rules read it: the last SIGNATURE_WINDOW non-blank lines, which
 * of them are the sender's name, and from where every line may belong to a signature block.
 * Built once per look at the end, so each line is judged once.
 */
export interface Tail {
  lines: string[];
  names: SenderNames | null;
  /** Indexes of the window's lines, in order. */
  idx: number[];
  /** The window line is the sender's name, alone or opening fields. */
  sender: boolean[];
  /** Position in `idx` from which every line to the end may belong to a signature. */
  from: number;
}

export function tailOf(lines: string[], names: SenderNames | null): Tail {
  const idx: number[] = [];
  for (let i = lines.length - 1; i >= 0 && idx.length < SIGNATURE_WINDOW; i--)
    if (!isBlank(lines[i] ?? '')) idx.unshift(i);
  // From the bottom up, until a line that cannot belong to a signature: lines above it are
  // never read, so most replies cost one or two line checks here.
  const sender = idx.map(() => false);
  let from = idx.length;
  while (from > 0) {
    const line = lines[idx[from - 1]!] ?? '';
    sender[from - 1] =
      names !== null && (isSenderName(line, names) || startsWithSenderName(line, names));
    const ok = sender[from - 1] || isFieldLike(line) || isValediction(line) || RULE.test(line);
    if (!ok) break;
    from--;
  }
  return { lines, names, idx, sender, from };
}

/** Some non-blank line above `at` is not part of a sign-off: the reply keeps something. */
function textAbove(lines: string[], at: number): boolean {
  for (let i = at - 1; i >= 0; i--) if (!isBlank(lines[i] ?? '')) return true;
  return false;
}

/** A valediction right above the block joins it ("Best,\nDana Smith"). */
function withValediction(lines: string[], start: number): number {
  let s = start;
  for (let i = start - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (isBlank(line)) continue;
    if (!isValediction(line)) break;
    s = i;
  }
  return s;
}

/** Rule 1: the sender's own name, alone or followed by fields, closes the reply. */
export function senderBlock(tail: Tail): number {
  for (let k = tail.from; k < tail.idx.length; k++)
    if (tail.sender[k]) return withValediction(tail.lines, tail.idx[k]!);
  return -1;
}

/** Rule 2: a valediction with only names and signature fields below it. */
export function valedictionBlock(tail: Tail): number {
  for (let k = tail.from; k < tail.idx.length; k++) {
    const at = tail.idx[k]!;
    if (isValediction(tail.lines[at] ?? '') && textAbove(tail.lines, at)) return at;
  }
  return -1;
}

function lineScore(line: string, isSender: boolean, first: boolean): number {
  let score = contactScore(features(line));
  if (isSender) score += 2;
  else if (isKnownName(line.split(/\s*[|,·]\s*/)[0] ?? '')) score += 2;
  else if (first && isPersonName(line)) score += 1;
  if (first && RULE.test(line)) score += 1;
  return score;
}

/** The block may start here: a name, a title or company line, or a rule. */
function opensBlock(line: string, isSender: boolean): boolean {
  if (isSender || RULE.test(line)) return true;
  const f = features(line);
  if (f.title || f.company || f.fields) return true;
  return isPersonName(line.split(/\s*[|,·]\s*/)[0] ?? '');
}

/**
 * A common given name alone on the last line, after a blank line: "Thanks for the help.\n\nJohn".
 * Only when the sender's name is unknown: once we know it, their own name is the rule.
 */
function lastNameLine(tail: Tail): number {
  const { lines, idx } = tail;
  if (tail.names?.named) return -1;
  const last = idx[idx.length - 1]!;
  const line = (lines[last] ?? '').replace(/^\s*[-–—~/]\s?/, '');
  if (tail.from >= idx.length || !isBlank(lines[last - 1] ?? 'x') || !isKnownName(line)) return -1;
  return textAbove(lines, last) ? last : -1;
}

/** Rule 3: the longest trailing block whose line features clear the threshold. */
export function scoredBlock(tail: Tail): number {
  const { lines, idx } = tail;
  for (let k = tail.from; k < idx.length; k++) {
    const start = idx[k]!;
    if (!opensBlock(lines[start] ?? '', tail.sender[k]!) || !textAbove(lines, start)) continue;
    let score = 0;
    let contact = 0;
    let shortLines = 0;
    for (let j = k; j < idx.length; j++) {
      const line = lines[idx[j]!] ?? '';
      score += lineScore(line, tail.sender[j]!, j === k);
      contact += contactScore(features(line));
      if (line.trim().length <= 50) shortLines++;
    }
    const size = idx.length - k;
    if (size >= 2 && shortLines === size) score += 0.5;
    if (score >= THRESHOLD && contact >= 1 && size >= 2) return withValediction(lines, start);
  }
  return lastNameLine(tail);
}
