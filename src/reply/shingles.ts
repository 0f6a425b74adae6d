/**
 * Normalised word shingles: the robust way to recognise a pasted copy of a message we sent.
 * A text becomes a stream of tokens (letters and digits, lower-cased; each CJK character is a
 * token of its own), so quoting, re-wrapping, HTML conversion, whitespace and punctuation
 * changes leave the stream intact. Each run of SHINGLE tokens is hashed to a 30-bit number; a
 * reply line "reproduces" a parent when most of its tokens sit in shingles the parent has.
 * This runs on every routed reply: tokens are hashed as they are read (no substring, no regex
 * for the common scripts), a parent is streamed past the reply's table without being stored,
 * and the tables are typed arrays reused from call to call.
 */

/** Tokens per shingle: long enough that ordinary phrases rarely collide, short enough for short lines. */
export const SHINGLE = 4;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const MASK = 0x3fffffff;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** 0 not a word character, 1 part of a word, 2 a token of its own (CJK), 3 invisible (skipped). */
function charClass(c: number, text: string, i: number): number {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ? 1 : 0;
  if (c >= 0xc0 && c <= 0x52f)
    return c === 0xd7 || c === 0xf7 || c === 0x37e || c === 0x387 ? 0 : 1;
  if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af))
    return 2;
  if ((c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff || c === 0xad) return 3;
  if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || c < 0xc0) return 0;
  if (c >= 0xf900 && c <= 0xfaff) return 2;
  return WORD_CHAR.test(text[i] as string) ? 1 : 0;
}

/** Lower case for Latin-1, Latin Extended-A, Greek and Cyrillic capitals; other scripts as written. */
function lower(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c | 0x20 : c;
  if (c >= 0xc0 && c <= 0xde) return c + 32;
  // Latin Extended-A pairs capital and small: even-odd, but odd-even in two stretches.
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return c & 1 ? c + 1 : c;
  if (c >= 0x100 && c <= 0x17f) return c | 1;
  if ((c >= 0x391 && c <= 0x3a9) || (c >= 0x410 && c <= 0x42f)) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  return c;
}

/** A rolling window of the last SHINGLE token hashes, giving the shingle that ends at each token. */
class Window {
  private a = 0;
  private b = 0;
  private c = 0;
  count = 0;

  push(token: number): number {
    const shingle =
      (Math.imul(Math.imul(Math.imul(this.a, 31) + this.b, 31) + this.c, 31) + token) & MASK;
    this.a = this.b;
    this.b = this.c;
    this.c = token;
    this.count++;
    return shingle;
  }
}

/** Tokens of a text as the next token hash after each character, folded into a window. */
interface Sink {
  token(hash: number): void;
}

/**
 * Reads `text` up to `end`, handing each token's hash to `sink`. One loop for the reply and the
 * parents; the sinks are classes so the call site stays monomorphic per caller.
 */
function tokens(text: string, end: number, sink: Sink): void {
  let h = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i < end; i++) {
    let c = text.charCodeAt(i);
    let kind: number;
    // ASCII first, inline: most characters of most mail.
    if (c < 128) {
      if (c >= 65 && c <= 90) c |= 0x20;
      kind = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? 1 : 0;
    } else {
      kind = charClass(c, text, i);
      c = lower(c);
    }
    if (kind === 1) {
      h = Math.imul((inWord ? h : FNV_OFFSET) ^ c, FNV_PRIME);
      inWord = true;
    } else if (kind !== 3) {
      if (inWord) sink.token(h & MASK);
      inWord = false;
      if (kind === 2) sink.token(Math.imul(FNV_OFFSET ^ c, FNV_PRIME) & MASK);
    }
  }
  if (inWord) sink.token(h & MASK);
}

/** The reply side: each token's line and the shingle ending at it (-1 before the fourth). */
export class ReplyStream implements Sink {
  readonly window = new Window();
  readonly owner: number[] = [];
  readonly shingle: number[] = [];
  line = 0;

  token(hash: number): void {
    const h = this.window.push(hash);
    this.owner.push(this.line);
    this.shingle.push(this.window.count >= SHINGLE ? h : -1);
  }

  read(text: string, line: number, maxChars: number): void {
    this.line = line;
    tokens(text, Math.min(text.length, maxChars), this);
  }
}

/** The parent side: marks in `hits` every shingle that `wanted` holds; stores nothing else. */
export class ParentStream implements Sink {
  readonly window = new Window();

  constructor(
    private readonly wanted: ShingleTable,
    private readonly hits: ShingleTable,
  ) {}

  token(hash: number): void {
    const h = this.window.push(hash);
    if (this.window.count >= SHINGLE && this.wanted.has(h)) this.hits.add(h);
  }

  read(text: string): void {
    tokens(text, text.length, this);
  }
}

/** A set of 30-bit integers: open addressing in a typed array, reused between calls. */
export class ShingleTable {
  private keys = new Int32Array(1024);
  private mask = 1023;
  size = 0;

  /** Empties the table, sized for `capacity` entries. */
  reset(capacity: number): void {
    let n = 1024;
    while (n < capacity * 2) n *= 2;
    if (n > this.keys.length) this.keys = new Int32Array(n);
    else this.keys.fill(0, 0, n);
    this.mask = n - 1;
    this.size = 0;
  }

  private slot(h: number): number {
    const key = h + 1;
    let i = Math.imul(h, 0x9e3779b1) & this.mask;
    while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  add(h: number): void {
    const i = this.slot(h);
    if (this.keys[i] === 0) {
      this.keys[i] = h + 1;
      this.size++;
    }
  }

  has(h: number): boolean {
    return this.keys[this.slot(h)] !== 0;
  }
}
