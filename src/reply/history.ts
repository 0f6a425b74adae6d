/**
 * Separates what the person wrote from quoted history in a plain-text body. It classifies
 * every line (text, empty, quoted, history marker) and then decides, as docs/reply-extraction.md
 * describes:
 * - a history marker followed by unquoted text (Outlook, Yahoo) cuts everything below it;
 * - a marker followed by a `>` block drops the block; text after the block stays (bottom-posting,
 *   a trailing sign-off), unless quotes and text alternate, which is an inline reply kept whole
 *   but for its trailing quote;
 * - without a marker, a trailing `>` block is history unless the sender introduced it with a
 *   colon; a leading or middle block is history from three lines on, shorter ones stay.
 */
import {
  capped,
  findSplitter,
  isQuoted,
  looksLikeHeader,
  midlineAttribution,
  quotedHistoryStart,
  type Splitter,
} from './quote-headers.js';
import type { ReplyFlag, ReplyMethod } from './types.js';
import { VERB_END } from './vocabulary.js';

/** push(...src) overflows the stack on very long bodies. */
export function append(target: string[], src: readonly string[], from = 0, to = src.length): void {
  for (let i = from; i < to; i++) target.push(src[i] as string);
}

export interface HistoryCut {
  kept: string[];
  quoted: string[];
  method: ReplyMethod;
  flags: ReplyFlag[];
  /** The last non-blank input line was kept: whatever follows the analysed part belongs to the reply. */
  tailKept: boolean;
}

type Mark = 'e' | 'm' | 't';

const BARE_LINK = /^\s*[(<[]?(?:https?:\/\/|mailto:)[^\s]{1,300}[)>\]]?\s*>?\s*$/i;

/** A quote block of this many lines or more is history even without an attribution line. */
const MIN_ANONYMOUS_QUOTE = 3;

function mark(lines: string[]): Mark[] {
  const marks: Mark[] = new Array<Mark>(lines.length);
  let openLink = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') marks[i] = 'e';
    // "See <http://…\n> for more": a link broken by the client, not a quote (talon preprocess).
    else if (isQuoted(line) && !openLink) marks[i] = 'm';
    else marks[i] = 't';
    const lt = line.lastIndexOf('<');
    openLink =
      lt >= 0 &&
      lt > line.lastIndexOf('>') &&
      /^<?https?:|^<mailto:/i.test(line.slice(lt + 1, lt + 12) || 'x');
  }
  // A long link the client wrapped out of a quote block is still part of it (talon does the same).
  for (let i = 1; i < lines.length - 1; i++) {
    if (
      marks[i] === 't' &&
      marks[i - 1] === 'm' &&
      marks[i + 1] === 'm' &&
      BARE_LINK.test(lines[i] ?? '')
    )
      marks[i] = 'm';
  }
  return marks;
}

/** Splits "reply On … wrote:" so the reply part stays on its own line. */
function splitSharedLines(lines: string[]): string[] {
  let out: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const at = midlineAttribution(line);
    if (at < 0) continue;
    out ??= lines.slice(0, i);
    out.push(
      line
        .slice(0, at)
        .replace(/-+\s*$/, '')
        .trimEnd(),
      line.slice(at),
    );
    for (let j = i + 1; j < lines.length; j++) {
      const rest = lines[j] ?? '';
      out.push(rest);
    }
    return out;
  }
  return out ?? lines;
}

function countQuoted(marks: Mark[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (marks[i] === 'm') n++;
  return n;
}

/** End (exclusive) of the quote run starting at `from`: quoted and blank lines. */
function quoteRunEnd(marks: Mark[], from: number): number {
  let end = from;
  let i = from;
  while (i < marks.length && marks[i] !== 't') {
    i++;
    if (marks[i - 1] === 'm') end = i;
  }
  return end;
}

function nextNonEmpty(marks: Mark[], from: number): number {
  let i = from;
  while (i < marks.length && marks[i] === 'e') i++;
  return i;
}

/**
 * `historyLines` are indexes known to be history (our quoted "Reply above this line" marker):
 * the quote block holding one is dropped whatever its size.
 */
export function cutHistory(input: string[], historyLines: number[] = []): HistoryCut {
  const split = splitSharedLines(input);
  const shift = split.length - input.length;
  const lines = split;
  const forced = new Uint8Array(lines.length);
  // A split line sits above the marker, so indexes move by at most `shift`.
  for (const i of historyLines) if (i + shift < lines.length) forced[i + shift] = 1;
  const flags = new Set<ReplyFlag>();
  const kept: string[] = [];
  const quoted: string[] = [];
  let method: ReplyMethod = 'plain';
  let pos = 0;
  let tailKept = true;
  const marks = mark(lines);

  // Bounded: every pass consumes at least one line.
  while (pos < lines.length) {
    const splitter = findSplitter(lines, pos);
    if (splitter === null) {
      const rest = cutQuoteRuns(
        lines.slice(pos),
        marks.slice(pos),
        forced.subarray(pos),
        pos === 0,
      );
      append(kept, rest.kept);
      append(quoted, rest.quoted);
      rest.flags.forEach((f) => flags.add(f));
      if (method === 'plain') method = rest.method;
      tailKept = rest.tailKept;
      break;
    }
    method = method === 'plain' ? splitterMethod(splitter) : method;
    flags.add(splitter.kind === 'quote-header' ? 'quote-header' : 'header-block');
    const before = lines.slice(pos, splitter.start);
    const beforeMarks = marks.slice(pos, splitter.start);
    const after = nextNonEmpty(marks, splitter.end + 1);
    const pushBefore = () => {
      const part = cutQuoteRuns(before, beforeMarks, forced.subarray(pos, splitter.start), false);
      append(kept, part.kept);
      append(quoted, part.quoted);
      part.flags.forEach((f) => flags.add(f));
    };

    if (after >= lines.length || marks[after] !== 'm' || splitter.kind !== 'quote-header') {
      // Unquoted history (Outlook, Yahoo, forwarded): everything below the marker goes.
      pushBefore();
      append(quoted, lines, splitter.start);
      tailKept = false;
      break;
    }
    const runEnd = quoteRunEnd(marks, after);
    const firstText = marks.indexOf('t', runEnd);
    if (firstText < 0) {
      pushBefore();
      append(quoted, lines, splitter.start);
      tailKept = false;
      break;
    }
    const lastQuoted = marks.lastIndexOf('m');
    if (lastQuoted > firstText && !hasSplitterBetween(lines, runEnd, lastQuoted)) {
      // Quotes and answers alternate: an inline reply. Keep it whole, minus the trailing history.
      flags.add('inline-reply');
      method = 'inline';
      const rest = cutQuoteRuns(
        lines.slice(pos),
        marks.slice(pos),
        forced.subarray(pos),
        false,
        true,
      );
      append(kept, rest.kept);
      append(quoted, rest.quoted);
      tailKept = rest.tailKept;
      break;
    }
    // The reply wraps the quotation: keep what is above and below it.
    if (before.every((l) => l.trim() === '')) flags.add('bottom-post');
    pushBefore();
    append(quoted, lines, splitter.start, runEnd);
    pos = runEnd;
  }
  return { kept, quoted, method, flags: [...flags], tailKept };
}

function headerAbove(lines: string[], marks: Mark[], run: Run): number {
  let h = run.start - 1;
  while (h >= 0 && marks[h] === 'e') h--;
  if (h < 0 || marks[h] !== 't') return -1;
  const line = lines[h] ?? '';
  return looksLikeHeader(line) || (/[:：]\s*$/.test(line) && VERB_END.test(capped(line).trim()))
    ? h
    : -1;
}

function introducedByColon(lines: string[], marks: Mark[], run: Run): boolean {
  let h = run.start - 1;
  while (h >= 0 && marks[h] === 'e') h--;
  return h >= 0 && marks[h] === 't' && /[:：]\s*$/.test(lines[h] ?? '');
}

function opensWithHistory(lines: string[], marks: Mark[], run: Run): boolean {
  const head: string[] = [];
  for (let i = run.start; i < run.end && head.length < 3; i++)
    if (marks[i] === 'm' && /[^\s>]/.test(lines[i] ?? '')) head.push(lines[i] ?? '');
  return quotedHistoryStart(head);
}

function hasSplitterBetween(lines: string[], from: number, to: number): boolean {
  const s = findSplitter(lines.slice(0, to + 1), from);
  return s !== null;
}

function splitterMethod(s: Splitter): ReplyMethod {
  return s.kind === 'quote-header' ? 'quote-header' : 'header-block';
}

interface Run {
  start: number;
  end: number;
  quotedLines: number;
}

/**
 * Handles `>` blocks when no history marker introduced them. A trailing block is history unless
 * the sender introduced it with a colon; a leading or middle block is history from
 * MIN_ANONYMOUS_QUOTE lines on; in an inline reply only the trailing block goes.
 */
function cutQuoteRuns(
  lines: string[],
  marks: Mark[],
  forced: Uint8Array,
  whole: boolean,
  inline = false,
): HistoryCut {
  const flags: ReplyFlag[] = [];
  const runs: Run[] = [];
  for (let i = 0; i < marks.length; i++) {
    if (marks[i] !== 'm') continue;
    const end = quoteRunEnd(marks, i);
    runs.push({ start: i, end, quotedLines: countQuoted(marks, i, end) });
    i = end - 1;
  }
  if (runs.length === 0) return { kept: lines, quoted: [], method: 'plain', flags, tailKept: true };
  if (whole && !marks.includes('t')) {
    return {
      kept: [],
      quoted: lines,
      method: 'quote-block',
      flags: ['only-quotes'],
      tailKept: false,
    };
  }
  const lastText = marks.lastIndexOf('t');
  const firstText = marks.indexOf('t');
  const interleaved = runs.some((r) => r.start > firstText && r.end <= lastText);
  const drop = new Set<Run>();
  for (const run of runs) {
    if (forced.subarray(run.start, run.end).includes(1) || opensWithHistory(lines, marks, run))
      drop.add(run);
    else if (run.start > lastText) {
      // A trailing block is history unless the sender introduced it with a colon ("The client said:").
      if (inline || headerAbove(lines, marks, run) >= 0 || !introducedByColon(lines, marks, run))
        drop.add(run);
    } else if (
      !inline &&
      !(interleaved && runs.length > 1) &&
      run.quotedLines >= MIN_ANONYMOUS_QUOTE
    )
      drop.add(run);
  }
  if (drop.size === 0) {
    flags.push('kept-typed-quote');
    return { kept: lines, quoted: [], method: 'plain', flags, tailKept: true };
  }
  const dropped = new Uint8Array(lines.length);
  for (const r of drop) {
    dropped.fill(1, r.start, r.end);
    // The line right above dropped history may be an attribution no pattern knew.
    const h = headerAbove(lines, marks, r);
    if (h >= 0) dropped[h] = 1;
  }
  const kept: string[] = [];
  const quoted: string[] = [];
  lines.forEach((line, i) => (dropped[i] ? quoted : kept).push(line));
  flags.push('quote-block');
  if (runs.length > drop.size) flags.push('kept-typed-quote');
  let last = marks.length - 1;
  while (last >= 0 && marks[last] === 'e') last--;
  return { kept, quoted, method: 'quote-block', flags, tailKept: last < 0 || dropped[last] === 0 };
}
