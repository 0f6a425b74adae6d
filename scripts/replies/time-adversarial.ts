/**
 * Prints the best-of-five time extractReply takes on each 1 MB adversarial body, slowest first:
 * `npx tsx scripts/replies/time-adversarial.ts` (`--json` prints `[name, ms][]`). The ReDoS test
 * runs it as a child process, so the timing is of the runtime the server uses, not of jest's
 * module sandbox (where the shingle loop runs several times slower than in production).
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

const rows: [string, number][] = [
  ...ADVERSARIAL_TEXT.map(([name, body]): [string, number] => [
    `text  ${name}`,
    bestOfFive(() => extractReply({ text: body })),
  ]),
  ...ADVERSARIAL_HTML.map(([name, body]): [string, number] => [
    `html  ${name}`,
    bestOfFive(() => extractReply({ html: body })),
  ]),
  ...ADVERSARIAL_SIGNATURE_TEXT.map(([name, body]): [string, number] => [
    `sig   ${name}`,
    bestOfFive(() => extractReply({ text: body }, { sender })),
  ]),
  ...PASTED_LARGE_PARENT.map(([name, body]): [string, number] => [
    `parent ${name}`,
    bestOfFive(() => extractReply({ text: body }, { sender, parents })),
  ]),
];
rows.sort((a, b) => b[1] - a[1]);
if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
else for (const [name, ms] of rows) console.log(`${ms.toFixed(1).padStart(7)} ms  ${name}`);
