/**
 * Credential checks shared by the adapters. Every comparison is constant-time over equal-length
 * digests, and every secret is a list so it can be rotated without dropping mail.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../lib/errors.js';
import { header, type HttpHeaders } from './types.js';

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time equality that does not leak the length of the secret. */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export function matchesAny(given: string, secrets: readonly string[]): boolean {
  let ok = false;
  for (const s of secrets) ok = safeEqual(given, s) || ok;
  return ok;
}

/** `Authorization: Basic …` against `user:password` pairs. */
export function basicAuthOk(headers: HttpHeaders, pairs: readonly string[]): boolean {
  const auth = header(headers, 'authorization') ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
  if (!m) return false;
  return matchesAny(Buffer.from(m[1]!, 'base64').toString('utf8'), pairs);
}

export function bearerOk(headers: HttpHeaders, tokens: readonly string[]): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
  return m ? matchesAny(m[1]!, tokens) : false;
}

export function hmacHex(key: string, data: string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/** The error every adapter throws for a failed check; the status is the provider's "stop". */
export class WebhookAuthError extends AppError {
  constructor(status: number, code: string, message: string) {
    super(status, code, message);
  }
}

/** Optional IP allowlist: exact addresses or IPv4 CIDR blocks. */
export function ipAllowed(ip: string | undefined, allow: readonly string[]): boolean {
  if (allow.length === 0) return true;
  if (!ip) return false;
  const addr = ip.replace(/^::ffff:/, '');
  return allow.some((entry) => {
    const [net, bitsText] = entry.split('/');
    if (bitsText === undefined) return net === addr;
    const bits = Number(bitsText);
    const toInt = (v: string): number | null => {
      const p = v.split('.').map(Number);
      return p.length === 4 && p.every((n) => Number.isInteger(n) && n >= 0 && n < 256)
        ? ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0
        : null;
    };
    const a = toInt(addr);
    const n = toInt(net!);
    if (a === null || n === null || !(bits >= 0 && bits <= 32)) return false;
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return (a & mask) === (n & mask);
  });
}
