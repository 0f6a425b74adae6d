/** Pure formatting helpers for view models. Output is plain text; templates escape it. */

/** Addresses are stored as strings or {name, address|email} objects, singly or in lists. */
export function formatAddresses(v: unknown): string {
  const one = (a: unknown): string => {
    if (typeof a === 'string') return a;
    if (a && typeof a === 'object') {
      const o = a as { name?: unknown; address?: unknown; email?: unknown };
      const addr =
        typeof o.address === 'string' ? o.address : typeof o.email === 'string' ? o.email : '';
      return typeof o.name === 'string' && o.name ? `${o.name} <${addr}>` : addr;
    }
    return '';
  };
  return (Array.isArray(v) ? v.map(one) : [one(v)]).filter(Boolean).join(', ');
}

export function headerRows(
  headers: Record<string, unknown> | null | undefined,
): { name: string; value: string }[] {
  if (!headers || typeof headers !== 'object') return [];
  return Object.entries(headers).map(([name, value]) => ({
    name,
    value: Array.isArray(value)
      ? value.join(', ')
      : typeof value === 'string'
        ? value
        : JSON.stringify(value),
  }));
}

export function isIsoDate(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(v) &&
    !Number.isNaN(Date.parse(`${v}T00:00:00Z`))
  );
}

/** Builds a query string from the non-empty values. */
export function query(params: Record<string, string | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The header block of a raw RFC 5322 message, unfolded, for display (values stay encoded). */
export function rawHeaderRows(
  raw: Buffer,
  maxBytes = 64 * 1024,
): { name: string; value: string }[] {
  const head = raw.subarray(0, maxBytes).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  return block
    .split(/\r?\n/)
    .map((line) => {
      const colon = line.indexOf(':');
      return colon > 0
        ? { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() }
        : null;
    })
    .filter((h): h is { name: string; value: string } => h !== null);
}
