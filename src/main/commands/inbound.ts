/**
 * `postroom inbound reprocess <id>...` or `postroom inbound reprocess --status failed [--limit N]`:
 * moves stored messages back to `received` and enqueues a fresh processing job for each
 * (a running worker picks them up). Messages whose raw bytes were removed by retention are
 * skipped.
 */
import { parseArgs } from 'node:util';
import { isUuid } from '../../lib/ids.js';
import type { InboundFeature } from '../features/inbound.js';
import type { CommandContext } from './context.js';

const USAGE = `Usage:
  postroom inbound reprocess <id> [<id>...]
  postroom inbound reprocess --status failed|ignored|processed [--limit 1000]`;

export async function runInboundCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = argv;
  const err = (l: string) => process.stderr.write(`${l}\n`);
  if (sub !== 'reprocess') {
    err(USAGE);
    return 64;
  }
  let parsed: { values: { status?: string; limit?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      options: { status: { type: 'string' }, limit: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (e) {
    err(`postroom inbound: ${(e as Error).message}\n${USAGE}`);
    return 64;
  }
  const { values, positionals } = parsed;
  const status = values.status;
  if (
    (positionals.length === 0) === (status === undefined) ||
    positionals.some((p) => !isUuid(p))
  ) {
    err(USAGE);
    return 64;
  }
  if (status !== undefined && !['failed', 'ignored', 'processed'].includes(status)) {
    err(`postroom inbound: --status must be failed, ignored or processed\n${USAGE}`);
    return 64;
  }
  const limit = Number(values.limit ?? 1000);
  if (!Number.isInteger(limit) || limit < 1) {
    err('postroom inbound: --limit must be a positive integer');
    return 64;
  }
  const ids = await ctx.withContainer(async (c) => {
    const inbound = c.features.find((f) => f.name === 'inbound') as InboundFeature | undefined;
    if (!inbound) throw new Error('the inbound feature is not enabled');
    return inbound.services.process.reprocess(
      status
        ? { status: status as 'failed' | 'ignored' | 'processed', limit }
        : { ids: positionals },
    );
  });
  ctx.out(`reprocess: ${ids.length} message(s) queued`);
  for (const id of ids) ctx.out(id);
  return positionals.length > 0 && ids.length < positionals.length ? 1 : 0;
}
