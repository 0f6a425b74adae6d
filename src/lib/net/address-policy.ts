/**
 * Which addresses Postroom may connect to when a URL comes from outside (webhook endpoints,
 * SNS subscription and certificate URLs, S3 objects): public unicast only. The check is applied
 * to the address actually connected to (lib/net/guarded-request.ts), so a name that resolves to
 * a public address when registered and to 127.0.0.1 later (DNS rebinding) still fails.
 *
 * IPv6 forms that embed an IPv4 address are judged by that address: IPv4-mapped
 * (`::ffff:127.0.0.1`, `::ffff:7f00:1`), SIIT (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::/96`) and
 * 6to4 (`2002:AABB:CCDD::`). IPv4-compatible (`::a.b.c.d`, deprecated), Teredo, NAT64
 * local-use and everything outside 2000::/3 are refused outright.
 */
import ipaddr from 'ipaddr.js';

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

const ok: AddressVerdict = { ok: true };
const refuse = (reason: string): AddressVerdict => ({ ok: false, reason });
const blocked = (ip: ipaddr.IPv4 | ipaddr.IPv6, range: string) =>
  refuse(`${ip.toString()} is a private address (${range})`);

function v4Verdict(ip: ipaddr.IPv4): AddressVerdict {
  const range = ip.range();
  return range === 'unicast' ? ok : blocked(ip, range);
}

const embedded = (a: number, b: number) => new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]);

function v6Verdict(ip: ipaddr.IPv6): AddressVerdict {
  const p = ip.parts;
  const range = ip.range();
  const via = (v4: ipaddr.IPv4, kind: string): AddressVerdict => {
    const inner = v4Verdict(v4);
    return inner.ok ? ok : refuse(`${ip.toString()} embeds one (${kind}): ${inner.reason}`);
  };
  if (range === 'ipv4Mapped' || range === 'rfc6145') return via(embedded(p[6]!, p[7]!), range);
  if (range === 'rfc6052') {
    // 64:ff9b::/96 embeds an IPv4 address; 64:ff9b:1::/48 is a local-use NAT64 prefix.
    return p[2] === 0 ? via(embedded(p[6]!, p[7]!), 'NAT64') : blocked(ip, 'local-use NAT64');
  }
  if (range === '6to4') return via(embedded(p[1]!, p[2]!), '6to4');
  if (p.slice(0, 6).every((x) => x === 0)) return blocked(ip, `${range}, IPv4-compatible`);
  if (range !== 'unicast') return blocked(ip, range);
  // Global unicast is 2000::/3; the rest of "unicast" is unassigned or special.
  return (p[0]! & 0xe000) === 0x2000 ? ok : blocked(ip, 'not global unicast');
}

/** Whether an IP address (v4 or v6, any notation ipaddr.js reads) may be connected to. */
export function addressVerdict(address: string): AddressVerdict {
  const host = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(host)) return refuse(`${address} is not an IP address`);
  const ip = ipaddr.parse(host);
  return ip.kind() === 'ipv4' ? v4Verdict(ip as ipaddr.IPv4) : v6Verdict(ip as ipaddr.IPv6);
}

/** Names that never leave the machine or the private network, refused before any lookup. */
const PRIVATE_NAMES = /^(localhost|.*\.localhost|.*\.local|.*\.internal|.*\.home\.arpa)\.?$/i;

/**
 * Whether a host (an IP literal, bracketed or not, or a name) is refused as it stands. A name
 * that is not refused here is still checked on every address it resolves to, at connect time.
 */
export function isPrivateAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(bare)) return !addressVerdict(bare).ok;
  return PRIVATE_NAMES.test(bare) || !bare.includes('.');
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** An absolute http(s) URL without credentials in it. */
export function checkWebhookUrl(raw: string): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'only http and https are allowed' };
  if (url.username || url.password)
    return { ok: false, reason: 'credentials in the URL are not allowed' };
  return { ok: true, url };
}
