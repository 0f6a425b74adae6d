/**
 * SSRF guard for outgoing webhooks: which URLs and resolved addresses we refuse to call.
 * Checked when a webhook is registered and again at delivery, against the addresses the host
 * resolves to at that moment (DNS can change between the two).
 */

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

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

/** Loopback, private, link-local, unique-local, CGNAT, multicast, unspecified, reserved. */
export function isPrivateAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, '');
  const kind = /^\d{1,3}(\.\d{1,3}){3}$/.test(host)
    ? 4
    : /^[0-9a-f:.]+$/i.test(host) && host.includes(':')
      ? 6
      : 0;
  if (kind === 4) return isPrivateV4(host);
  if (kind === 6) {
    const lower = host.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return isPrivateV4(mapped[1]!);
    if (lower === '::' || lower === '::1') return true;
    const first = parseInt(lower.split(':')[0] || '0', 16);
    if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
    if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link local
    if ((first & 0xff00) === 0xff00) return true; // multicast
    if (lower.startsWith('64:ff9b:') || lower.startsWith('2001:db8:')) return true;
    return false;
  }
  // A name: "localhost" and friends never leave the machine.
  return /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host);
}

function isPrivateV4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number, number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}
