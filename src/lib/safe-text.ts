/**
 * Text that PostgreSQL will store. A `text` column refuses NUL (SQLSTATE 22021), and `jsonb`
 * refuses `\u0000` and a lone UTF-16 surrogate (22P05, 22P02), so a string from outside that
 * holds one of them fails the whole statement. Inbound mail repairs such text (NUL dropped,
 * lone surrogates → U+FFFD; invalid UTF-8 already decodes to U+FFFD) and flags the message; the
 * API refuses it with 422 `invalid_characters` naming the field instead.
 *
 * JSON is also bounded in depth: JSON.parse reads any nesting, but JSON.stringify (which pg
 * uses for jsonb parameters) recurses and throws a RangeError somewhere past a few thousand.
 */

import { createHash } from 'node:crypto';
import { BadRequestError, ValidationError, type AppError } from './errors.js';

/** Deepest JSON accepted anywhere (API bodies and provider payloads). */
export const MAX_JSON_DEPTH = 64;

// eslint-disable-next-line no-control-regex -- NUL is exactly what PostgreSQL refuses
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex -- as above
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL can store the string as it is. */
export function isSafeText(s: string): boolean {
  return !UNSAFE.test(s);
}

/** The string with NUL removed and lone surrogates replaced by U+FFFD. */
export function safeText(s: string): string {
  return isSafeText(s) ? s : s.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A value used as (part of) a unique key, short enough for a btree index (PostgreSQL refuses
 * index rows over ~2.7 KB). A longer value becomes its SHA-256, which keeps equal values equal.
 */
export function boundedKey(s: string, max = 256): string {
  const safe = safeText(s);
  return safe.length <= max ? safe : `sha256:${createHash('sha256').update(safe).digest('hex')}`;
}

/** Records which fields a repair changed, by name, for the message's flag. */
export class TextRepairs {
  readonly fields = new Set<string>();
  text(field: string, s: string): string {
    if (isSafeText(s)) return s;
    this.fields.add(field);
    return safeText(s);
  }
  optional(field: string, s: string | null | undefined): string | null {
    return s === null || s === undefined ? null : this.text(field, s);
  }
  json<T>(field: string, value: T): T {
    const repaired = safeJson(value);
    if (repaired !== value) this.fields.add(field);
    return repaired;
  }
  list(): string[] {
    return [...this.fields].sort();
  }
}

/**
 * A copy of a JSON value with every string and key made safe, or the value itself when nothing
 * needed repair. Nesting past MAX_JSON_DEPTH is cut (the deeper value becomes null).
 */
export function safeJson<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return safeText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) return null as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const r = safeJson(v, depth + 1);
      changed ||= r !== v;
      return r;
    });
    return (changed ? out : value) as T;
  }
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = safeText(k);
    const r = safeJson(v, depth + 1);
    changed ||= key !== k || r !== v;
    out[key] = r;
  }
  return (changed ? out : value) as T;
}

/** Whether any string or key anywhere in `value` is one PostgreSQL would refuse. */
export function hasUnsafeText(value: unknown): boolean {
  return inspectJson(value, { maxDepth: Infinity })?.kind === 'invalid_characters';
}

/** 422 `invalid_characters` naming the first field of `value` PostgreSQL would refuse. */
export function refuseUnsafeText(value: unknown): void {
  const problem = inspectJson(value, { maxDepth: Infinity });
  if (problem) throw jsonProblemError(problem);
}

/** Whether a parsed JSON value nests deeper than `maxDepth` (iterative: any depth is safe). */
export function jsonTooDeep(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, depth + 1]);
  }
  return false;
}

export type JsonProblem =
  { kind: 'too_deep'; path: string } | { kind: 'invalid_characters'; path: string };

/**
 * The first problem of a parsed JSON value: nesting past `maxDepth`, or a string or key that
 * PostgreSQL would refuse (or, with `flagReplacement`, one holding U+FFFD: the body was not
 * valid UTF-8 and the decoder put it there). Iterative, so any depth is safe to inspect.
 * Paths read like `metadata.a.b[2]`.
 */
export function inspectJson(
  value: unknown,
  opts: { maxDepth?: number; flagReplacement?: boolean } = {},
): JsonProblem | null {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  const bad = (s: string) =>
    !isSafeText(s) || (opts.flagReplacement === true && s.includes('\uFFFD'));
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const stack: Array<{ v: unknown; path: string; depth: number }> = [
    { v: value, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (bad(v)) return { kind: 'invalid_characters', path: path || '(body)' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { kind: 'too_deep', path: path || '(body)' };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(v);
    for (const [k] of entries) {
      if (bad(k)) return { kind: 'invalid_characters', path: at(path, printable(k)) };
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      stack.push({ v: x, path: at(path, k), depth: depth + 1 });
    }
  }
  return null;
}

/** 400 for nesting past MAX_JSON_DEPTH, 422 `invalid_characters` naming the field. */
export function jsonProblemError(problem: JsonProblem, prefix = ''): AppError {
  const field = prefix && problem.path === '(body)' ? prefix : `${prefix}${problem.path}`;
  if (problem.kind === 'too_deep') {
    return new BadRequestError(
      'json_too_deep',
      `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`,
      { field, max_depth: MAX_JSON_DEPTH },
    );
  }
  return new ValidationError(
    `${field} holds characters that cannot be stored (NUL, a lone UTF-16 surrogate, or bytes that are not UTF-8)`,
    { field },
    'invalid_characters',
  );
}

/** A key as it can be shown in an error: the unsafe characters as `?`. */
function printable(key: string): string {
  return safeText(key).replace(/\uFFFD/g, '?');
}
