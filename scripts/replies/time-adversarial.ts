/**
 * Prints the best-of-three time extractReply takes on each 1 MB adversarial body, slowest first
 * (the ReDoS test asserts the slowest stays under 100 ms): `npx tsx scripts/replies/time-adversarial.ts`.
 */
import { extractReply } from '../../src/reply/index.js';
import {
  ADVERSARIAL_HTML,
  ADVERSARIAL_SIGNATURE_TEXT,
  ADVERSARIAL_TEXT,
  LARGE_PARENT,
  PASTED_LARGE_PARENT,
} from '../../test/reply/adversarial-bodies.js';

const sender = { name: 'Dana Smith', address: 'dana.smith@acme.example' };
const parents = [LARGE_PARENT, `<p>${LARGE_PARENT}</p>`];

function bestOfThree(run: () => void): number {
  run();
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const rows: [string, number][] = [
  ...ADVERSARIAL_TEXT.map(([name, body]): [string, number] => [
    `text  ${name}`,
    bestOfThree(() => extractReply({ text: body })),
  ]),
  ...ADVERSARIAL_HTML.map(([name, body]): [string, number] => [
    `html  ${name}`,
    bestOfThree(() => extractReply({ html: body })),
  ]),
  ...ADVERSARIAL_SIGNATURE_TEXT.map(([name, body]): [string, number] => [
    `sig   ${name}`,
    bestOfThree(() => extractReply({ text: body }, { sender })),
  ]),
  ...PASTED_LARGE_PARENT.map(([name, body]): [string, number] => [
    `parent ${name}`,
    bestOfThree(() => extractReply({ text: body }, { sender, parents })),
  ]),
];
for (const [name, ms] of rows.sort((a, b) => b[1] - a[1]))
  console.log(`${ms.toFixed(1).padStart(7)} ms  ${name}`);
