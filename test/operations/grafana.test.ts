/**
 * docs/grafana/postroom.json: every query names only metrics this build's /metrics exposes
 * (read from a running app by the Prometheus text parser), every panel has a query, and the
 * panels an on-call person opens first are there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startTestApp, type TestApp } from '../support/app.js';

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: Array<{ expr: string }>;
}
const dashboard = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../docs/grafana/postroom.json'), 'utf8'),
) as { uid: string; panels: Panel[]; templating: { list: Array<{ name: string; type: string }> } };

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

/** Series names /metrics exposes: each family, and a histogram's _bucket, _sum and _count. */
async function exposedNames(): Promise<Set<string>> {
  const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
  const names = new Set<string>();
  for (const f of parsePrometheusTextFormat(text)) {
    names.add(f.name);
    if (f.type === 'HISTOGRAM' || f.type === 'SUMMARY')
      for (const s of ['_bucket', '_sum', '_count']) names.add(f.name + s);
  }
  return names;
}

test('every query names a metric that /metrics exposes', async () => {
  const exposed = await exposedNames();
  const used = dashboard.panels.flatMap((p) =>
    p.targets.flatMap((t) => [...t.expr.matchAll(/\b(postroom_[a-z0-9_]+)\b/g)].map((m) => m[1]!)),
  );
  expect(used.length).toBeGreaterThan(12);
  expect([...new Set(used)].filter((n) => !exposed.has(n))).toEqual([]);
});

test('every panel queries through the dashboard datasource variable', () => {
  expect(dashboard.templating.list).toContainEqual(
    expect.objectContaining({ name: 'datasource', type: 'datasource' }),
  );
  for (const p of dashboard.panels) {
    expect(p.targets.length).toBeGreaterThan(0);
    expect(p.datasource.uid).toBe('${datasource}');
  }
});

test('the panels an on-call person opens first', () => {
  const titles = dashboard.panels.map((p) => p.title);
  for (const t of [
    'Sends per minute by outcome',
    'Failure rate',
    'Accept → sent latency (p50, p99)',
    'Inbound per minute',
    'Inbound failures',
    'Queue depth',
    'Check-in tick lag',
  ])
    expect(titles).toContain(t);
  const latency = dashboard.panels.find((p) => p.title.startsWith('Accept'))!;
  expect(latency.targets.map((t) => /histogram_quantile\((0\.\d+)/.exec(t.expr)![1])).toEqual([
    '0.5',
    '0.99',
  ]);
});
