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

/** Indexes of the last SIGNATURE_WINDOW non-blank lines, in order. */
function windowOf(lines: string[]): number[] {
  const out: number[] = [];
  for (let i = lines.length - 1; i >= 0 && out.length < SIGNATURE_WINDOW; i--)
    if (!isBlank(lines[i] ?? '')) out.unshift(i);
  return out;
}

/** Position in `idx` from which every line to the end may belong to a signature block. */
function compatibleFrom(lines: string[], idx: number[], names: SenderNames | null): number {
  let k = idx.length;
  while (k > 0) {
    const line = lines[idx[k - 1]!] ?? '';
    const ok =
      isFieldLike(line) ||
      isValediction(line) ||
      RULE.test(line) ||
      (names !== null && isSenderName(line, names));
    if (!ok) break;
    k--;
  }
  return k;
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
export function senderBlock(lines: string[], names: SenderNames | null): number {
  if (!names) return -1;
  const idx = windowOf(lines);
  for (let k = compatibleFrom(lines, idx, names); k < idx.length; k++) {
    const line = lines[idx[k]!] ?? '';
    if (isSenderName(line, names) || startsWithSenderName(line, names))
      return withValediction(lines, idx[k]!);
  }
  return -1;
}

/** Rule 2: a valediction with only names and signature fields below it. */
export function valedictionBlock(lines: string[], names: SenderNames | null): number {
  const idx = windowOf(lines);
  for (let k = compatibleFrom(lines, idx, names); k < idx.length; k++) {
    const at = idx[k]!;
    if (isValediction(lines[at] ?? '') && textAbove(lines, at)) return at;
  }
  return -1;
}

function lineScore(line: string, names: SenderNames | null, first: boolean): number {
  const f = features(line);
  let score = contactScore(f);
  if (names && (isSenderName(line, names) || startsWithSenderName(line, names))) score += 2;
  else if (isKnownName(line.split(/\s*[|,·]\s*/)[0] ?? '')) score += 2;
  else if (first && isPersonName(line)) score += 1;
  if (first && RULE.test(line)) score += 1;
  return score;
}

/** The block may start here: a name, a title or company line, or a rule. */
function opensBlock(line: string, names: SenderNames | null): boolean {
  if (RULE.test(line)) return true;
  const f = features(line);
  if (f.title || f.company || f.fields) return true;
  if (names && (isSenderName(line, names) || startsWithSenderName(line, names))) return true;
  return isPersonName(line.split(/\s*[|,·]\s*/)[0] ?? '');
}

/** Rule 3: the longest trailing block whose line features clear the threshold. */
export function scoredBlock(lines: string[], names: SenderNames | null): number {
  const idx = windowOf(lines);
  for (let k = compatibleFrom(lines, idx, names); k < idx.length; k++) {
    const start = idx[k]!;
    if (!opensBlock(lines[start] ?? '', names) || !textAbove(lines, start)) continue;
    let score = 0;
    let contact = 0;
    let shortLines = 0;
    for (let j = k; j < idx.length; j++) {
      const line = lines[idx[j]!] ?? '';
      score += lineScore(line, names, j === k);
      contact += contactScore(features(line));
      if (line.trim().length <= 50) shortLines++;
    }
    const size = idx.length - k;
    if (size >= 2 && shortLines === size) score += 0.5;
    if (score >= THRESHOLD && contact >= 1 && size >= 2) return withValediction(lines, start);
  }
  return -1;
}
