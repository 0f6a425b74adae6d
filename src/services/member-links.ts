/**
 * Signed, expiring links to a member's own dashboard page (add or edit entries for a date, manage
 * unsubscribes) without a password or session. The purpose string keeps these tokens from
 * verifying anywhere else; rotating SECRET_KEY invalidates them all.
 */
import { signToken, verifyToken } from '../lib/signed-token.js';

const PURPOSE = 'dashboard.member';

export interface MemberLinkSettings {
  publicUrl: string;
  secretKey: string;
  ttlDays: number;
}

export function createMemberLinks(settings: MemberLinkSettings) {
  return {
    token(memberId: string, now: Date): string {
      const exp = Math.floor(now.getTime() / 1000) + settings.ttlDays * 86_400;
      return signToken(settings.secretKey, PURPOSE, { m: memberId, exp });
    },
    url(memberId: string, now: Date): string {
      return `${settings.publicUrl}/m/${this.token(memberId, now)}`;
    },
    /** The member id, or why the link does not work. */
    verify(
      token: string,
      now: Date,
    ): { ok: true; memberId: string } | { ok: false; reason: string } {
      const r = verifyToken<{ m?: unknown; exp?: number }>(settings.secretKey, PURPOSE, token, now);
      if (!r.ok) return { ok: false, reason: r.reason };
      if (typeof r.payload.m !== 'string' || typeof r.payload.exp !== 'number')
        return { ok: false, reason: 'malformed' };
      return { ok: true, memberId: r.payload.m };
    },
  };
}

export type MemberLinks = ReturnType<typeof createMemberLinks>;
