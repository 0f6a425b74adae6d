/**
 * One HTTP(S) request to a URL that came from outside, through the SSRF guard: every address
 * the host resolves to is checked by lib/net/address-policy.ts inside the socket's own
 * `lookup`, at connect time, and the socket's remote address is checked again once connected.
 * So the address checked is the address connected to: DNS rebinding (public when the URL was
 * registered, 127.0.0.1 now) and IP literals in any notation fail the same way.
 *
 * Redirects are never followed (a 3xx is returned as it is; callers treat it as a failure), the
 * response body is capped, and each request opens its own connection (no pooled socket that
 * was checked against an older answer).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { addressVerdict } from './address-policy.js';

/** The target's address is refused by policy: retrying will not help. */
export class AddressBlockedError extends Error {
  readonly code = 'ADDRESS_BLOCKED';
}

/** Resolves a name to all its addresses (dns.lookup by default; tests inject their own DNS). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface GuardedRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  /** Larger responses fail (the connection is dropped), or with `truncate` end there. */
  maxResponseBytes: number;
  truncate?: boolean;
  /** Skip the address policy (WEBHOOK_ALLOW_PRIVATE, an operator-configured S3 endpoint). */
  allowPrivate?: boolean;
  resolve?: Resolver;
}

export interface GuardedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

function checked(address: string): void {
  const verdict = addressVerdict(address);
  if (!verdict.ok) throw new AddressBlockedError(`refused: ${verdict.reason}`);
}

/** A socket `lookup` that resolves, refuses the whole name if any address is private, and pins. */
export function guardedLookup(resolve: Resolver, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const all = (options as { all?: boolean }).all === true;
    resolve(hostname)
      .then((addresses) => {
        if (addresses.length === 0) throw new Error(`${hostname} has no address`);
        if (!allowPrivate) addresses.forEach((a) => checked(a.address));
        if (all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, '', 0));
  };
}

/** The socket's peer, once connected: the last word on what was connected to. */
function verifyPeer(socket: Socket, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const onConnect = () => {
    try {
      checked(socket.remoteAddress ?? '');
    } catch (err) {
      socket.destroy(err as Error);
    }
  };
  if (socket.connecting) socket.once('connect', onConnect);
  else onConnect();
}

export function guardedRequest(rawUrl: string, opts: GuardedRequest): Promise<GuardedResponse> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(new AddressBlockedError(`refused: ${url.protocol} is not http(s)`));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowPrivate = opts.allowPrivate === true;
  // An IP literal skips `lookup` inside net.connect, so it is checked here first.
  if (isIP(host) && !allowPrivate) {
    try {
      checked(host);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }
  const mod = url.protocol === 'https:' ? https : http;
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method: opts.method ?? 'GET',
      headers: { ...opts.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      lookup: guardedLookup(opts.resolve ?? systemResolver, allowPrivate),
      timeout: opts.timeoutMs,
      agent: false,
    });
    req.on('socket', (socket) => verifyPeer(socket, allowPrivate));
    req.on('timeout', () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      const done = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      res.on('data', (c: Buffer) => {
        if (over) return;
        size += c.length;
        if (size <= opts.maxResponseBytes) return void chunks.push(c);
        over = true;
        if (opts.truncate) {
          chunks.push(c.subarray(0, opts.maxResponseBytes - (size - c.length)));
          done();
        } else reject(new Error(`response is larger than ${opts.maxResponseBytes} bytes`));
        req.destroy();
      });
      res.on('end', () => {
        if (!over) done();
      });
      res.on('error', reject);
    });
    req.end(body);
  });
}
