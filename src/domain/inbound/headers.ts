/**
 * A read-only, case-insensitive view of message headers. The inbound rules take this instead
 * of a mailparser object, so they stay pure and table-testable.
 */
export type HeaderMap = ReadonlyMap<string, readonly string[]>;

export function headerMap(entries: Iterable<readonly [string, string]>): HeaderMap {
  const map = new Map<string, string[]>();
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }
  return map;
}

export function firstHeader(headers: HeaderMap, name: string): string | undefined {
  return headers.get(name.toLowerCase())?.[0];
}

/** Extracts the bare address from `Name <a@b>` or `a@b`; lower-cased. */
export function bareAddress(value: string | undefined | null): string | null {
  if (!value) return null;
  const angle = /<([^<>]*)>/.exec(value);
  const candidate = (angle ? angle[1]! : value).trim();
  if (candidate === '') return '';
  const m = /[^\s<>"',;:()]+@[^\s<>"',;:()]+/.exec(candidate);
  return m ? m[0].toLowerCase() : candidate.toLowerCase();
}
