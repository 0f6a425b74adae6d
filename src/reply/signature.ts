/**
 * Trailing signatures: the "-- " delimiter, mobile and webmail footers in many languages,
 * mailing-list and disclaimer footers, a lone "-Name" line, separator rules left dangling at
 * the end, and the blocks without a delimiter that signature-block.ts finds (the sender's own
 * name, a valediction and the name under it, a block scored from its fields). Only the tail of
 * the reply is ever cut, and only when what follows is short enough to be a signature.
 */
import { capped } from './lines.js';
import type { SenderNames } from './sender-names.js';
import {
  scoredBlock,
  senderBlock,
  tailOf,
  valedictionBlock,
  type Tail,
} from './signature-block.js';
import {
  CONFIDENTIAL_STEM,
  DISCLAIMER_START,
  MOBILE_FOOTER,
  RECIPIENT_STEM,
  SENT_WITH_PRODUCT,
} from './vocabulary.js';
import type { ReplyFlag } from './types.js';

export interface SignatureCut {
  kept: string[];
  signature: string[];
  flags: ReplyFlag[];
}

/** Longest block below a "-- " or "__" delimiter that still counts as a signature. */
const MAX_SIGNATURE_LINES = 12;
const MAX_FOOTER_LINES = 20;

const isBlank = (line: string) => line.trim() === '';

function nonEmptyAfter(lines: string[], from: number): number {
  let n = 0;
  for (let i = from; i < lines.length; i++) if (!isBlank(lines[i] ?? '')) n++;
  return n;
}

function lastNonEmpty(lines: string[]): number {
  let i = lines.length - 1;
  while (i >= 0 && isBlank(lines[i] ?? '')) i--;
  return i;
}

export function isMobileFooter(line: string): boolean {
  const c = capped(line);
  if (c.length >= 120) return false;
  const bare = c.replace(/<https?:[^>]*>|\(https?:[^)]*\)|\[https?:[^\]]*\]/g, '');
  return MOBILE_FOOTER.test(bare) || SENT_WITH_PRODUCT.test(bare);
}

function isDelimiter(line: string): boolean {
  const t = line.trimEnd();
  return t === '--' || t === '—' || /^\s*_{2,}\s*$/.test(capped(line)) || t === '-- --';
}

function isRule(line: string): boolean {
  return /^\s*(?:[-_=*~]\s*){3,}$/.test(capped(line));
}

/** "-Abhishek Kona": a dash glued to a name, alone on the last line. */
function isDashName(line: string): boolean {
  return /^-\p{Lu}[\p{L}.'’]*(?:\s\p{Lu}[\p{L}.'’]*){0,2}\s*$/u.test(capped(line));
}

/** The first rule that finds a signature at the end of `lines`, and where it starts. */
function trailingSignature(
  lines: string[],
  names: SenderNames | null,
): { at: number; flag: ReplyFlag } | null {
  const last = lastNonEmpty(lines);
  const line = lines[last] ?? '';
  if (isMobileFooter(line)) return { at: last, flag: 'mobile-footer' };
  if (isRule(line) || isDelimiter(line)) return { at: last, flag: 'signature' };
  if (isDashName(line) && last > 0 && isBlank(lines[last - 1] ?? ''))
    return { at: last, flag: 'signature' };
  const delimiter = findDelimiter(lines);
  if (delimiter >= 0) return { at: delimiter, flag: 'signature' };
  const disclaimer = findDisclaimer(lines);
  if (disclaimer >= 0) return { at: disclaimer, flag: 'footer' };
  const tail = tailOf(lines, names);
  if (tail.from >= tail.idx.length) return null;
  const rules: [(t: Tail) => number, ReplyFlag][] = [
    [senderBlock, 'sender-name'],
    [valedictionBlock, 'valediction'],
    [scoredBlock, 'signature-block'],
  ];
  for (const [rule, flag] of rules) {
    const at = rule(tail);
    if (at >= 0) return { at, flag };
  }
  return null;
}

export function cutSignature(input: string[], names: SenderNames | null = null): SignatureCut {
  let lines = input;
  const flags = new Set<ReplyFlag>();
  let signature: string[] = [];
  const cutAt = (i: number, flag: ReplyFlag) => {
    signature = lines.slice(i).concat(signature);
    lines = lines.slice(0, i);
    flags.add(flag);
    // Every kind of signature cut also says "signature", which consumers count.
    flags.add('signature');
  };

  // Bounded: each pass removes at least one line, and a footer may sit under a signature.
  for (let pass = 0; pass < 8; pass++) {
    if (lastNonEmpty(lines) < 0) break;
    const found = trailingSignature(lines, names);
    if (!found) break;
    cutAt(found.at, found.flag);
  }
  return { kept: lines, signature, flags: [...flags] };
}

/** First line index after which at most `max` non-empty lines remain. */
function tailStart(lines: string[], max: number): number {
  let seen = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!isBlank(lines[i] ?? '') && ++seen > max) return i + 1;
  }
  return 0;
}

function firstNonEmpty(lines: string[]): number {
  const i = lines.findIndex((l) => !isBlank(l));
  return i < 0 ? lines.length : i;
}

function findDelimiter(lines: string[]): number {
  const first = firstNonEmpty(lines);
  for (
    // A reply that is only a signature starts with its delimiter: that counts too.
    let i = Math.max(tailStart(lines, MAX_SIGNATURE_LINES) - 1, first);
    i < lines.length;
    i++
  ) {
    if (isDelimiter(lines[i] ?? '') && nonEmptyAfter(lines, i + 1) > 0) return i;
  }
  return -1;
}

/** A disclaimer paragraph that runs to the end of the message. */
function findDisclaimer(lines: string[]): number {
  const first = firstNonEmpty(lines);
  for (let i = Math.max(tailStart(lines, MAX_FOOTER_LINES) - 1, first + 1); i < lines.length; i++) {
    const line = lines[i] ?? '';
    const prev = lines[i - 1] ?? '';
    if (!isBlank(prev) && !isRule(prev)) continue;
    if (DISCLAIMER_START.test(capped(line)) || isConfidentialityParagraph(lines, i)) return i;
  }
  return -1;
}

/** A paragraph of 60+ characters from `at` that speaks of confidentiality and its recipient. */
function isConfidentialityParagraph(lines: string[], at: number): boolean {
  // A disclaimer opens with a sentence, not a short line.
  if ((lines[at] ?? '').length < 30) return false;
  let text = '';
  for (let i = at; i < lines.length && !isBlank(lines[i] ?? '') && text.length < 1200; i++)
    text += ' ' + capped(lines[i] ?? '');
  return text.length >= 60 && CONFIDENTIAL_STEM.test(text) && RECIPIENT_STEM.test(text);
}
