/**
 * Operator commands for check-ins:
 *   postroom digests run --team <id> --date YYYY-MM-DD [--resend]
 *     builds that reported day's digest (creating it if the tick has not) and queues its
 *     mails; a digest already sent is left alone unless --resend. Running workers send.
 *   postroom prompts run --team <id>
 *     plans the team's prompts that are due now (the catch-up window), as the tick would.
 */
import { parseArgs } from 'node:util';
import { isLocalDate } from '../../domain/schedule/local-time.js';
import { AppError } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import type { CommandContext } from './context.js';
import { checkinsOf } from './features.js';

export type CheckinsCommandContext = Pick<CommandContext, 'out' | 'withContainer'> & {
  err?: (line: string) => void;
};

const DIGESTS_USAGE = 'Usage: postroom digests run --team <id> --date YYYY-MM-DD [--resend]';
const PROMPTS_USAGE = 'Usage: postroom prompts run --team <id>';

async function guarded(
  err: (line: string) => void,
  usage: string,
  fn: () => Promise<number>,
): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) {
      err(`${e.code}: ${e.message}`);
      return e.status === 404 ? 3 : 1;
    }
    if (e instanceof TypeError && /option|argument/i.test(e.message)) {
      err(`${e.message}\n\n${usage}`);
      return 2;
    }
    throw e;
  }
}

export async function runDigestsCommand(
  argv: string[],
  ctx: CheckinsCommandContext,
): Promise<number> {
  const err = ctx.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  return guarded(err, DIGESTS_USAGE, async () => {
    const [sub, ...rest] = argv;
    const { values } = parseArgs({
      args: rest,
      options: { team: { type: 'string' }, date: { type: 'string' }, resend: { type: 'boolean' } },
      strict: true,
    });
    if (sub !== 'run' || !values.team || !values.date) {
      err(DIGESTS_USAGE);
      return 2;
    }
    if (!isUuid(values.team) || !isLocalDate(values.date)) {
      err(`--team must be a team id and --date a YYYY-MM-DD date\n\n${DIGESTS_USAGE}`);
      return 2;
    }
    const r = await ctx.withContainer((c) =>
      checkinsOf(c).services.digests.run(values.team!, values.date!, {
        resend: values.resend === true,
      }),
    );
    ctx.out(
      JSON.stringify({
        digest_id: r.digest.id,
        local_date: r.digest.local_date,
        status: r.digest.status,
        action: r.action,
        recipients: r.digest.recipients_total,
      }),
    );
    return 0;
  });
}

export async function runPromptsCommand(
  argv: string[],
  ctx: CheckinsCommandContext,
): Promise<number> {
  const err = ctx.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  return guarded(err, PROMPTS_USAGE, async () => {
    const [sub, ...rest] = argv;
    const { values } = parseArgs({
      args: rest,
      options: { team: { type: 'string' } },
      strict: true,
    });
    if (sub !== 'run' || !values.team || !isUuid(values.team)) {
      err(PROMPTS_USAGE);
      return 2;
    }
    const r = await ctx.withContainer(async (c) => {
      const s = checkinsOf(c).services;
      await s.admin.getTeam(values.team!);
      return s.planner.tick(c.clock.now(), { teamId: values.team! });
    });
    ctx.out(
      JSON.stringify({
        planned: r.prompts,
        missed_by_outage: r.missedByOutage,
        digests: r.digests,
      }),
    );
    return 0;
  });
}
