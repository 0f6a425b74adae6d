/**
 * `postroom keys create --name <name> --scopes send,read[,admin] [--daily-quota N]
 * [--reply-tracking]` prints a new API key once (only its hash is stored; `--reply-tracking`
 * makes tracked replies the key's default for POST /v1/messages); `keys list` shows keys without
 * secrets; `keys revoke <id>` revokes one.
 */
import { parseArgs } from 'node:util';
import { AppError } from '../../lib/errors.js';
import type { CommandContext } from './context.js';
import { outboundOf } from './features.js';

const USAGE = `Usage:
  postroom keys create --name <name> --scopes send,read,admin [--daily-quota <n>] [--reply-tracking]
  postroom keys list
  postroom keys revoke <id>`;

/** The pieces of the context the command needs (tests pass their own). */
export type KeysCommandContext = Pick<CommandContext, 'out' | 'withContainer'> & {
  err?: (line: string) => void;
};

/** `keys create`: the key is printed once, on stdout; only its hash is stored. */
async function createKey(
  rest: string[],
  ctx: KeysCommandContext,
  err: (line: string) => void,
): Promise<number> {
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      'daily-quota': { type: 'string' },
      'reply-tracking': { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.name || !values.scopes) {
    err(`keys create needs --name and --scopes\n\n${USAGE}`);
    return 2;
  }
  const quota = values['daily-quota'] === undefined ? null : Number(values['daily-quota']);
  if (quota !== null && (!Number.isInteger(quota) || quota <= 0)) {
    err('--daily-quota must be a positive whole number');
    return 2;
  }
  const scopes = values.scopes
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const { key, record } = await ctx.withContainer((c) =>
    outboundOf(c).services.apiKeys.create({
      name: values.name!,
      scopes,
      dailyQuota: quota,
      replyTracking: values['reply-tracking'],
    }),
  );
  ctx.out(key);
  err(
    `created API key ${record.id} "${record.name}" with scopes ${record.scopes.join(', ')}; the key above is shown only once`,
  );
  return 0;
}

export async function runKeysCommand(argv: string[], ctx: KeysCommandContext): Promise<number> {
  const err = ctx.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const [sub, ...rest] = argv;
  try {
    if (sub === 'create') return await createKey(rest, ctx, err);
    if (sub === 'list') {
      const keys = await ctx.withContainer((c) => outboundOf(c).services.apiKeys.list());
      for (const k of keys) {
        ctx.out(
          [
            k.id,
            k.keyPrefix + '…',
            k.name,
            k.scopes.join(','),
            k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active',
          ].join('\t'),
        );
      }
      return 0;
    }
    if (sub === 'revoke' && rest[0]) {
      const ok = await ctx.withContainer((c) => outboundOf(c).services.apiKeys.revoke(rest[0]!));
      if (!ok) {
        err(`no active key ${rest[0]}`);
        return 1;
      }
      ctx.out(`revoked ${rest[0]}`);
      return 0;
    }
    err(USAGE);
    return 2;
  } catch (e) {
    if (
      e instanceof AppError ||
      (e instanceof TypeError && /parseArgs|Unknown option/i.test(String(e)))
    ) {
      err(`postroom keys: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
