/**
 * Reply tokens: the `<token>` in `reply+<token>@<INBOUND_DOMAIN>` (and `team+<token>@`).
 *
 * A token names what a reply belongs to (a prompt, a message or a team), expires, and is
 * HMAC-signed together with the address it was sent to and, optionally, the member: a token
 * only verifies for mail From that address. It must fit a 64-octet local part after `reply+`
 * and survive MTAs that lower-case local parts, so it is binary packed and base32 (lower-case):
 *
 *   byte 0      version (high 3 bits) | kind (2 bits) | member-bound flag (1 bit)
 *   bytes 1–16  the id (a UUID)
 *   bytes 17–20 expiry, whole minutes since the epoch (big-endian)
 *   bytes 21–23 the first 3 bytes of SHA-256(lower-cased address), so a wrong sender can be
 *               told from a forged token
 *   bytes 24–33 HMAC-SHA256(secret, label ‖ bytes 0–23 ‖ address ‖ member id), truncated to 80 bits
 *
 * 34 bytes → 55 characters. No database row is needed to verify a token.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { base32Decode, base32Encode } from './base32.js';

export type ReplyTokenKind = 'prompt' | 'message' | 'team';

export interface ReplyTokenClaims {
  kind: ReplyTokenKind;
  /** UUID of the prompt, outbound message or team. */
  id: string;
  memberId?: string;
  /** The address the token was sent to; replies must come From it. */
  email: string;
  /** Expiry as a Date or seconds since the epoch (rounded up to the minute). */
  exp: Date | number;
}

export interface DecodedReplyToken {
  kind: ReplyTokenKind;
  id: string;
  exp: Date;
  /** True when the token was minted with a memberId, which verification then needs. */
  memberBound: boolean;
}

export type VerifyReplyTokenResult =
  | { ok: true; claims: DecodedReplyToken & { email: string; memberId?: string } }
  | {
      ok: false;
      reason: 'malformed' | 'sender_mismatch' | 'bad_signature' | 'expired' | 'member_required';
      decoded?: DecodedReplyToken;
    };

const VERSION = 1;
const KINDS: ReplyTokenKind[] = ['prompt', 'message', 'team'];
const LABEL = 'postroom.reply-token.v1\0';
const BODY = 24;
const MAC = 10;
export const REPLY_TOKEN_LENGTH = 55;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function emailTag(email: string): Buffer {
  return createHash('sha256').update(email.trim().toLowerCase()).digest().subarray(0, 3);
}

function mac(secret: string, body: Buffer, email: string, memberId: string | undefined): Buffer {
  return createHmac('sha256', secret)
    .update(LABEL)
    .update(body)
    .update(`${email.trim().toLowerCase()}\0${memberId?.toLowerCase() ?? ''}`)
    .digest()
    .subarray(0, MAC);
}

export function createReplyToken(secret: string, claims: ReplyTokenClaims): string {
  if (!UUID_RE.test(claims.id)) throw new TypeError('reply token id must be a UUID');
  const kind = KINDS.indexOf(claims.kind);
  if (kind < 0) throw new TypeError(`unknown reply token kind: ${String(claims.kind)}`);
  const expSeconds = claims.exp instanceof Date ? claims.exp.getTime() / 1000 : claims.exp;
  const body = Buffer.alloc(BODY);
  body[0] = (VERSION << 5) | (kind << 3) | (claims.memberId ? 1 << 2 : 0);
  Buffer.from(claims.id.replace(/-/g, ''), 'hex').copy(body, 1);
  body.writeUInt32BE(Math.ceil(expSeconds / 60), 17);
  emailTag(claims.email).copy(body, 21);
  return base32Encode(Buffer.concat([body, mac(secret, body, claims.email, claims.memberId)]));
}

/** Reads a token's claims WITHOUT checking it: only for choosing who can verify it. */
export function decodeReplyToken(token: string): DecodedReplyToken | null {
  if (token.length !== REPLY_TOKEN_LENGTH) return null;
  const bytes = base32Decode(token);
  if (!bytes || bytes.length !== BODY + MAC) return null;
  const head = bytes[0]!;
  if (head >> 5 !== VERSION) return null;
  const kind = KINDS[(head >> 3) & 3];
  if (!kind) return null;
  const hex = bytes.subarray(1, 17).toString('hex');
  return {
    kind,
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    exp: new Date(bytes.readUInt32BE(17) * 60_000),
    memberBound: (head & 4) !== 0,
  };
}

/**
 * Verifies `token` for mail from `email`. Secrets are a list so keys can rotate. The order of
 * checks matters: a sender mismatch is reported before the MAC (which needs the right address),
 * and expiry only after the MAC, so an expired verdict is never given to a forged token.
 */
export function verifyReplyToken(
  secrets: string | readonly string[],
  token: string,
  expect: { email: string; memberId?: string; now?: Date },
): VerifyReplyTokenResult {
  const decoded = decodeReplyToken(token.toLowerCase());
  if (!decoded) return { ok: false, reason: 'malformed' };
  const bytes = base32Decode(token)!;
  const body = bytes.subarray(0, BODY);
  if (!timingSafeEqual(body.subarray(21, 24), emailTag(expect.email))) {
    return { ok: false, reason: 'sender_mismatch', decoded };
  }
  if (decoded.memberBound && !expect.memberId)
    return { ok: false, reason: 'member_required', decoded };
  const memberId = decoded.memberBound ? expect.memberId : undefined;
  const given = bytes.subarray(BODY);
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (!list.some((s) => timingSafeEqual(mac(s, body, expect.email, memberId), given))) {
    return { ok: false, reason: 'bad_signature', decoded };
  }
  if (decoded.exp.getTime() <= (expect.now ?? new Date()).getTime()) {
    return { ok: false, reason: 'expired', decoded };
  }
  return {
    ok: true,
    claims: {
      ...decoded,
      email: expect.email.trim().toLowerCase(),
      ...(memberId ? { memberId } : {}),
    },
  };
}
