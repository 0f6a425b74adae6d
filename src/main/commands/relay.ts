/**
 * `postroom relay`: the MTA side of POST /inbound/relay. Postfix (`pipe`), Exim (`pipe`
 * transport) or a shell script feed one message on stdin; the exit code tells the MTA what to
 * do, in sysexits(3) terms:
 *   0   stored (or a duplicate of a stored message)
 *   75  EX_TEMPFAIL: a 5xx answer, a network error or a timeout; the MTA keeps the message and retries
 *   69  EX_UNAVAILABLE: a 4xx answer (bad token, too large, malformed); the MTA bounces it
 *   64  EX_USAGE: bad arguments, or no URL/token configured
 *
 *   postroom relay [--url URL] [--token TOKEN] [--sender ADDR] [--recipient ADDR]... [--timeout SECONDS]
 *
 * URL defaults to RELAY_URL, then PUBLIC_URL + /inbound/relay; the token to the first of RELAY_TOKENS.
 */
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { CommandContext } from './context.js';

export const EX_OK = 0;
export const EX_USAGE = 64;
export const EX_UNAVAILABLE = 69;
export const EX_TEMPFAIL = 75;

export interface RelayIo {
  stdin: Readable;
  err: (line: string) => void;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}

export async function runRelayCommand(
  argv: string[],
  ctx: Pick<CommandContext, 'config'>,
  io: RelayIo = { stdin: process.stdin, err: (l) => process.stderr.write(`${l}\n`) },
): Promise<number> {
  let values: {
    url?: string;
    token?: string;
    sender?: string;
    recipient?: string[];
    timeout?: string;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        sender: { type: 'string' },
        recipient: { type: 'string', multiple: true },
        timeout: { type: 'string' },
      },
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`postroom relay: ${(err as Error).message}`);
    return EX_USAGE;
  }
  const url =
    values.url ?? ctx.config.inbound.relay.url ?? `${ctx.config.http.publicUrl}/inbound/relay`;
  const token = values.token ?? ctx.config.inbound.relay.tokens[0];
  if (!token) {
    io.err('postroom relay: no token (pass --token or set RELAY_TOKENS)');
    return EX_USAGE;
  }
  const timeoutMs = Math.max(1, Number(values.timeout ?? 60)) * 1000;
  const raw = await readAll(io.stdin);
  if (raw.length === 0) {
    io.err('postroom relay: empty message on stdin');
    return EX_UNAVAILABLE;
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'message/rfc822',
        authorization: `Bearer ${token}`,
        ...(values.sender !== undefined ? { 'x-envelope-from': values.sender } : {}),
        ...(values.recipient?.length ? { 'x-envelope-to': values.recipient.join(',') } : {}),
      },
      body: raw,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.ok) return EX_OK;
    const detail = text.slice(0, 300).replace(/\s+/g, ' ');
    if (res.status >= 500) {
      io.err(`postroom relay: 4.0.0 temporary failure, HTTP ${res.status}: ${detail}`);
      return EX_TEMPFAIL;
    }
    io.err(`postroom relay: 5.0.0 rejected, HTTP ${res.status}: ${detail}`);
    return EX_UNAVAILABLE;
  } catch (err) {
    io.err(`postroom relay: 4.4.2 ${(err as Error).message}`);
    return EX_TEMPFAIL;
  }
}
