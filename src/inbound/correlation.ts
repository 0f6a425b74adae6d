/**
 * Correlation keys: what an inbound message can be matched with. The reply token from a
 * `reply+<token>@<domain>` (or `team+<token>@`) recipient, and the In-Reply-To / References
 * ids. Looking them up is a service's job; this module only finds them.
 */
import { REPLY_TOKEN_LENGTH } from './reply-token.js';

export interface TokenAddress {
  prefix: 'reply' | 'team';
  token: string;
  address: string;
}

/**
 * Finds tokens in recipient addresses for our inbound domain, envelope recipients first
 * (they survive Bcc and forwarding), then the To/Cc headers. Local parts are compared
 * case-insensitively because some MTAs lower-case them.
 */
export function findTokenAddresses(
  recipients: readonly string[],
  inboundDomain: string,
): TokenAddress[] {
  const domain = inboundDomain.toLowerCase();
  const seen = new Set<string>();
  const out: TokenAddress[] = [];
  for (const r of recipients) {
    const address = r.trim().toLowerCase().replace(/^<|>$/g, '');
    const at = address.lastIndexOf('@');
    if (at < 0 || address.slice(at + 1) !== domain) continue;
    const m = /^(reply|team)\+([a-z2-7]+)$/.exec(address.slice(0, at));
    if (!m || m[2]!.length !== REPLY_TOKEN_LENGTH || seen.has(m[2]!)) continue;
    seen.add(m[2]!);
    out.push({ prefix: m[1] as 'reply' | 'team', token: m[2]!, address });
  }
  return out;
}

/** In-Reply-To first (the direct parent), then References newest first, de-duplicated. */
export function threadIds(inReplyTo: readonly string[], references: readonly string[]): string[] {
  return [...new Set([...inReplyTo, ...[...references].reverse()])].slice(0, 20);
}
