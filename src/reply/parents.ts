/**
 * Pasted parents: a reply that reproduces one of our own messages (the prompt, a reminder, any
 * message the reply answers) has that copy cut, with the attribution or header lines just
 * above it, whatever the quoting, wrapping or language. Lines are matched on normalised word
 * shingles (shingles.ts), never on bytes. Runs that alternate with the person's answers are an
 * inline reply: only the trailing run goes, as for any quote.
 */
import { isBlank, isQuoted, SCAN_CAP } from './lines.js';
import { isHtml, parentText } from './parent-text.js';
import { ParentStream, ReplyStream, SHINGLE, ShingleTable } from './shingles.js';

export interface ParentCut {
  kept: string[];
  quoted: string[];
}

/** Parent text analysed per message: a pasted copy longer than this is cut by its start. */
const MAX_PARENT_CHARS = 128 * 1024;
/** A line reproduces a parent when this share of its tokens sits in a parent shingle. */
const LINE_COVERAGE = 0.6;
/** Fewer covered tokens than this is a phrase the person reused, not a pasted copy. */
const MIN_RUN_TOKENS = 6;

type LineKind = 'match' | 'neutral' | 'text';

interface LineFacts {
  kind: LineKind[];
  covered: Int32Array;
  tokens: Int32Array;
  /** Tokens of the shortest parent: a run covering much of it is a copy even unquoted. */
  smallest: number;
}

/** Lines of a quote block read for matching: a copy shows itself in its first lines. */
const QUOTE_SAMPLE = 4;

/**
 * The reply lines worth reading against the parents: every unquoted line, and the first
 * QUOTE_SAMPLE lines with words of each quote block (the rest of a block follows its sample).
 */
function sampled(lines: readonly string[]): Uint8Array {
  const read = new Uint8Array(lines.length);
  let inBlock = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!isQuoted(line)) {
      read[i] = 1;
      if (!isBlank(line)) inBlock = 0;
    } else if (inBlock < QUOTE_SAMPLE && /[\p{L}\p{N}]/u.test(line.slice(0, 200))) {
      read[i] = 1;
      inBlock++;
    }
  }
  return read;
}

/** A parent given as text and HTML is read from its text: our own parts carry the same words. */
function readableParents(parents: readonly string[]): string[] {
  const html = parents.map((p) => isHtml(p));
  const anyText = html.some((h) => !h);
  return parents.filter((_, i) => !anyText || !html[i]);
}

/** Reused between calls: the reply's shingles, and those a parent also has. */
const wanted = new ShingleTable();
const hits = new ShingleTable();

function replyTokens(lines: readonly string[]): ReplyStream {
  const read = sampled(lines);
  const stream = new ReplyStream();
  for (let line = 0; line < lines.length; line++)
    if (read[line]) stream.read(lines[line] ?? '', line, SCAN_CAP);
  return stream;
}

/**
 * Marks the reply's shingles some parent also has (in `hits`). The reply's shingles go in a
 * table and each parent is streamed past it: a parent is read once and never stored.
 */
function matchParents(tokens: ReplyStream, parents: readonly string[]): number {
  wanted.reset(tokens.shingle.length);
  hits.reset(tokens.shingle.length);
  for (const h of tokens.shingle) if (h >= 0) wanted.add(h);
  let smallest = Infinity;
  for (const raw of readableParents(parents)) {
    const stream = new ParentStream(wanted, hits);
    stream.read(parentText(raw, MAX_PARENT_CHARS));
    if (stream.window.count >= SHINGLE) smallest = Math.min(smallest, stream.window.count);
  }
  return smallest;
}

function classify(lines: readonly string[], parents: readonly string[]): LineFacts | null {
  const tokens = replyTokens(lines);
  const n = tokens.owner.length;
  if (n < SHINGLE) return null;
  const smallest = matchParents(tokens, parents);
  if (hits.size === 0) return null;
  // A token is covered when any shingle holding it is a parent's: the shingle ending at t
  // holds tokens t-3..t.
  const count = new Int32Array(lines.length);
  const covered = new Int32Array(lines.length);
  // How far back the last parent shingle reaches: tokens up to it are covered.
  let coveredUntil = -1;
  const hitAt = new Uint8Array(n);
  for (let t = n - 1; t >= SHINGLE - 1; t--) if (hits.has(tokens.shingle[t]!)) hitAt[t] = 1;
  for (let t = 0; t < n; t++) {
    for (let k = t; k < t + SHINGLE && k < n; k++) if (hitAt[k]) coveredUntil = k;
    const line = tokens.owner[t]!;
    count[line]!++;
    if (coveredUntil >= t) covered[line]!++;
  }
  const kind: LineKind[] = new Array<LineKind>(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const k = count[i]!;
    kind[i] = k === 0 ? 'neutral' : covered[i]! >= k * LINE_COVERAGE ? 'match' : 'text';
  }
  return { kind, covered, tokens: count, smallest };
}

interface Run {
  start: number;
  end: number;
  covered: number;
  quoted: boolean;
}

/** Short lines of the run's own quoting between matches (a converted button, a link label). */
function bridgeable(lines: readonly string[], facts: LineFacts, i: number, quoted: boolean) {
  return facts.tokens[i]! <= 8 && isQuoted(lines[i] ?? '') === quoted;
}

function findRuns(lines: readonly string[], facts: LineFacts): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (facts.kind[i] !== 'match') continue;
    const quoted = isQuoted(lines[i] ?? '');
    const run: Run = { start: i, end: i + 1, covered: facts.covered[i]!, quoted };
    let j = i + 1;
    let gap = 0;
    for (; j < lines.length && gap <= 2; j++) {
      const k = facts.kind[j];
      if (k === 'match') {
        run.end = j + 1;
        run.covered += facts.covered[j]!;
        gap = 0;
      } else if (k === 'text') {
        if (!bridgeable(lines, facts, j, quoted)) break;
        gap++;
      }
    }
    // Bare ">" lines at the edges belong to the copy they frame.
    while (
      run.end < lines.length &&
      facts.kind[run.end] === 'neutral' &&
      isQuoted(lines[run.end] ?? '')
    )
      run.end++;
    while (
      run.start > 0 &&
      facts.kind[run.start - 1] === 'neutral' &&
      isQuoted(lines[run.start - 1] ?? '')
    )
      run.start--;
    runs.push(run);
    i = run.end - 1;
  }
  return runs;
}

const HEADER_LINE = /^[\s>*]*[^\s:：][^:：]{0,30}[:：]\*?\s+\S/u;
const DATE_OR_ADDRESS = /@|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}[:.]\d{2}|(?:19|20)\d{2}/u;
const BANNER = /^[\s>]*[-_=]{3,}.{0,80}$/u;

/** Lines above `start` that introduce the copy: an attribution, a header block, a separator. */
export function introAbove(lines: readonly string[], start: number): number {
  let i = start - 1;
  while (i >= 0 && isBlank((lines[i] ?? '').replace(/^[\s>]+/, ''))) i--;
  if (i < 0) return start;
  let top = i;
  // A header block in any language: "Key: value" lines, one of them with a date or address.
  while (top - 1 >= 0 && start - top < 10 && HEADER_LINE.test(lines[top - 1] ?? '')) top--;
  const block = lines.slice(top, i + 1);
  if (
    block.length >= 2 &&
    HEADER_LINE.test(lines[i] ?? '') &&
    block.some((l) => DATE_OR_ADDRESS.test(l))
  ) {
    return top > 0 && BANNER.test(lines[top - 1] ?? '') ? top - 1 : top;
  }
  // An attribution of up to three lines ending in a colon, with a date or an address.
  const last = (lines[i] ?? '').trimEnd();
  if (/[:：]$/.test(last) || BANNER.test(last)) {
    for (let k = i; k >= Math.max(0, i - 2); k--) {
      if (isBlank(lines[k] ?? '')) break;
      const joined = lines.slice(k, i + 1).join(' ');
      if (joined.length <= 400 && (DATE_OR_ADDRESS.test(joined) || BANNER.test(last))) return k;
    }
  }
  return start;
}

/** Runs that are a pasted copy: quoted, introduced by an attribution, or much of a parent. */
function isCopy(run: Run, intro: number, smallest: number): boolean {
  if (run.covered < MIN_RUN_TOKENS) return false;
  return run.quoted || intro < run.start || run.covered >= smallest * 0.5;
}

/**
 * Where the cut of a copy ends. A quoted copy ends with its quote block: text below it is a
 * bottom-posted answer. An unquoted copy under the person's text is pasted history (Outlook):
 * whatever follows it is the rest of that history, down to the end.
 */
function copyEnd(lines: readonly string[], facts: LineFacts, run: Run, intro: number): number {
  if (run.quoted) return run.end;
  const textAbove = facts.kind.slice(0, intro).includes('text');
  return textAbove ? lines.length : run.end;
}

export function cutParents(lines: string[], parents: readonly string[] | undefined): ParentCut {
  const facts = parents && parents.length > 0 ? classify(lines, parents) : null;
  if (!facts) return { kept: lines, quoted: [] };
  let copies = findRuns(lines, facts)
    .map((run) => ({ run, intro: introAbove(lines, run.start) }))
    .filter(({ run, intro }) => isCopy(run, intro, facts.smallest));
  if (copies.length === 0) return { kept: lines, quoted: [] };
  // Answers between copies: an inline reply. Keep it, but for a copy that closes the reply.
  const first = copies[0]!.run.start;
  const last = copies[copies.length - 1]!.run;
  const textBetween = facts.kind
    .slice(first, last.start)
    .some(
      (k, o) =>
        k === 'text' && !copies.some(({ run }) => first + o >= run.start && first + o < run.end),
    );
  if (textBetween) {
    const trailing = !facts.kind.slice(last.end).includes('text');
    copies = trailing ? copies.slice(-1) : [];
  }
  const cut = new Uint8Array(lines.length);
  for (const { run, intro } of copies) cut.fill(1, intro, copyEnd(lines, facts, run, intro));
  const kept: string[] = [];
  const quoted: string[] = [];
  lines.forEach((line, i) => (cut[i] ? quoted : kept).push(line));
  return { kept, quoted };
}

/**
 * A line that may introduce a pasted copy: an attribution (perhaps wrapped, so the line above
 * may hold its date or address), a header line, a separator.
 */
function looksLikeIntro(line: string, above: string): boolean {
  // Every attribution and header line has a colon, every separator a rule: most lines end here.
  const colon = line.indexOf(':') >= 0 || line.indexOf('：') >= 0;
  if (!colon && line.indexOf('--') < 0 && line.indexOf('__') < 0 && line.indexOf('==') < 0)
    return false;
  if (line.length > 400) return false;
  const t = line.trimEnd();
  if (BANNER.test(t)) return true;
  if (!colon) return false;
  if (/[:：]$/.test(t)) return DATE_OR_ADDRESS.test(t) || DATE_OR_ADDRESS.test(above.slice(0, 400));
  return HEADER_LINE.test(t) && DATE_OR_ADDRESS.test(t);
}

const ENTRY_LINE = /^\s*(?:[-*•]\s|\[[ xX✓✔]?\]|!|\d{1,3}[.)]\s)/u;

/**
 * Whether what the history rules left could still hold a copy of a parent: a quote the rules
 * kept, a line that may introduce a copy (an attribution in a language no rule knows), or
 * enough unmarked text to be an unintroduced copy (40 % of the shortest parent). Most replies
 * answer no, and pay nothing for their parents.
 */
export function mayHoldCopy(
  kept: readonly string[],
  parents: readonly string[] | undefined,
): boolean {
  if (!parents || parents.length === 0) return false;
  let chars = 0;
  let above = '';
  for (const line of kept) {
    if (isBlank(line)) continue;
    if (isQuoted(line) || looksLikeIntro(line, above)) return true;
    // Lines marked as entries ("- …", "[ ] …", "! …") are what people type: they do not count.
    if (!ENTRY_LINE.test(line)) chars += line.trim().length;
    above = line;
  }
  if (chars === 0) return false;
  let shortest = Infinity;
  for (const p of readableParents(parents))
    shortest = Math.min(shortest, isHtml(p) ? parentText(p, MAX_PARENT_CHARS).length : p.length);
  return chars >= shortest * 0.4;
}
