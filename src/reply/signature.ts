/**
 * Trailing signatures: the "-- " delimiter, mobile and webmail footers in many languages,
 * mailing-list and disclaimer footers, a lone "-Name" line, and separator rules left dangling at
 * the end. Only the tail of the reply is ever cut, and only when what follows the delimiter is
 * short enough to be a signature; sign-off lines such as "Thanks,\nAlex" stay (the entries
 * grammar ignores them).
 */
import { capped } from './lines.js';
import { DISCLAIMER_START, MOBILE_FOOTER, SENT_WITH_PRODUCT } from './vocabulary.js';
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

export function cutSignature(input: string[]): SignatureCut {
  let lines = input;
  const flags = new Set<ReplyFlag>();
  let signature: string[] = [];
  const cutAt = (i: number, flag: ReplyFlag) => {
    signature = lines.slice(i).concat(signature);
    lines = lines.slice(0, i);
    flags.add(flag);
  };

  for (let pass = 0; pass < 6; pass++) {
    const last = lastNonEmpty(lines);
    if (last < 0) break;
    const line = lines[last] ?? '';
    if (isMobileFooter(line)) {
      cutAt(last, 'mobile-footer');
      continue;
    }
    if (isRule(line) || isDelimiter(line)) {
      cutAt(last, 'signature');
      continue;
    }
    if (isDashName(line) && last > 0 && isBlank(lines[last - 1] ?? '')) {
      cutAt(last, 'signature');
      continue;
    }
    const delimiter = findDelimiter(lines);
    if (delimiter >= 0) {
      cutAt(delimiter, 'signature');
      continue;
    }
    const disclaimer = findDisclaimer(lines);
    if (disclaimer >= 0) {
      cutAt(disclaimer, 'footer');
      continue;
    }
    break;
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
    if (DISCLAIMER_START.test(capped(line))) return i;
  }
  return -1;
}
