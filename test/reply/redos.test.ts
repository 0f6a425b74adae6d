/**
 * ReDoS safety (issue 6, item 7): a 1 MB adversarial body is extracted in under 100 ms. The one
 * timed assertion the issue demands; each shape is warmed up and timed as the best of five runs
 * so that a loaded machine does not make it flaky, and the slowest shape is what is asserted.
 */
import { extractReply } from '../../src/reply/index.js';
import {
  ADVERSARIAL_HTML,
  ADVERSARIAL_SIGNATURE_TEXT,
  ADVERSARIAL_TEXT,
  LARGE_PARENT,
  PASTED_LARGE_PARENT,
} from './adversarial-bodies.js';

function bestOfFive(run: () => void): number {
  run();
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe('extractReply on 1 MB adversarial bodies', () => {
  it('finishes every shape in under 100 ms', () => {
    const timings: [string, number][] = [];
    for (const [name, body] of ADVERSARIAL_TEXT) {
      expect(body.length).toBeGreaterThanOrEqual(1 << 20);
      timings.push([`text: ${name}`, bestOfFive(() => extractReply({ text: body }))]);
    }
    for (const [name, body] of ADVERSARIAL_HTML) {
      timings.push([`html: ${name}`, bestOfFive(() => extractReply({ html: body }))]);
    }
    const sender = { name: 'Dana Smith', address: 'dana.smith@acme.example' };
    for (const [name, body] of ADVERSARIAL_SIGNATURE_TEXT) {
      expect(body.length).toBeGreaterThanOrEqual(1 << 20);
      const run = () => extractReply({ text: body }, { sender });
      timings.push([`signature: ${name}`, bestOfFive(run)]);
    }
    const parents = [LARGE_PARENT, `<p>${LARGE_PARENT}</p>`];
    for (const [name, body] of PASTED_LARGE_PARENT) {
      const run = () => extractReply({ text: body }, { sender, parents });
      timings.push([`parent: ${name}`, bestOfFive(run)]);
    }
    const [slowest, ms] = timings.reduce((a, b) => (b[1] > a[1] ? b : a));
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
