/**
 * The corpus scorer (scripts/reply-score.ts): JSONL loading, exact match after normalisation,
 * token-F1, per-tag summaries, and the CLI output on a small JSONL written for this test.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadJsonl, scoreCases, summarise, tokenF1 } from '../../scripts/reply-score.js';

const here = dirname(fileURLToPath(import.meta.url));
const sample = join(here, 'score-sample.jsonl');

describe('reply scorer', () => {
  it('computes token-F1', () => {
    expect(tokenF1('a b c', 'a b c')).toBe(1);
    expect(tokenF1('', '')).toBe(1);
    expect(tokenF1('a', '')).toBe(0);
    expect(tokenF1('a b', 'a b c d')).toBeCloseTo(2 / 3);
    expect(tokenF1('x y', 'a b')).toBe(0);
  });

  it('scores the sample: exact after normalisation, F1 and tags', async () => {
    const scores = await scoreCases(loadJsonl(sample));
    expect(scores.map((s) => [s.id, s.exact])).toEqual([
      ['top', true],
      ['outlook', true],
      ['spaces', true],
      ['miss', false],
      ['eml', true],
    ]);
    const { overall, byTag } = summarise(scores);
    expect(overall.cases).toBe(5);
    expect(overall.exactPct).toBeCloseTo(80);
    expect(overall.meanF1).toBeCloseTo((4 + (2 * (2 / 3) * 1) / (2 / 3 + 1)) / 5);
    expect(byTag['miss']).toEqual({ cases: 1, exact: 0, exactPct: 0, meanF1: 0.8 });
    expect(byTag['de']?.exactPct).toBe(100);
  });

  it('rejects malformed lines with their line number', () => {
    expect(() => loadJsonl(join(here, 'reply-score.test.ts'))).toThrow(/reply-score\.test\.ts:1:/);
  });

  it('prints the overall and per-tag figures from the command line', async () => {
    const script = join(here, '../../scripts/reply-score.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', script, '--cases', sample],
      { cwd: join(here, '../..') },
    );
    expect(stdout).toContain('overall  4/5 exact = 80.0%');
    expect(stdout).toMatch(/mean token-F1 = 0\.9\d\d/);
    expect(stdout).toMatch(/miss\s+0\/1\s+0\.0%/);
  });
});
