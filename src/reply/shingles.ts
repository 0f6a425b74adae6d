/**
 * Normalised word shingles: the robust way to recognise a pasted copy of a message we sent.
 * A text becomes a stream of tokens (letters and digits, lower-cased; each CJK character is a
 * token of its own), so quoting, re-wrapping, HTML conversion, whitespace and punctuation
 * changes leave the stream intact. Each run of SHINGLE tokens is hashed to a 32-bit number; a
 * reply line "reproduces" a parent when most of its tokens sit in shingles the parent has.
 */

/** Tokens per shingle: long enough that ordinary phrases rarely collide, short enough for short lines. */
export const SHINGLE = 4;

/** Each token's hash, and the line it came from. */
export interface TokenStream {
  hashes: number[];
  lines: number[];
}

const isCjk = (c: number) =>
  (c >= 0x3040 && c <= 0x30ff) || // kana
  (c >= 0x3400 && c <= 0x9fff) || // CJK ideographs
  (c >= 0xac00 && c <= 0xd7af) || // hangul syllables
  (c >= 0xf900 && c <= 0xfaff);

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordChar(ch: string, c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return WORD_CHAR.test(ch);
}

/** FNV-1a over a lower-cased token. */
function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Appends the tokens of `line` (line number `n`) to the stream. */
export function tokenizeLine(line: string, n: number, out: TokenStream, maxChars = 400): void {
  const end = Math.min(line.length, maxChars);
  let start = -1;
  const flush = (i: number) => {
    if (start < 0) return;
    out.hashes.push(hashToken(line.slice(start, i).toLowerCase()));
    out.lines.push(n);
    start = -1;
  };
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    const ch = line[i] as string;
    if (isCjk(c)) {
      flush(i);
      out.hashes.push(hashToken(ch));
      out.lines.push(n);
    } else if (isWordChar(ch, c)) {
      if (start < 0) start = i;
    } else flush(i);
  }
  flush(end);
}

export function tokenize(lines: readonly string[], maxChars = 400): TokenStream {
  const out: TokenStream = { hashes: [], lines: [] };
  for (let i = 0; i < lines.length; i++) tokenizeLine(lines[i] ?? '', i, out, maxChars);
  return out;
}

/** The shingle starting at token `i` (the stream must hold SHINGLE tokens from there). */
export function shingleAt(hashes: readonly number[], i: number): number {
  let h = 0;
  for (let k = 0; k < SHINGLE; k++) h = (Math.imul(h, 31) + (hashes[i + k] as number)) >>> 0;
  return h;
}

export function shingleSet(stream: TokenStream): Set<number> {
  const set = new Set<number>();
  for (let i = 0; i + SHINGLE <= stream.hashes.length; i++) set.add(shingleAt(stream.hashes, i));
  return set;
}

/**
 * Which tokens of `stream` are covered by a shingle that `known` holds. A token is covered when
 * any shingle containing it is known, so a line's coverage does not depend on where it wraps.
 */
export function coveredTokens(stream: TokenStream, known: Set<number>): Uint8Array {
  const covered = new Uint8Array(stream.hashes.length);
  for (let i = 0; i + SHINGLE <= stream.hashes.length; i++) {
    if (known.has(shingleAt(stream.hashes, i))) covered.fill(1, i, i + SHINGLE);
  }
  return covered;
}
