/**
 * Compact HMAC-SHA256 signed tokens for links (unsubscribe, preferences, magic links).
 * Format: base64url(JSON payload) "." base64url(first 16 bytes of the MAC). The purpose is part
 * of the MAC input, so a token minted for one purpose never verifies for another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenPayload {
  /** Expiry, seconds since the epoch. */
  exp?: number;
  [key: string]: unknown;
}

const MAC_BYTES = 16;

function mac(secret: string, purpose: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\0${body}`).digest().subarray(0, MAC_BYTES);
}

export function signToken(secret: string, purpose: string, payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, purpose, body).toString('base64url')}`;
}

export type VerifyResult<T> =
  { ok: true; payload: T } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Checks against every secret so keys can be rotated; `now` is injected for tests. */
export function verifyToken<T extends TokenPayload = TokenPayload>(
  secrets: string | readonly string[],
  purpose: string,
  token: string,
  now: Date = new Date(),
): VerifyResult<T> {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  if (given.length !== MAC_BYTES) return { ok: false, reason: 'malformed' };
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (!list.some((s) => timingSafeEqual(mac(s, purpose, body), given))) {
    return { ok: false, reason: 'bad_signature' };
  }
  let payload: T;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'malformed' };
  if (typeof payload.exp === 'number' && payload.exp * 1000 < now.getTime()) {
    return { ok: false, reason: 'expired' };
  }
  return { ok: true, payload };
}
