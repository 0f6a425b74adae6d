/**
 * A local webhook receiver for the tests, and a Standard Webhooks verifier written from the
 * spec text (standardwebhooks.com), sharing no code with src/outbound/standard-webhooks.ts: a
 * test that verifies with it proves the signature, not our own implementation agreeing with
 * itself.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export function verifyStandardWebhook(
  secret: string,
  headers: http.IncomingHttpHeaders,
  body: string,
  nowSeconds: number,
): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const ts = String(headers['webhook-timestamp'] ?? '');
  const sigs = String(headers['webhook-signature'] ?? '').split(' ');
  if (!id || !/^\d+$/.test(ts) || Math.abs(nowSeconds - Number(ts)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return sigs.some((s) => {
    const [version, b64] = s.split(',');
    if (version !== 'v1' || !b64) return false;
    const got = Buffer.from(b64, 'base64');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

export interface Hit {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Answer {
  status: number;
  body?: string;
}

export interface Receiver {
  hits: Hit[];
  url: string;
  close(): Promise<void>;
}

/** Answers the n-th request with `answers[n]` (then 200), recording every request. */
export async function startReceiver(
  answers: ReadonlyArray<number | Answer> = [],
): Promise<Receiver> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const a = answers[hits.length] ?? 200;
      const answer = typeof a === 'number' ? { status: a } : a;
      hits.push({ headers: req.headers, body, status: answer.status });
      res.statusCode = answer.status;
      if (answer.body !== undefined) res.setHeader('content-type', 'application/json');
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    hits,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
