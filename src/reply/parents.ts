/**
 * Pasted parents: a reply that reproduces one of our own messages (the prompt, a reminder, any
 * message the reply answers) has that copy cut, with the attribution or header lines just
 * above it, whatever the quoting, wrapping or language. Lines are matched on normalised word
 * shingles (shingles.ts), never on bytes. Runs that alternate with the person's answers are an
 * inline reply: only the trailing run goes, as for any quote.
 */
import { isBlank, isQuoted } from './lines.js';
import { parentText } from './parent-text.js';
import { coveredTokens, shingleSet, SHINGLE, tokenize } from './shingles.js';

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

interface ParentIndex {
  shingles: Set<number>;
  /** Tokens of the shortest parent: a run covering much of it is a copy even unquoted. */
  smallest: number;
}

function indexParents(parents: readonly string[]): ParentIndex | null {
  const shingles = new Set<number>();
  let smallest = Infinity;
  for (const raw of parents) {
    const text = parentText(raw, MAX_PARENT_CHARS);
    const stream = tokenize(text.split('\n'), Infinity);
    if (stream.hashes.length < SHINGLE) continue;
    for (const h of shingleSet(stream)) shingles.add(h);
    smallest = Math.min(smallest, stream.hashes.length);
  }
  return shingles.size > 0 ? { shingles, smallest } : null;
}

type LineKind = 'match' | 'neutral' | 'text';

interface LineFacts {
  kind: LineKind[];
  covered: number[];
  tokens: number[];
}

function classify(lines: readonly string[], index: ParentIndex): LineFacts {
  const stream = tokenize(lines);
  const hit = coveredTokens(stream, index.shingles);
  const tokens = new Array<number>(lines.length).fill(0);
  const covered = new Array<number>(lines.length).fill(0);
  for (let t = 0; t < stream.lines.length; t++) {
    const n = stream.lines[t]!;
    tokens[n]!++;
    covered[n]! += hit[t]!;
  }
  const kind = tokens.map((n, i): LineKind => {
    if (n === 0) return 'neutral';
    return covered[i]! >= n * LINE_COVERAGE ? 'match' : 'text';
  });
  return { kind, covered, tokens };
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
const BANNER = /^[\s>]*[-_=]{2,}.{0,80}$/u;

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
function isCopy(run: Run, intro: number, index: ParentIndex): boolean {
  if (run.covered < MIN_RUN_TOKENS) return false;
  return run.quoted || intro < run.start || run.covered >= Math.min(30, index.smallest * 0.4);
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
  const index = parents && parents.length > 0 ? indexParents(parents) : null;
  if (!index) return { kept: lines, quoted: [] };
  const facts = classify(lines, index);
  let copies = findRuns(lines, facts)
    .map((run) => ({ run, intro: introAbove(lines, run.start) }))
    .filter(({ run, intro }) => isCopy(run, intro, index));
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
