/**
 * One large string field of a JSON body (Postmark's `RawEmail`) taken out as bytes, without
 * making it, or the whole body, one JavaScript string. `JSON.parse(body.toString())` of a 40 MB
 * payload builds the body as a 40 MB string and the field as another, on the V8 heap, where
 * they linger until a full collection; four such posts in a row kept the process well over
 * 600 MB. Here the field's JSON text is decoded in small pieces straight into one buffer, and
 * the rest of the body (with the field emptied) is parsed as usual.
 */

/** Bytes of escaped JSON decoded per JSON.parse call: small strings die young and cheap. */
const PIECE_BYTES = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Where the string value of the top-level-looking key `name` sits: the byte after its opening
 * quote and the byte of its closing quote. A key is a string token right after `{` or `,`, and
 * followed by `:` then a string; an escaped quote inside another string never matches, since
 * the quote before the name would be escaped.
 */
function findValue(body: Buffer, name: string): { start: number; end: number } | null {
  const key = Buffer.from(JSON.stringify(name));
  for (let at = body.indexOf(key); at >= 0; at = body.indexOf(key, at + 1)) {
    let before = at - 1;
    while (isSpace(body[before])) before--;
    if (body[before] !== 0x7b && body[before] !== 0x2c) continue;
    let after = at + key.length;
    while (isSpace(body[after])) after++;
    if (body[after] !== 0x3a) continue;
    after++;
    while (isSpace(body[after])) after++;
    if (body[after] !== QUOTE) continue;
    const start = after + 1;
    const end = closingQuote(body, start);
    return end < 0 ? null : { start, end };
  }
  return null;
}

/** The quote that ends a string starting at `from`: one not escaped by an odd run of backslashes. */
function closingQuote(body: Buffer, from: number): number {
  for (let q = body.indexOf(QUOTE, from); q >= 0; q = body.indexOf(QUOTE, q + 1)) {
    let run = 0;
    while (q - run - 1 >= from && body[q - run - 1] === BACKSLASH) run++;
    if (run % 2 === 0) return q;
  }
  return -1;
}

/** Length of the escape at `p`: `\n` 2, `\uXXXX` 6, a surrogate pair `\uD83D\uDE00` 12. */
function escapeLength(json: Buffer, p: number): number {
  if (json[p + 1] !== 0x75) return 2;
  const high = /^d[89ab]/i.test(json.toString('latin1', p + 2, p + 6));
  return high && json[p + 6] === BACKSLASH && json[p + 7] === 0x75 ? 12 : 6;
}

/** Where to end the piece that starts at `from`: outside any escape and any UTF-8 sequence. */
function nextCut(json: Buffer, from: number): number {
  let cut = from + PIECE_BYTES;
  if (cut >= json.length) return json.length;
  for (let p = json.indexOf(BACKSLASH, from); p >= 0 && p < cut;) {
    const end = p + escapeLength(json, p);
    if (end > cut) return end;
    p = json.indexOf(BACKSLASH, end);
  }
  while (cut < json.length && (json[cut]! & 0xc0) === 0x80) cut++;
  return cut;
}

/** The escaped JSON text of a string (without its quotes) decoded to UTF-8 bytes. */
export function decodeJsonString(json: Buffer): Buffer {
  // Decoding never lengthens: each escape is at least as long as the bytes it stands for.
  const out = Buffer.allocUnsafe(json.length);
  let written = 0;
  for (let from = 0; from < json.length;) {
    const to = nextCut(json, from);
    const piece = JSON.parse(`"${json.toString('utf8', from, to)}"`) as string;
    written += out.write(piece, written, 'utf8');
    from = to;
  }
  return out.subarray(0, written);
}

/**
 * The body parsed with the string field `name` emptied, and that field's bytes (null when the
 * body has no such string field, or it is not at the top level: then parse it as usual).
 */
export function takeStringField(
  body: Buffer,
  name: string,
): { rest: Buffer; value: Buffer } | null {
  const span = findValue(body, name);
  if (!span) return null;
  return {
    rest: Buffer.concat([body.subarray(0, span.start), body.subarray(span.end)]),
    value: decodeJsonString(body.subarray(span.start, span.end)),
  };
}
