/**
 * `postroom routes`: inbound routes from the shell, through the same service (and the same
 * checks) as /v1/routes. Every process sees a change within seconds.
 *
 *   postroom routes list
 *   postroom routes add [--name N] [--priority P] <match…> <action>
 *   postroom routes add --json '{"match": {…}, "action": {…}}'
 *   postroom routes remove|enable|disable <id>
 *   postroom routes test --to ADDR [--from ADDR] [--subject S] [--header 'Name: value']…
 *   postroom routes default <action> | routes default --clear
 *
 * match:  --recipient PATTERN | --recipient-regex RE, --sender PATTERN | --sender-regex RE,
 *         --subject-contains S, --header 'Name: value' (contains)
 * action: --webhook URL | --endpoint ID | --forward a@x[,b@y] [--inline] | --store
 *         | --reject [--message TEXT] | --checkins TEAM_ID
 */
import { parseArgs } from 'node:util';
import { AppError } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import type { InboundRoute } from '../../domain/inbound/route.js';
import type { InboundFeature } from '../features/inbound.js';
import type { Container } from '../container.js';
import type { CommandContext } from './context.js';

const USAGE = `Usage:
  postroom routes list
  postroom routes add [--name N] [--priority P] MATCH ACTION     (or --json '{"match":…,"action":…}')
  postroom routes remove|enable|disable <id>
  postroom routes test --to ADDR [--from ADDR] [--subject S] [--header 'Name: value']...
  postroom routes default ACTION | postroom routes default --clear
MATCH:  --recipient PATTERN | --recipient-regex RE, --sender PATTERN | --sender-regex RE,
        --subject-contains S, --header 'Name: value'
ACTION: --webhook URL | --endpoint ID | --forward a@x[,b@y] [--inline] | --store
        | --reject [--message TEXT] | --checkins TEAM_ID`;

const OPTIONS = {
  json: { type: 'string' },
  name: { type: 'string' },
  priority: { type: 'string' },
  recipient: { type: 'string' },
  'recipient-regex': { type: 'string' },
  sender: { type: 'string' },
  'sender-regex': { type: 'string' },
  'subject-contains': { type: 'string' },
  header: { type: 'string', multiple: true },
  webhook: { type: 'string' },
  endpoint: { type: 'string' },
  forward: { type: 'string' },
  inline: { type: 'boolean' },
  store: { type: 'boolean' },
  reject: { type: 'boolean' },
  message: { type: 'string' },
  checkins: { type: 'string' },
  clear: { type: 'boolean' },
  to: { type: 'string', multiple: true },
  from: { type: 'string' },
  subject: { type: 'string' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

class UsageError extends Error {}

function routesOf(c: Container): InboundFeature['services'] {
  const f = c.features.find((x) => x.name === 'inbound') as InboundFeature | undefined;
  if (!f) throw new Error('the inbound feature is not enabled');
  return f.services;
}

function header(v: string): { name: string; value: string } {
  const colon = v.indexOf(':');
  if (colon <= 0) throw new UsageError(`--header needs 'Name: value', got "${v}"`);
  return { name: v.slice(0, colon).trim(), value: v.slice(colon + 1).trim() };
}

function actionFrom(v: Values): Record<string, unknown> {
  const chosen: Array<Record<string, unknown> | false | undefined> = [
    v.webhook !== undefined && { type: 'webhook', url: v.webhook },
    v.endpoint !== undefined && { type: 'webhook', endpoint_id: v.endpoint },
    v.forward !== undefined && {
      type: 'forward',
      to: v.forward.split(',').map((s) => s.trim()),
      mode: v.inline ? 'inline' : 'attachment',
    },
    v.store && { type: 'store' },
    v.reject && { type: 'reject', ...(v.message ? { message: v.message } : {}) },
    v.checkins !== undefined && { type: 'checkins', team_id: v.checkins },
  ];
  const given = chosen.filter((a): a is Record<string, unknown> => !!a);
  if (given.length !== 1) throw new UsageError('give exactly one action');
  return given[0]!;
}

function matchFrom(v: Values): Record<string, unknown> {
  const pattern = (plain?: string, regex?: string) => (regex !== undefined ? { regex } : plain);
  return Object.fromEntries(
    Object.entries({
      recipient: pattern(v.recipient, v['recipient-regex']),
      sender: pattern(v.sender, v['sender-regex']),
      subject:
        v['subject-contains'] !== undefined ? { contains: v['subject-contains'] } : undefined,
      headers: v.header?.map(header).map((h) => ({ name: h.name, contains: h.value })),
    }).filter(([, x]) => x !== undefined),
  );
}

function bodyFrom(v: Values): unknown {
  if (v.json !== undefined) {
    try {
      return JSON.parse(v.json) as unknown;
    } catch {
      throw new UsageError('--json is not valid JSON');
    }
  }
  const priority = v.priority === undefined ? undefined : Number(v.priority);
  if (priority !== undefined && !Number.isInteger(priority))
    throw new UsageError('--priority must be a whole number');
  return {
    ...(v.name ? { name: v.name } : {}),
    ...(priority !== undefined ? { priority } : {}),
    match: matchFrom(v),
    action: actionFrom(v),
  };
}

const describe = (r: InboundRoute) =>
  [
    r.id,
    r.priority,
    r.enabled ? 'on' : 'off',
    r.name,
    JSON.stringify(r.match),
    JSON.stringify(r.action),
  ].join('\t');

/** The pieces of the context the command needs (tests pass their own). */
export type RoutesCommandContext = Pick<CommandContext, 'out' | 'withContainer'> & {
  err?: (line: string) => void;
};

async function run(
  sub: string,
  v: Values,
  ids: string[],
  ctx: RoutesCommandContext,
): Promise<void> {
  const id = ids[0];
  const needId = () => {
    if (!id || !isUuid(id)) throw new UsageError(`routes ${sub} needs a route id`);
    return id;
  };
  await ctx.withContainer(async (c) => {
    const s = routesOf(c);
    if (sub === 'list') {
      for (const r of await s.routes.list()) ctx.out(describe(r));
      ctx.out(`default\t${JSON.stringify((await s.routes.getDefault()).action)}`);
    } else if (sub === 'add') {
      const saved = await s.routes.create(bodyFrom(v));
      ctx.out(describe(saved.route));
      if (saved.webhookSecret)
        ctx.out(`webhook signing secret (shown once): ${saved.webhookSecret}`);
    } else if (sub === 'remove') {
      await s.routes.remove(needId());
      ctx.out(`removed ${id}`);
    } else if (sub === 'enable' || sub === 'disable') {
      ctx.out(describe((await s.routes.update(needId(), { enabled: sub === 'enable' })).route));
    } else if (sub === 'default') {
      if (v.clear) await s.routes.clearDefault();
      else await s.routes.setDefault({ action: actionFrom(v) });
      ctx.out(`default\t${JSON.stringify((await s.routes.getDefault()).action)}`);
    } else if (sub === 'test') {
      const headers = Object.fromEntries(
        (v.header ?? []).map(header).map((h) => [h.name, h.value]),
      );
      const r = await s.testRoute({
        to: v.to ?? [],
        ...(v.from ? { from: v.from } : {}),
        ...(v.subject ? { subject: v.subject } : {}),
        headers,
      });
      ctx.out(
        `${r.decision}\t${r.mailbox ?? '-'}\t${r.route ? `${r.route.name} ${JSON.stringify(r.route.action)}` : JSON.stringify(r.token ?? r.thread)}`,
      );
    } else throw new UsageError(`unknown sub-command "${sub}"`);
  });
}

export async function runRoutesCommand(argv: string[], ctx: RoutesCommandContext): Promise<number> {
  const err = ctx.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const [sub, ...rest] = argv;
  try {
    if (!sub) throw new UsageError('which sub-command?');
    const { values, positionals } = parseArgs({
      args: rest,
      options: OPTIONS,
      allowPositionals: true,
    });
    await run(sub, values, positionals, ctx);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && /option|argument/i.test(e.message))) {
      err(`postroom routes: ${e.message}\n${USAGE}`);
      return 64;
    }
    if (e instanceof AppError) {
      err(`postroom routes: ${e.code}: ${e.message}`);
      return 65;
    }
    throw e;
  }
}
