/**
 * The clients of the fault suite: the API as an application uses it (batches, and single sends
 * retried with the same Idempotency-Key until a 202), and inbound mail as an MTA relays it
 * (retried until a 2xx). Every answer is counted by status, so an outage shows what callers saw.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export type Codes = Record<string, number>;

/** Where an answer is counted: a fixed map, or the map of the phase the run is in. */
export type CodeSink = Codes | (() => Codes);

function note(codes: CodeSink, what: string): void {
  const c = typeof codes === 'function' ? codes() : codes;
  c[what] = (c[what] ?? 0) + 1;
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
  codes: CodeSink,
): Promise<{ status: number; body: unknown }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(20_000),
    });
    note(codes, String(res.status));
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  } catch (err) {
    note(codes, (err as Error).name === 'TimeoutError' ? 'timeout' : 'no connection');
    return { status: 0, body: null };
  }
}

export interface MessageSpec {
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  text: string;
}

/** POST /v1/messages/batch in slices, round-robin over the web processes; returns accepted ids. */
export async function sendBatches(
  bases: readonly string[],
  key: string,
  messages: readonly MessageSpec[],
  slice: number,
  codes: Codes,
): Promise<number> {
  let accepted = 0;
  for (let i = 0, n = 0; i < messages.length; i += slice, n++) {
    const body = JSON.stringify({ messages: messages.slice(i, i + slice) });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    for (;;) {
      const res = await post(`${bases[n % bases.length]}/v1/messages/batch`, headers, body, codes);
      if (res.status === 202) {
        accepted += (res.body as { accepted: unknown[] }).accepted.length;
        break;
      }
      await sleep(500);
    }
  }
  return accepted;
}

/** POSTs `body` every second until `ok(status)` (or the deadline); true once it was. */
async function postUntil(
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
  ok: (status: number) => boolean,
  codes: CodeSink,
  deadline: number,
): Promise<boolean> {
  while (Date.now() < deadline) {
    if (ok((await post(url, headers, body, codes)).status)) return true;
    await sleep(1000);
  }
  return false;
}

/** One message, retried with its Idempotency-Key until it is accepted (or the deadline). */
export function sendUntilAccepted(
  base: string,
  key: string,
  message: MessageSpec,
  idempotencyKey: string,
  codes: CodeSink,
  deadline: number,
): Promise<boolean> {
  const headers = {
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
    'idempotency-key': idempotencyKey,
  };
  const body = JSON.stringify(message);
  return postUntil(`${base}/v1/messages`, headers, body, (s) => s === 202, codes, deadline);
}

/** One inbound message to /inbound/relay, retried as an MTA retries until a 2xx (or the deadline). */
export function relayUntilAccepted(
  base: string,
  token: string,
  raw: Buffer,
  codes: CodeSink,
  deadline: number,
): Promise<boolean> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' };
  const is2xx = (s: number) => s >= 200 && s < 300;
  return postUntil(`${base}/inbound/relay`, headers, raw, is2xx, codes, deadline);
}

/** A small inbound message with its own Message-ID, as a mail server would relay it. */
export function inboundMail(n: number, domain: string): Buffer {
  return Buffer.from(
    [
      `From: Sender ${n} <sender${n}@example.net>`,
      `To: support@${domain}`,
      `Subject: chaos inbound ${n}`,
      `Message-ID: <chaos-in-${n}@example.net>`,
      `Date: ${new Date().toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Inbound message number ${n}.`,
      '',
    ].join('\r\n'),
  );
}
