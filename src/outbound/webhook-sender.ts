/**
 * POSTs a signed webhook. The SSRF guard runs here, at delivery time: the host is resolved, every
 * address is checked, and the connection is pinned to a checked address (so DNS cannot change
 * between the check and the connect).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookUrl, isPrivateAddress } from '../domain/outbound/ssrf.js';

export interface WebhookPostResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** The target is refused by policy: retrying will not help. */
  blocked: boolean;
  durationMs: number;
  /** The response body, cut at RESPONSE_BODY_MAX bytes (an in-band reply is read from it). */
  body: string;
}

/** How much of a response body is kept: enough for an in-band reply, bounded for a hostile one. */
export const RESPONSE_BODY_MAX = 256 * 1024;

type Address = { address: string; family: number };
type Attempt = Omit<WebhookPostResult, 'durationMs'>;

const failed = (error: string, blocked: boolean): Attempt => ({
  ok: false,
  statusCode: null,
  error,
  blocked,
  body: '',
});

export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<WebhookPostResult> {
  const started = Date.now();
  const target = await resolveTarget(rawUrl, opts.allowPrivate);
  const r =
    'pinned' in target ? await post(target.url, target.pinned, headers, body, opts) : target;
  return { ...r, durationMs: Date.now() - started };
}

/** The URL and the one checked address to connect to, or why not to connect at all. */
async function resolveTarget(
  rawUrl: string,
  allowPrivate: boolean,
): Promise<{ url: URL; pinned: Address } | Attempt> {
  const checked = checkWebhookUrl(rawUrl);
  if (!checked.ok) return failed(`refused: ${checked.reason}`, true);
  const url = checked.url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Address[];
  try {
    addresses = await dnsLookup(host, { all: true });
  } catch (err) {
    return failed(`DNS lookup failed: ${(err as Error).message}`, false);
  }
  if (!allowPrivate) {
    const bad =
      addresses.find((a) => isPrivateAddress(a.address)) ??
      (isPrivateAddress(host) ? { address: host } : null);
    if (bad) return failed(`refused: ${bad.address} is a private address`, true);
  }
  return { url, pinned: addresses[0]! };
}

/** One POST to the pinned address; any 2xx is success, everything else a retryable failure. */
function post(
  url: URL,
  pinned: Address,
  headers: Record<string, string>,
  body: string,
  opts: { timeoutMs: number },
): Promise<Attempt> {
  const lookup: LookupFunction = (_h, options, cb) => {
    if ((options as { all?: boolean }).all)
      (cb as unknown as (e: null, a: Address[]) => void)(null, [pinned]);
    else cb(null, pinned.address, pinned.family);
  };
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = mod.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup,
        timeout: opts.timeoutMs,
        // No pooled keep-alive socket: each delivery connects to the address it just checked.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (c: Buffer) => {
          if (kept < RESPONSE_BODY_MAX) chunks.push(c.subarray(0, RESPONSE_BODY_MAX - kept));
          kept += c.length;
        });
        res.on('error', (err) => resolve(failed(err.message, false)));
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          const ok = code >= 200 && code < 300;
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            ok,
            statusCode: code,
            error: ok ? null : `HTTP ${code}`,
            blocked: false,
            body,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    req.on('error', (err) => resolve(failed(err.message, false)));
    req.end(body);
  });
}
