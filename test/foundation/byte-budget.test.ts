/**
 * ByteBudget (lib/byte-budget.ts), which bounds memory for parsing inbound mail and for turning
 * received bodies into stored messages: what runs together, what waits, and in which order.
 */
import { ByteBudget } from '../../src/lib/byte-budget.js';

/** Work that runs until `finish()` is called, recording when it started. */
function gate(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return {
    finish,
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
  };
}
const tick = () => new Promise((r) => setImmediate(r));

test('items that fit run side by side; the next waits for room, first come first served', async () => {
  const budget = new ByteBudget(100);
  const log: string[] = [];
  const [a, b, big, c] = ['a', 'b', 'big', 'c'].map((n) => gate(log, n));
  const runs = [
    budget.run(40, a!.work),
    budget.run(40, b!.work),
    budget.run(90, big!.work),
    budget.run(20, c!.work), // fits now, but must not pass the large item that waits first
  ];
  await tick();
  expect(log).toEqual(['start a', 'start b']);
  a!.finish();
  await tick();
  expect(log).toEqual(['start a', 'start b', 'end a']);
  b!.finish();
  await tick();
  expect(log.slice(3)).toEqual(['end b', 'start big']);
  big!.finish();
  await tick();
  expect(log.slice(5)).toEqual(['end big', 'start c']);
  c!.finish();
  await Promise.all(runs);
});

test('an item larger than the whole budget runs alone, and a failure gives its bytes back', async () => {
  const budget = new ByteBudget(100);
  const log: string[] = [];
  const huge = gate(log, 'huge');
  const small = gate(log, 'small');
  const first = budget.run(1000, huge.work);
  const second = budget.run(1, small.work);
  await tick();
  expect(log).toEqual(['start huge']);
  huge.finish();
  await first;
  await tick();
  expect(log).toEqual(['start huge', 'end huge', 'start small']);
  small.finish();
  await second;
  await expect(
    budget.run(100, async () => {
      throw new Error('parse failed');
    }),
  ).rejects.toThrow('parse failed');
  const after = gate(log, 'after');
  const last = budget.run(100, after.work);
  await tick();
  expect(log.at(-1)).toBe('start after');
  after.finish();
  await last;
});
