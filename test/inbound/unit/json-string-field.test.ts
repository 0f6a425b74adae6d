/**
 * A JSON string field taken out as bytes (json-string-field.ts) must equal what JSON.parse
 * reads, for any text: escapes of every kind, surrogate pairs (escaped or raw), lone
 * surrogates, multi-byte UTF-8 at the 64 KB piece boundaries, and look-alike keys elsewhere.
 */
import fc from 'fast-check';
import {
  decodeJsonString,
  takeStringField,
} from '../../../src/inbound/providers/json-string-field.js';

/** What JSON.parse makes of the field, as bytes. */
const expected = (s: string) => Buffer.from(s, 'utf8');

/** JSON.stringify, with some characters written as \u escapes as other encoders do. */
const encode = (s: string, escapeAll: boolean) =>
  escapeAll
    ? JSON.stringify(s).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
    : JSON.stringify(s);

const text = fc.string({ unit: 'binary', maxLength: 300 });
const pieceSized = fc
  .tuple(text, fc.constantFrom('é', '😀', '\r\n', '\\', '"', '\ud800', '€'), fc.nat(3))
  .map(([head, c, shift]) => 'x'.repeat(64 * 1024 - shift) + c.repeat(5) + head);

test('decodes like JSON.parse, whatever the text and however it is escaped', () => {
  fc.assert(
    fc.property(fc.oneof(text, pieceSized), fc.boolean(), (s, escapeAll) => {
      const json = encode(s, escapeAll);
      const inner = Buffer.from(json.slice(1, -1), 'utf8');
      expect(decodeJsonString(inner).equals(expected(JSON.parse(json) as string))).toBe(true);
    }),
    { numRuns: 400, seed: 14 },
  );
});

test('takes the top-level field; a value or a nested key that looks like it is left alone', () => {
  const raw = 'From: a@example.org\r\nSubject: "RawEmail": ☃\r\n\r\nhi 😀\r\n';
  const body = Buffer.from(
    JSON.stringify({
      Subject: 'RawEmail',
      Nested: { Note: '{"RawEmail":"nope"}' },
      RawEmail: raw,
      After: 1,
    }),
  );
  const taken = takeStringField(body, 'RawEmail')!;
  expect(taken.value.equals(Buffer.from(raw))).toBe(true);
  expect(JSON.parse(taken.rest.toString())).toEqual({
    Subject: 'RawEmail',
    Nested: { Note: '{"RawEmail":"nope"}' },
    RawEmail: '',
    After: 1,
  });
  expect(takeStringField(Buffer.from('{"RawEmail": 5}'), 'RawEmail')).toBeNull();
  expect(takeStringField(Buffer.from('{"RawEmail":"unterminated'), 'RawEmail')).toBeNull();
});
