/**
 * Signed, expiring URLs for what an `inbound.received` payload points at: each attachment
 * (GET /v1/inbound/:id/attachments/:n) and, for a thin payload, the full JSON
 * (GET /v1/inbound/:id/payload). The token names the inbound email (and the attachment), so it
 * opens that one resource and nothing else; the same routes also take an API key.
 */
import { signToken, verifyToken } from '../../lib/signed-token.js';

const ATTACHMENT = 'inbound.attachment';
const PAYLOAD = 'inbound.payload';

export interface InboundUrlSettings {
  publicUrl: string;
  /** The first signs; all verify (SECRET_KEY rotation). */
  secrets: readonly string[];
  ttlSeconds: number;
}

export interface InboundUrls {
  attachment(inboundEmailId: string, n: number, now: Date): string;
  payload(inboundEmailId: string, now: Date): string;
  /** Whether `token` opens this attachment (n given) or this payload (n null). */
  verify(token: string, inboundEmailId: string, n: number | null, now: Date): boolean;
}

export function createInboundUrls(s: InboundUrlSettings): InboundUrls {
  const base = s.publicUrl.replace(/\/+$/, '');
  const exp = (now: Date) => Math.floor(now.getTime() / 1000) + s.ttlSeconds;
  return {
    attachment(id, n, now) {
      const token = signToken(s.secrets[0]!, ATTACHMENT, { i: id, n, exp: exp(now) });
      return `${base}/v1/inbound/${id}/attachments/${n}?token=${token}`;
    },
    payload(id, now) {
      const token = signToken(s.secrets[0]!, PAYLOAD, { i: id, exp: exp(now) });
      return `${base}/v1/inbound/${id}/payload?token=${token}`;
    },
    verify(token, id, n, now) {
      const r = verifyToken(s.secrets, n === null ? PAYLOAD : ATTACHMENT, token, now);
      return r.ok && r.payload.i === id && (n === null || r.payload.n === n);
    },
  };
}
