/**
 * Reads /metrics the way Prometheus does: the text is parsed by parse-prometheus-text-format (a
 * port of the Prometheus Python client's parser), never by our own regexes.
 *
 * That parser groups a histogram's lines into one sample and handles unlabelled histograms
 * only: with labels it drops them, and the counts with them. So histograms are declared
 * `untyped` before parsing, and their `_bucket`, `_sum` and `_count` series, which is what
 * Prometheus stores anyway, come out as series of their own with their labels intact.
 */
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';

export type { PromFamily };

export function parseMetrics(text: string): PromFamily[] {
  const parsed = parsePrometheusTextFormat(
    text.replace(/^(# TYPE \S+) histogram$/gm, '$1 untyped'),
  );
  // One histogram's label sets alternate _bucket, _sum, _count: the same name comes back.
  const byName = new Map<string, PromFamily>();
  for (const f of parsed) {
    const seen = byName.get(f.name);
    if (seen) seen.metrics.push(...f.metrics);
    else byName.set(f.name, { ...f, metrics: [...f.metrics] });
  }
  return [...byName.values()];
}

export async function scrape(url: string, token?: string): Promise<PromFamily[]> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return parseMetrics(await res.text());
}

const matches = (labels: Record<string, string> | undefined, want: Record<string, string>) =>
  Object.entries(want).every(([k, v]) => labels?.[k] === v);

/** The sum of a series' samples whose labels include `want` (0 when none). */
export function value(fs: PromFamily[], name: string, want: Record<string, string> = {}): number {
  const f = fs.find((x) => x.name === name);
  return (f?.metrics ?? [])
    .filter((m) => matches(m.labels, want))
    .reduce((a, m) => a + Number(m.value ?? 0), 0);
}

/** A histogram's observation count (its `_count` series) over the label sets matching `want`. */
export function observations(
  fs: PromFamily[],
  name: string,
  want: Record<string, string> = {},
): number {
  return value(fs, `${name}_count`, want);
}

/** Series as Prometheus stores them: one per sample line. */
export function seriesCount(fs: PromFamily[], prefix = ''): number {
  return fs.filter((f) => f.name.startsWith(prefix)).reduce((a, f) => a + f.metrics.length, 0);
}

/** Every label set of `name`. */
export function labelSets(fs: PromFamily[], name: string): Array<Record<string, string>> {
  return (fs.find((x) => x.name === name)?.metrics ?? []).map((m) => m.labels ?? {});
}
