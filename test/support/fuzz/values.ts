/**
 * fast-check arbitraries for hostile input: strings with NUL, lone surrogates, bidi marks and
 * CRLF; JSON values built from them (keys too); bytes that are not UTF-8; MIME-ish messages
 * whose headers carry all of it; JSON nested far past any limit; JSON shaped by a JSON Schema
 * (the OpenAPI document's request bodies), so the fuzz reaches the validators, not just the
 * JSON parser.
 */
import fc from 'fast-check';

export const NASTY = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\uffff',
  '\ufffd',
  '\u202e',
  '\r\n',
  '"',
  '\\',
  '%00',
  '😀',
  'é',
  '<>',
  '\u0000\u0000',
];

export const nastyString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
      { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
      { weight: 1, arbitrary: fc.constantFrom('a@example.org', 'Ana <ana@example.org>', '') },
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** Bytes that are not UTF-8 (overlong, lone continuation, 0xff, truncated sequences). */
export const badUtf8 = fc
  .array(
    fc.constantFrom(
      Buffer.from([0xff]),
      Buffer.from([0xc3]),
      Buffer.from([0x80]),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xf4, 0x90, 0x80, 0x80]),
      Buffer.from([0x00]),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => Buffer.concat(parts));

export const bytes = fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a));

/** Text mixed with invalid bytes: what a header or a body line may really hold. */
export const nastyBytes: fc.Arbitrary<Buffer> = fc
  .array(
    fc.oneof(
      nastyString.map((s) => Buffer.from(s, 'utf8')),
      badUtf8,
    ),
    { maxLength: 4 },
  )
  .map((parts) => Buffer.concat(parts));

/** A message: well-known headers with hostile values, sometimes a huge one, then a body. */
export const mimeish: fc.Arbitrary<Buffer> = fc
  .record({
    headers: fc.array(
      fc.tuple(
        fc.constantFrom(
          'From',
          'To',
          'Cc',
          'Subject',
          'Message-ID',
          'In-Reply-To',
          'References',
          'Content-Type',
          'Content-Transfer-Encoding',
          'Content-Disposition',
          'Date',
          'Auto-Submitted',
          'X-Mailgun-Sflag',
          'Return-Path',
        ),
        nastyBytes,
      ),
      { maxLength: 8 },
    ),
    huge: fc.oneof(
      { weight: 19, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 200_000 }) },
    ),
    body: fc.oneof(nastyBytes, bytes),
    crlf: fc.boolean(),
  })
  .map(({ headers, huge, body, crlf }) => {
    const eol = Buffer.from(crlf ? '\r\n' : '\n');
    const lines = headers.flatMap(([name, value]) => [Buffer.from(`${name}: `), value, eol]);
    if (huge > 0) lines.push(Buffer.from(`X-Huge: ${'h'.repeat(huge)}`), eol);
    return Buffer.concat([...lines, eol, body]);
  });

/** `depth` levels of arrays or objects around a value; far past any limit when asked. */
export function nested(depth: number, objects: boolean): string {
  return objects
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

export const deepJson = fc
  .record({
    depth: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 65, max: 2_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 20_000 }) },
    ),
    objects: fc.boolean(),
    key: fc.boolean(),
  })
  .map(({ depth, objects, key }) =>
    key ? `{"metadata":${nested(depth, objects)},"to":"a@example.org"}` : nested(depth, objects),
  );

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
};

/** A value shaped by a JSON Schema, each part sometimes replaced by something hostile. */
export function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return anyJson;
  const shaped = shapedBy(schema, depth);
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

function shapedBy(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
  const options = s.anyOf ?? s.oneOf;
  if (options && options.length > 0)
    return fc.oneof(...options.map((o) => fromSchema(o, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      const shape = Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v, depth + 1)]));
      return fc.record(shape, { requiredKeys: [] });
    }
    case 'array':
      return fc.array(fromSchema(s.items, depth + 1), { maxLength: 3 });
    case 'string':
      return s.format === 'email' || s.format === 'uri'
        ? fc.oneof(fc.constantFrom('ana@example.org', 'https://example.org/hook'), nastyString)
        : nastyString;
    case 'integer':
      return fc.integer({ min: -5, max: 2_000_000_000 });
    case 'number':
      return fc.double();
    case 'boolean':
      return fc.boolean();
    default:
      return anyJson;
  }
}
