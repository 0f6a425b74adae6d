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
import type { ReplyContext, ReplyResult } from '../src/reply/index.js';

export interface ScoreCase {
  id: string;
  kind: 'text' | 'eml';
  input: string;
  expected: string;
  /** The expected signature, when the case states one. */
  signature?: string;
  /** What we know beyond the bytes: the sender (text cases) and the parent bodies. */
  context?: ReplyContext;
  tags: string[];
}

export interface CaseScore {
  id: string;
  exact: boolean;
  /** Signature equal to the stated one; undefined when the case states none. */
  signatureExact?: boolean;
  f1: number;
  tags: string[];
  got: string;
  expected: string;
  gotSignature: string;
  expectedSignature?: string;
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

export async function extractCase(
  c: Pick<ScoreCase, 'kind' | 'input' | 'context'>,
): Promise<ReplyResult> {
  if (c.kind === 'text') return extractReply({ text: c.input }, c.context);
  const parsed = await simpleParser(Buffer.from(c.input, 'utf8'));
  return extractReply(parsed, c.context);
}

const same = (a: string, b: string) => normalizeForComparison(a) === normalizeForComparison(b);

export async function scoreCases(cases: ScoreCase[]): Promise<CaseScore[]> {
  const out: CaseScore[] = [];
  for (const c of cases) {
    const result = await extractCase(c);
    const got = result.text;
    out.push({
      id: c.id,
      exact: same(got, c.expected),
      ...(c.signature !== undefined
        ? { signatureExact: same(result.signature, c.signature), expectedSignature: c.signature }
        : {}),
      f1: tokenF1(got, c.expected),
      tags: c.tags,
      got,
      expected: c.expected,
      gotSignature: result.signature,
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

/** Cases that state a signature, and how many of those came out exactly. */
export interface SignatureSummary {
  cases: number;
  exact: number;
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

/** Signature exactness, overall and by tag, over the cases that state a signature. */
export function summariseSignatures(scores: CaseScore[]): {
  overall: SignatureSummary;
  byTag: Record<string, SignatureSummary>;
} {
  const signed = scores.filter((s) => s.signatureExact !== undefined);
  const sum = (list: CaseScore[]) => ({
    cases: list.length,
    exact: list.filter((s) => s.signatureExact).length,
  });
  const byTag: Record<string, SignatureSummary> = {};
  const tags = [...new Set(signed.flatMap((s) => s.tags))].sort((a, b) => a.localeCompare(b));
  for (const t of tags) byTag[t] = sum(signed.filter((s) => s.tags.includes(t)));
  return { overall: sum(signed), byTag };
}

export function loadJsonl(file: string): ScoreCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      let o: Partial<ScoreCase> & {
        id?: string | number;
        sender?: ReplyContext['sender'];
        parents?: unknown;
      };
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
      const parents = Array.isArray(o.parents) ? o.parents.map(String) : undefined;
      return {
        id: String(o.id ?? i + 1),
        kind: o.kind,
        input: o.input,
        expected: o.expected,
        ...(typeof o.signature === 'string' ? { signature: o.signature } : {}),
        ...contextOf(o.sender, parents),
        tags: Array.isArray(o.tags) ? o.tags.map(String) : [],
      };
    });
}

function contextOf(
  sender: ReplyContext['sender'] | undefined,
  parents: string[] | undefined,
): { context?: ReplyContext } {
  if (!sender && !parents) return {};
  return { context: { ...(sender ? { sender } : {}), ...(parents ? { parents } : {}) } };
}

export function loadFixtures(dir: string): ScoreCase[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    id: string;
    kind: 'text' | 'eml';
    input: string;
    expected: string;
    signature?: string;
    sender?: { name: string; address: string };
    parents?: string[];
    tags: string[];
  }[];
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');
  return index.map((e) => ({
    id: e.id,
    kind: e.kind,
    input: read(e.input),
    expected: read(e.expected),
    ...(e.signature ? { signature: read(e.signature) } : {}),
    ...contextOf(e.sender, e.parents?.map(read)),
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
  const signatures = summariseSignatures(scores);
  if (argv.includes('--json')) {
    console.log(JSON.stringify({ overall, byTag, signatures }, null, 2));
    return 0;
  }
  if (argv.includes('--failures')) printFailures(scores);
  console.log(
    `overall  ${overall.exact}/${overall.cases} exact = ${pct(overall.exactPct)}   mean token-F1 = ${overall.meanF1.toFixed(3)}`,
  );
  const width = Math.max(8, ...Object.keys(byTag).map((t) => t.length));
  for (const [tag, s] of Object.entries(byTag)) {
    console.log(
      `  ${tag.padEnd(width)}  ${String(s.exact).padStart(4)}/${String(s.cases).padEnd(4)} ${pct(s.exactPct).padStart(6)}   F1 ${s.meanF1.toFixed(3)}`,
    );
  }
  printSignatures(signatures, width);
  return 0;
}

function printFailures(scores: CaseScore[]): void {
  for (const s of scores.filter((x) => !x.exact)) {
    console.log(
      `✗ ${s.id} (F1 ${s.f1.toFixed(2)})\n--- got\n${s.got}\n--- expected\n${s.expected}\n`,
    );
  }
  for (const s of scores.filter((x) => x.signatureExact === false)) {
    console.log(
      `✗ signature ${s.id}\n--- got\n${s.gotSignature}\n--- expected\n${s.expectedSignature}\n`,
    );
  }
}

function printSignatures(s: ReturnType<typeof summariseSignatures>, width: number): void {
  const share = (x: SignatureSummary) =>
    `${x.exact}/${x.cases} exact = ${pct(x.cases ? (100 * x.exact) / x.cases : 0)}`;
  console.log(`signature  ${share(s.overall)}   (cases that state their signature)`);
  for (const [tag, x] of Object.entries(s.byTag)) console.log(`  ${tag.padEnd(width)}  ${share(x)}`);
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
