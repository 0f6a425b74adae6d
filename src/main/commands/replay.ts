/**
 * `postroom replay FILE.eml --provider mailgun|sendgrid|postmark|ses|relay [--url …]` posts a
 * stored message to a running Postroom exactly as that provider would, signed with the secrets
 * this configuration verifies with: the first of MAILGUN_SIGNING_KEYS, SENDGRID_INBOUND_AUTH,
 * POSTMARK_INBOUND_AUTH or RELAY_TOKENS. The URL defaults to PUBLIC_URL; recipients to the
 * file's To and Cc.
 *
 * SES is the exception: SNS signs with Amazon's key, which nobody else holds, so `ses` signs
 * with `--sns-key key.pem` for the first of SES_TOPIC_ARNS. A real server trusts only Amazon's
 * certificate; use `--dry-run` to see the request, or point it at a test server.
 * Exit codes: 0 the endpoint took it (2xx), 1 it refused it, 64 usage, 75 unreachable.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../../config/index.js';
import {
  mailgunMimeRequest,
  postmarkRequest,
  relayRequest,
  sendgridRawRequest,
  sesReceivedMessage,
  sesRequest,
  snsMessage,
  type HttpRequest,
} from '../../inbound/providers/requests.js';
import { stderr, type CommandIo } from './features.js';

const USAGE = `Usage:
  postroom replay FILE.eml --provider mailgun|sendgrid|postmark|ses|relay [--url URL]
                  [--to ADDRESS]... [--from ADDRESS] [--sns-key key.pem] [--dry-run]`;

const PROVIDERS = ['mailgun', 'sendgrid', 'postmark', 'ses', 'relay'] as const;
type Provider = (typeof PROVIDERS)[number];

interface Options {
  provider: Provider;
  url: string;
  to: string[];
  from: string | undefined;
  snsKey: string | undefined;
}

class UsageError extends Error {}

function first(list: readonly string[], variable: string, provider: string): string {
  if (!list[0])
    throw new UsageError(`--provider ${provider} signs with ${variable}; it is not set`);
  return list[0];
}

/** The addresses of the To and Cc headers, when --to is not given. */
export function headerRecipients(raw: Buffer): string[] {
  const head = raw
    .toString('latin1')
    .split(/\r?\n\r?\n/)[0]!
    .replace(/\r?\n[ \t]+/g, ' ');
  const fields = [...head.matchAll(/^(?:to|cc):(.*)$/gim)].map((m) => m[1]!);
  return [...fields.join(',').matchAll(/[^\s<>,;"]+@[^\s<>,;"]+/g)].map((m) => m[0]);
}

/** The signed request for `raw`, with this configuration's secrets. */
export function replayRequest(raw: Buffer, o: Options, config: Readonly<Config>): HttpRequest {
  const c = config.inbound;
  const from = o.from ? { from: o.from } : {};
  switch (o.provider) {
    case 'mailgun':
      return mailgunMimeRequest(raw, {
        key: first(c.mailgun.signingKeys, 'MAILGUN_SIGNING_KEYS', 'mailgun'),
        recipient: o.to.join(','),
        ...(o.from ? { sender: o.from } : {}),
      });
    case 'sendgrid':
      return sendgridRawRequest(raw, {
        auth: first(c.sendgrid.auth, 'SENDGRID_INBOUND_AUTH', 'sendgrid'),
        to: o.to,
        ...from,
      });
    case 'postmark':
      return postmarkRequest(raw, {
        auth: first(c.postmark.auth, 'POSTMARK_INBOUND_AUTH', 'postmark'),
        to: o.to[0] ?? '',
      });
    case 'relay':
      return relayRequest(raw, {
        token: first(c.relay.tokens, 'RELAY_TOKENS', 'relay'),
        to: o.to,
        ...from,
      });
    case 'ses': {
      if (!o.snsKey) throw new UsageError('--provider ses needs --sns-key (see postroom help)');
      const topicArn = first(c.ses.topicArns, 'SES_TOPIC_ARNS', 'ses');
      const keyPem = readFileSync(o.snsKey, 'utf8');
      const message = sesReceivedMessage(raw, {
        recipients: o.to,
        ...(o.from ? { source: o.from } : {}),
      });
      return sesRequest(snsMessage(message, { keyPem, topicArn }));
    }
  }
}

function parse(argv: string[], config: Readonly<Config>) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      provider: { type: 'string' },
      url: { type: 'string' },
      to: { type: 'string', multiple: true },
      from: { type: 'string' },
      'sns-key': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const provider = PROVIDERS.find((p) => p === values.provider);
  if (!provider) throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}`);
  if (positionals.length !== 1) throw new UsageError('give exactly one .eml file');
  const raw = readFileSync(positionals[0]!);
  const to = values.to ?? headerRecipients(raw);
  const url = values.url ?? config.http.publicUrl;
  const options: Options = { provider, url, to, from: values.from, snsKey: values['sns-key'] };
  return { raw, options, dryRun: values['dry-run'] };
}

export async function runReplayCommand(
  argv: string[],
  ctx: { config: Readonly<Config> } & Partial<CommandIo>,
): Promise<number> {
  const out = ctx.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = ctx.err ?? stderr;
  let req: HttpRequest;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv, ctx.config);
    req = replayRequest(parsed.raw, parsed.options, ctx.config);
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_');
    err(`postroom replay: ${(e as Error).message}${usage ? `\n\n${USAGE}` : ''}`);
    return 64;
  }
  const target = new URL(req.path, parsed.options.url);
  if (parsed.dryRun) {
    out(`POST ${target}`);
    for (const [k, v] of Object.entries(req.headers)) out(`${k}: ${v}`);
    out('');
    out(req.body.toString('utf8'));
    return 0;
  }
  try {
    const res = await fetch(target, { method: 'POST', headers: req.headers, body: req.body });
    out(`${res.status} ${await res.text()}`);
    return res.ok ? 0 : 1;
  } catch (e) {
    err(`postroom replay: ${(e as Error).message} (${target})`);
    return 75;
  }
}
