/**
 * Scores the reply extractor on a corpus: exact-match % (after the issue-6 normalisation: NFC,
 * CRLF → LF, zero-width characters removed, space runs collapsed, lines trimmed, blank lines
 * dropped) and mean token-F1, overall and by tag.
 *
 *   npm run reply:score -- --cases FILE.jsonl     lines of {kind:"text"|"eml", input, expected, tags?}
 *   npm run reply:score -- --fixtures [DIR]       our corpus (fixtures/replies/index.json)
 *   add --failures to print every miss, --json for machine-readable output.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { extractReply, normalizeForComparison } from '../src/reply/index.js';
import type { ReplyResult } from '../src/reply/index.js';

export interface ScoreCase {
  id: string;
  kind: 'text' | 'eml';
  input: string;
  expected: string;
  tags: string[];
}

export interface CaseScore {
  id: string;
  exact: boolean;
  f1: number;
  tags: string[];
  got: string;
  expected: string;
}

export function tokenF1(got: string, expected: string): number {
  const a = normalizeForComparison(got).split(/\s+/).filter(Boolean);
  const b = normalizeForComparison(expected).split(/\s+/).filter(Boolean);
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of b) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of a) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / a.length;
  const recall = common / b.length;
  return (2 * precision * recall) / (precision + recall);
}

export async function extractCase(c: Pick<ScoreCase, 'kind' | 'input'>): Promise<ReplyResult> {
  if (c.kind === 'text') return extractReply({ text: c.input });
  const parsed = await simpleParser(Buffer.from(c.input, 'utf8'));
  return extractReply(parsed);
}

export async function scoreCases(cases: ScoreCase[]): Promise<CaseScore[]> {
  const out: CaseScore[] = [];
  for (const c of cases) {
    const got = (await extractCase(c)).text;
    out.push({
      id: c.id,
      exact: normalizeForComparison(got) === normalizeForComparison(c.expected),
      f1: tokenF1(got, c.expected),
      tags: c.tags,
      got,
      expected: c.expected,
    });
  }
  return out;
}

export interface Summary {
  cases: number;
  exact: number;
  exactPct: number;
  meanF1: number;
}

export function summarise(scores: CaseScore[]): {
  overall: Summary;
  byTag: Record<string, Summary>;
} {
  const sum = (list: CaseScore[]): Summary => {
    const exact = list.filter((s) => s.exact).length;
    return {
      cases: list.length,
      exact,
      exactPct: list.length ? (100 * exact) / list.length : 0,
      meanF1: list.length ? list.reduce((a, s) => a + s.f1, 0) / list.length : 0,
    };
  };
  const tags = new Map<string, CaseScore[]>();
  for (const s of scores) for (const t of s.tags) tags.set(t, [...(tags.get(t) ?? []), s]);
  const byTag: Record<string, Summary> = {};
  for (const [t, list] of [...tags.entries()].sort(([a], [b]) => a.localeCompare(b)))
    byTag[t] = sum(list);
  return { overall: sum(scores), byTag };
}

export function loadJsonl(file: string): ScoreCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      let o: Partial<ScoreCase> & { id?: string | number };
      try {
        o = JSON.parse(l) as typeof o;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`, { cause: err });
      }
      if (
        (o.kind !== 'text' && o.kind !== 'eml') ||
        typeof o.input !== 'string' ||
        typeof o.expected !== 'string'
      ) {
        throw new Error(`${file}:${i + 1}: expected {kind:"text"|"eml", input, expected}`);
      }
      return {
        id: String(o.id ?? i + 1),
        kind: o.kind,
        input: o.input,
        expected: o.expected,
        tags: Array.isArray(o.tags) ? o.tags.map(String) : [],
      };
    });
}

export function loadFixtures(dir: string): ScoreCase[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    id: string;
    kind: 'text' | 'eml';
    input: string;
    expected: string;
    tags: string[];
  }[];
  return index.map((e) => ({
    id: e.id,
    kind: e.kind,
    input: readFileSync(join(dir, e.input), 'utf8'),
    expected: readFileSync(join(dir, e.expected), 'utf8'),
    tags: e.tags,
  }));
}

const pct = (x: number) => `${x.toFixed(1)}%`;

async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  let cases: ScoreCase[];
  if (arg('--cases')) cases = loadJsonl(resolve(arg('--cases') as string));
  else if (argv.includes('--fixtures')) {
    const dir = arg('--fixtures');
    const here = dirname(fileURLToPath(import.meta.url));
    cases = loadFixtures(
      resolve(dir && !dir.startsWith('--') ? dir : join(here, '../fixtures/replies')),
    );
  } else {
    console.error(
      'usage: npm run reply:score -- --cases FILE.jsonl | --fixtures [DIR] [--failures] [--json]',
    );
    return 2;
  }
  const scores = await scoreCases(cases);
  const { overall, byTag } = summarise(scores);
  if (argv.includes('--json')) {
    console.log(JSON.stringify({ overall, byTag }, null, 2));
    return 0;
  }
  if (argv.includes('--failures')) {
    for (const s of scores.filter((x) => !x.exact)) {
      console.log(
        `✗ ${s.id} (F1 ${s.f1.toFixed(2)})\n--- got\n${s.got}\n--- expected\n${s.expected}\n`,
      );
    }
  }
  console.log(
    `overall  ${overall.exact}/${overall.cases} exact = ${pct(overall.exactPct)}   mean token-F1 = ${overall.meanF1.toFixed(3)}`,
  );
  const width = Math.max(8, ...Object.keys(byTag).map((t) => t.length));
  for (const [tag, s] of Object.entries(byTag)) {
    console.log(
      `  ${tag.padEnd(width)}  ${String(s.exact).padStart(4)}/${String(s.cases).padEnd(4)} ${pct(s.exactPct).padStart(6)}   F1 ${s.meanF1.toFixed(3)}`,
    );
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
