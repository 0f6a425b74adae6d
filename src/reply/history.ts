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
import { looksLikeHeader } from './header-blocks.js';
import { capped } from './lines.js';
import {
  countQuoted,
  mark,
  nextNonEmpty,
  quoteRunEnd,
  splitSharedLines,
  type Mark,
} from './line-marks.js';
import { findSplitter, quotedHistoryStart, type Splitter } from './quote-headers.js';
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

/** A quote block of this many lines or more is history even without an attribution line. */
const MIN_ANONYMOUS_QUOTE = 3;

/**
 * `historyLines` are indexes known to be history (our quoted "Reply above this line" marker):
 * the quote block holding one is dropped whatever its size.
 */
export function cutHistory(input: string[], historyLines: number[] = []): HistoryCut {
  const lines = splitSharedLines(input);
  const shift = lines.length - input.length;
  const forced = new Uint8Array(lines.length);
  // A split line sits above the marker, so indexes move by at most `shift`.
  for (const i of historyLines) if (i + shift < lines.length) forced[i + shift] = 1;
  const cut: Cut = {
    lines,
    marks: mark(lines),
    forced,
    kept: [],
    quoted: [],
    flags: new Set(),
    method: 'plain',
    tailKept: true,
  };
  // Bounded: every pass consumes at least one line.
  for (let pos: number | null = 0; pos !== null && pos < lines.length;) {
    pos = cutAtNextSplitter(cut, pos);
  }
  const { kept, quoted, method, flags, tailKept } = cut;
  return { kept, quoted, method, flags: [...flags], tailKept };
}

/** The cut being built, line arrays and decisions so far. */
interface Cut {
  lines: string[];
  marks: Mark[];
  forced: Uint8Array;
  kept: string[];
  quoted: string[];
  flags: Set<ReplyFlag>;
  method: ReplyMethod;
  tailKept: boolean;
}

function take(cut: Cut, part: Pick<HistoryCut, 'kept' | 'quoted' | 'flags'>): void {
  append(cut.kept, part.kept);
  append(cut.quoted, part.quoted);
  part.flags.forEach((f) => cut.flags.add(f));
}

/** Settles the lines from `pos` to the next history marker; null when nothing is left to read. */
function cutAtNextSplitter(cut: Cut, pos: number): number | null {
  const { lines, marks } = cut;
  const splitter = findSplitter(lines, pos);
  if (splitter === null) {
    const rest = cutQuoteRuns(
      lines.slice(pos),
      marks.slice(pos),
      cut.forced.subarray(pos),
      pos === 0,
    );
    take(cut, rest);
    if (cut.method === 'plain') cut.method = rest.method;
    cut.tailKept = rest.tailKept;
    return null;
  }
  if (cut.method === 'plain') cut.method = splitterMethod(splitter);
  cut.flags.add(splitter.kind === 'quote-header' ? 'quote-header' : 'header-block');
  const after = nextNonEmpty(marks, splitter.end + 1);
  // Unquoted history (Outlook, Yahoo, forwarded): everything below the marker goes.
  if (after >= lines.length || marks[after] !== 'm' || splitter.kind !== 'quote-header') {
    return dropFrom(cut, pos, splitter);
  }
  const runEnd = quoteRunEnd(marks, after);
  const firstText = marks.indexOf('t', runEnd);
  if (firstText < 0) return dropFrom(cut, pos, splitter);
  const lastQuoted = marks.lastIndexOf('m');
  if (lastQuoted > firstText && !hasSplitterBetween(lines, runEnd, lastQuoted)) {
    keepInlineReply(cut, pos);
    return null;
  }
  // The reply wraps the quotation: keep what is above and below it.
  if (lines.slice(pos, splitter.start).every((l) => l.trim() === '')) cut.flags.add('bottom-post');
  keepAbove(cut, pos, splitter);
  append(cut.quoted, lines, splitter.start, runEnd);
  return runEnd;
}

function keepAbove(cut: Cut, pos: number, splitter: Splitter): void {
  const { lines, marks, forced } = cut;
  const at = splitter.start;
  take(
    cut,
    cutQuoteRuns(lines.slice(pos, at), marks.slice(pos, at), forced.subarray(pos, at), false),
  );
}

function dropFrom(cut: Cut, pos: number, splitter: Splitter): null {
  keepAbove(cut, pos, splitter);
  append(cut.quoted, cut.lines, splitter.start);
  cut.tailKept = false;
  return null;
}

/** Quotes and answers alternate: an inline reply. Keep it whole, minus the trailing history. */
function keepInlineReply(cut: Cut, pos: number): void {
  cut.flags.add('inline-reply');
  cut.method = 'inline';
  const { lines, marks, forced } = cut;
  const rest = cutQuoteRuns(lines.slice(pos), marks.slice(pos), forced.subarray(pos), false, true);
  append(cut.kept, rest.kept);
  append(cut.quoted, rest.quoted);
  cut.tailKept = rest.tailKept;
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
