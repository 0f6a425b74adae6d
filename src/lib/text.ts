/**
 * Text PostgreSQL can store: `text` refuses NUL, and `jsonb` refuses NUL and lone UTF-16
 * surrogates (a JSON string may carry them, a jsonb value may not). Input that will be stored is
 * either refused when it holds them (an API body: a 4xx, never a 5xx) or cleaned (mail we
 * received: NUL dropped, a lone surrogate replaced by U+FFFD).
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function isStorableText(s: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !s.includes('\0') && !LONE_SURROGATE.test(s);
}

/** The first string anywhere in `value` that PostgreSQL would refuse, or null. */
export function findUnstorableText(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : value;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const bad = findUnstorableText(k, depth + 1) ?? findUnstorableText(v, depth + 1);
    if (bad !== null) return bad;
  }
  return null;
}

export function storableText(s: string): string {
  return isStorableText(s) ? s : s.replace(/\0/g, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** Every string in a JSON-like value made storable (a new value; the input is not changed). */
export function storableJson<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => storableJson(v, depth + 1)) as T;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v, depth + 1)]),
  ) as T;
}
