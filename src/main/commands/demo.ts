/**
 * `postroom demo [--remove]` seeds (or removes) the demo team through the product's own
 * services (services/checkins/demo.ts): a week of prompts, replies through the inbound engine,
 * entries with tags, goals and blockers, and two digests. Run twice, it adds nothing.
 */
import { parseArgs } from 'node:util';
import { removeDemo, seedDemo, type DemoDeps } from '../../services/checkins/demo.js';
import { repositories } from '../../storage/index.js';
import type { Container } from '../container.js';
import type { CommandContext } from './context.js';
import { ManualClock } from '../../lib/clock.js';
import { buildCheckinsServices } from '../features/checkins.js';
import { inboundOf, outboundOf, stderr, type CommandIo } from './features.js';

export type DemoContext = Pick<CommandContext, 'withContainer'> & Partial<CommandIo>;

/** Check-in services of their own on a clock the demo moves through the past week. */
function demoDeps(c: Container): DemoDeps {
  const clock = new ManualClock(c.clock.now());
  const inbound = inboundOf(c).services;
  const s = buildCheckinsServices(
    { config: c.config, db: c.db, queue: c.queue, log: c.log, clock, secretKey: c.secretKey },
    { outbound: outboundOf(c).services, inbound },
  );
  return {
    db: c.db,
    clock,
    realClock: c.clock,
    admin: s.admin,
    planner: s.planner,
    prompts: s.prompts,
    digests: s.digests,
    links: s.links,
    promptRepository: repositories.prompts,
    inbound: {
      receive: (input) => inbound.receive.receive(input),
      process: async (ids) => {
        await inbound.process.processMany(ids, { maxAttempts: 3, inFlight: 1 });
      },
    },
  };
}

export async function runDemoCommand(argv: string[], ctx: DemoContext): Promise<number> {
  const out = ctx.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = ctx.err ?? stderr;
  let remove: boolean;
  try {
    remove = Boolean(
      parseArgs({ args: argv, options: { remove: { type: 'boolean' } } }).values.remove,
    );
  } catch (e) {
    err(`postroom demo: ${(e as Error).message}\nUsage: postroom demo [--remove]`);
    return 2;
  }
  return ctx.withContainer(async (c) => {
    if (remove) {
      const id = await removeDemo(demoDeps(c));
      out(id ? `removed the demo team ${id}` : 'no demo team to remove');
      return 0;
    }
    const r = await seedDemo(demoDeps(c));
    if (!r.created) {
      out(`the demo team is already there: ${r.teamId} (postroom demo --remove deletes it)`);
      return 0;
    }
    out(`demo team ${r.teamId}: ${r.prompts} prompts, ${r.replies} replies, ${r.missed} missed`);
    for (const d of r.digests) out(`  digest for ${d.date}: ${d.status}`);
    out(`open ${c.config.http.publicUrl}/teams/${r.teamId}`);
    return 0;
  });
}
