/**
 * Reply extraction benchmark (issue 6): one run over 2,000 generated replies (plain and HTML-only
 * mix), messages/s for extractReply and for email-reply-parser alone on the same inputs. It
 * cannot read HTML, so for HTML-only inputs it is timed twice: on text converted beforehand
 * (favours it) and with the html-to-text conversion included (what a pipeline would pay).
 * Single-threaded; pin it to one core with
 *   taskset -c 0 npx tsx bench/reply/run.ts
 * Targets: ours ≥ email-reply-parser, and ≥ 2,000 plain messages/s. The last row times the
 * same plain replies with the context a routed reply has (sender, and the text and HTML of the
 * message it answers): the context stage may cost at most 20 %.
 */
import { cpus } from 'node:os';
import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';
import { extractReply } from '../../src/reply/index.js';
import { benchInputs, type BenchInput } from './inputs.js';

const ROUNDS = 5;

function rate(inputs: unknown[], run: () => void): number {
  run(); // warm-up
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return inputs.length / (best / 1000);
}

/**
 * Rates of several runs over the same inputs, their rounds alternating so that a busy machine
 * slows each the same (best of 3 × ROUNDS rounds each).
 */
function interleaved(inputs: unknown[], runs: (() => void)[]): number[] {
  const best = runs.map(() => Infinity);
  runs.forEach((run) => run());
  for (let r = 0; r < 3 * ROUNDS; r++)
    runs.forEach((run, i) => {
      const start = performance.now();
      run();
      best[i] = Math.min(best[i]!, performance.now() - start);
    });
  return best.map((ms) => inputs.length / (ms / 1000));
}

function ours(list: BenchInput[]): () => void {
  return () => {
    for (const input of list) extractReply(input);
  };
}

const SENDER = { name: 'Jane Doe', address: 'jane.doe@mail.example.net' };

function oursWithContext(list: BenchInput[]): () => void {
  return () => {
    for (const input of list) extractReply(input, { sender: SENDER, parents: input.parents });
  };
}

function theirs(texts: string[]): () => void {
  return () => {
    for (const text of texts) new EmailReplyParser().read(text).getVisibleText();
  };
}

function theirsWithConversion(list: BenchInput[]): () => void {
  return () => {
    for (const i of list)
      new EmailReplyParser()
        .read(i.kind === 'plain' ? (i.text ?? '') : convert(i.html ?? '', { wordwrap: false }))
        .getVisibleText();
  };
}

async function main(): Promise<void> {
  const inputs = await benchInputs(2000);
  const plain = inputs.filter((i) => i.kind === 'plain');
  const html = inputs.filter((i) => i.kind === 'html');
  const asText = (i: BenchInput) =>
    i.kind === 'plain' ? (i.text ?? '') : convert(i.html ?? '', { wordwrap: false });
  const plainTexts = plain.map(asText);
  const htmlTexts = html.map(asText);
  const allTexts = inputs.map(asText);
  const bytes = inputs.reduce((a, i) => a + (i.text ?? i.html ?? '').length, 0);

  const rows: [string, number, number, number, number][] = [
    ['plain', plain.length, rate(plain, ours(plain)), rate(plain, theirs(plainTexts)), NaN],
    [
      'html-only',
      html.length,
      rate(html, ours(html)),
      rate(html, theirs(htmlTexts)),
      rate(html, theirsWithConversion(html)),
    ],
    [
      'all (mix)',
      inputs.length,
      rate(inputs, ours(inputs)),
      rate(inputs, theirs(allTexts)),
      rate(inputs, theirsWithConversion(inputs)),
    ],
  ];
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}, ${inputs.length} messages (${plain.length} plain, ${html.length} HTML-only), ${(bytes / inputs.length / 1024).toFixed(1)} KB average body, best of ${ROUNDS} rounds`,
  );
  console.log(
    'set        | messages | extractReply msg/s | erp msg/s (text given) | ours/erp | erp msg/s (incl. html-to-text) | ours/erp',
  );
  for (const [name, n, a, b, c] of rows) {
    const withConv = Number.isNaN(c)
      ? '—'.padStart(30) + ' | —'
      : `${c.toFixed(0).padStart(30)} | ${(a / c).toFixed(2)}`;
    console.log(
      `${name.padEnd(10)} | ${String(n).padStart(8)} | ${a.toFixed(0).padStart(18)} | ${b.toFixed(0).padStart(22)} | ${(a / b).toFixed(2).padStart(8)} | ${withConv}`,
    );
  }
  const [bare, withContext] = interleaved(plain, [ours(plain), oursWithContext(plain)]);
  console.log(
    `plain with context (sender + parent text and HTML): ${withContext!.toFixed(0)} msg/s vs ${bare!.toFixed(0)} msg/s without: the context stage adds ${(100 * (bare! / withContext! - 1)).toFixed(1)} % (target ≤ 20 %)`,
  );
}

void main();
