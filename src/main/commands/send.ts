/**
 * `postroom send --to a@b --subject … --text …|--text-file F|--html-file F [--from …] [--wait S]`
 * sends a test message through the running instance: it is accepted into the database the
 * server uses (the outbound engine's own sendMessage, so validation, suppressions and the
 * message log are the API's), then a worker sends it. With no worker alive the command sends
 * it itself, through the configured transport (SMTP, or the outbox when SMTP_URL is unset).
 * It prints the id and the state the message settled in:
 *   0 sent (or delivered)   1 refused, failed, suppressed, …   75 still waiting (deferred, timeout)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../lib/errors.js';
import type { OutboundStatus } from '../../domain/state/outbound-message.js';
import type { Container } from '../container.js';
import type { CommandContext } from './context.js';
import { outboundOf, stderr, type CommandIo } from './features.js';

const USAGE = `Usage:
  postroom send --to <address> [--to …] --subject <text> (--text <text> | --text-file <f> | --html-file <f>)
                [--from <address>] [--wait <seconds>]`;

export type SendContext = Pick<CommandContext, 'withContainer'> & Partial<CommandIo>;

const IN_FLIGHT: readonly OutboundStatus[] = ['queued', 'sending', 'scheduled'];

interface Args {
  to: string[];
  subject: string;
  from?: string | undefined;
  text?: string | undefined;
  html?: string | undefined;
  waitSeconds: number;
}

function parse(argv: string[]): Args | string {
  const { values } = parseArgs({
    args: argv,
    options: {
      to: { type: 'string', multiple: true },
      subject: { type: 'string' },
      from: { type: 'string' },
      text: { type: 'string' },
      'text-file': { type: 'string' },
      'html-file': { type: 'string' },
      wait: { type: 'string', default: '30' },
    },
  });
  const text = values.text ?? (values['text-file'] && readFileSync(values['text-file'], 'utf8'));
  const html = values['html-file'] && readFileSync(values['html-file'], 'utf8');
  const waitSeconds = Number(values.wait);
  if (!values.to?.length) return 'postroom send needs --to';
  if (!values.subject) return 'postroom send needs --subject';
  if (!text && !html) return 'postroom send needs --text, --text-file or --html-file';
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) return '--wait must be a number of seconds';
  return { to: values.to, subject: values.subject, from: values.from, text, html, waitSeconds };
}

/** Waits for the message to leave queued/sending; sends it here when no worker is alive. */
async function settle(c: Container, id: string, waitSeconds: number) {
  const outbound = outboundOf(c).services.all;
  const workers = (await c.operations.services.processes()).filter(
    (p) => p.alive && p.roles.includes('worker'),
  );
  if (workers.length === 0) await outbound.deliver.processSend([id]);
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const { message } = await outbound.messages.get(id);
    if (!IN_FLIGHT.includes(message.status) || Date.now() >= deadline) return message;
    await sleep(200);
  }
}

export async function runSendCommand(argv: string[], ctx: SendContext): Promise<number> {
  const out = ctx.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = ctx.err ?? stderr;
  let args: Args | string;
  try {
    args = parse(argv);
  } catch (e) {
    args = (e as Error).message;
  }
  if (typeof args === 'string') {
    err(`${args}\n\n${USAGE}`);
    return 2;
  }
  const a = args;
  try {
    return await ctx.withContainer(async (c) => {
      const sent = await outboundOf(c).services.sendMessage({
        ...(a.from ? { from: a.from } : {}),
        to: a.to,
        subject: a.subject,
        ...(a.text ? { text: a.text } : {}),
        ...(a.html ? { html: a.html } : {}),
        tags: ['cli'],
        metadata: { source: 'postroom send' },
      });
      out(`id: ${sent.id}`);
      const m = await settle(c, sent.id, a.waitSeconds);
      const detail = m.lastError ?? (m.lastSmtpCode ? `SMTP ${m.lastSmtpCode}` : '');
      out(`status: ${m.status}${detail ? ` (${detail})` : ''}`);
      if (m.status === 'sent' || m.status === 'delivered') return 0;
      return m.status === 'deferred' || IN_FLIGHT.includes(m.status) ? 75 : 1;
    });
  } catch (e) {
    if (!(e instanceof AppError) || e.status >= 500) throw e;
    err(`postroom send: ${e.message}${e.details ? ` ${JSON.stringify(e.details)}` : ''}`);
    return 1;
  }
}
