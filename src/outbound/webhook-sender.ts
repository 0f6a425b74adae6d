/**
 * POSTs a signed webhook through the SSRF guard (lib/net/guarded-request.ts): the address is
 * checked when the socket connects, so a name that now resolves to a private address fails,
 * whatever it resolved to when the endpoint was registered. Redirects are not followed.
 */
import { checkWebhookUrl } from '../lib/net/address-policy.js';
import { AddressBlockedError, guardedRequest, type Resolver } from '../lib/net/guarded-request.js';

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
  opts: { timeoutMs: number; allowPrivate: boolean; resolve?: Resolver },
): Promise<WebhookPostResult> {
  const started = Date.now();
  const r = await attempt(rawUrl, headers, body, opts);
  return { ...r, durationMs: Date.now() - started };
}

/** One POST; any 2xx is success, a refused address is final, everything else retryable. */
async function attempt(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  opts: { timeoutMs: number; allowPrivate: boolean; resolve?: Resolver },
): Promise<Attempt> {
  const checked = checkWebhookUrl(rawUrl);
  if (!checked.ok) return failed(`refused: ${checked.reason}`, true);
  try {
    const res = await guardedRequest(checked.url.toString(), {
      method: 'POST',
      headers,
      body,
      timeoutMs: opts.timeoutMs,
      maxResponseBytes: RESPONSE_BODY_MAX,
      truncate: true,
      allowPrivate: opts.allowPrivate,
      ...(opts.resolve ? { resolve: opts.resolve } : {}),
    });
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok,
      statusCode: res.status,
      error: ok ? null : `HTTP ${res.status}`,
      blocked: false,
      body: res.body.toString('utf8'),
    };
  } catch (err) {
    if (err instanceof AddressBlockedError) return failed(err.message, true);
    return failed((err as Error).message, false);
  }
}
