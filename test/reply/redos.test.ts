/**
 * ReDoS safety (issue 6, item 7; issue 15 for the context stages): a 1 MB adversarial body is
 * extracted in under 100 ms. The one timed assertion the issues demand. The shapes are timed by
 * scripts/replies/time-adversarial.ts in a child process on the server's runtime (plain Node 24
 * with the TypeScript loader): jest's module sandbox runs the shingle loop several times slower
 * than production does, which would measure the test harness, not the code. Each shape is warmed
 * up and timed as the best of five runs, so a loaded machine does not make it flaky.
 */
import { spawnSync } from 'node:child_process';
import { extractReply } from '../../src/reply/index.js';
import {
  ADVERSARIAL_SIGNATURE_TEXT,
  ADVERSARIAL_TEXT,
  PASTED_LARGE_PARENT,
} from './adversarial-bodies.js';

function timeEveryShape(): [string, number][] {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/replies/time-adversarial.ts', '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 20, timeout: 120_000 },
  );
  if (run.status !== 0) throw new Error(`time-adversarial failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as [string, number][];
}

describe('extractReply on 1 MB adversarial bodies', () => {
  it('times bodies of at least 1 MB', () => {
    for (const [, body] of [...ADVERSARIAL_TEXT, ...ADVERSARIAL_SIGNATURE_TEXT])
      expect(body.length).toBeGreaterThanOrEqual(1 << 20);
  });

  it('finishes every shape in under 100 ms', () => {
    const timings = timeEveryShape();
    expect(timings.length).toBeGreaterThanOrEqual(40);
    expect(timings.filter(([name]) => name.startsWith('parent'))).toHaveLength(
      PASTED_LARGE_PARENT.length,
    );
    const [slowest, ms] = timings[0] as [string, number];
    expect({ slowest, ms: Math.round(ms), under100ms: ms < 100 }).toEqual({
      slowest,
      ms: Math.round(ms),
      under100ms: true,
    });
  });

  it('still returns the text typed above a huge pasted history', () => {
    const history = '> old line\n'.repeat(100_000);
    const result = extractReply({
      text: `Shipped it.\n\nOn Tue, Nov 24, 2026 at 5:02 PM Ann <ann@example.com> wrote:\n${history}`,
    });
    expect(result.text).toBe('Shipped it.');
  });

  it('keeps a reply longer than the analysed part whole, flagged', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `- item ${i}`).join('\n');
    const result = extractReply({ text: body });
    expect(result.text.split('\n')).toHaveLength(3000);
    expect(result.flags).toContain('long-body');
  });
});
