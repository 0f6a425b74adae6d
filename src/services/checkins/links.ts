/**
 * Signed links and addresses for check-in mail: the reply address (issue 5's reply token), the
 * preferences page and the RFC 8058 one-click unsubscribe per kind. No row is needed to check one.
 */
import { createReplyToken } from '../../inbound/reply-token.js';
import { signToken, verifyToken } from '../../lib/signed-token.js';
import type { UnsubscribeKind } from './ports.js';
import type { CheckinsSettings } from './settings.js';

const PREFERENCES = 'checkins.preferences';
const UNSUBSCRIBE = 'checkins.unsubscribe';
const YEAR_S = 365 * 86_400;

export interface LinkPayload {
  [key: string]: unknown;
  m: string;
  k?: UnsubscribeKind;
}

export function createLinks(settings: CheckinsSettings) {
  const exp = (now: Date, seconds: number) => Math.floor(now.getTime() / 1000) + seconds;
  return {
    replyAddress(
      kind: 'prompt' | 'team',
      id: string,
      memberId: string,
      email: string,
      now: Date,
    ): string {
      const token = createReplyToken(settings.secret, {
        kind,
        id,
        memberId,
        email,
        exp: exp(now, settings.replyTokenDays * 86_400),
      });
      return `${kind === 'prompt' ? 'reply' : 'team'}+${token}@${settings.inboundDomain}`;
    },
    /** The day in the dashboard's archive, where a shortened digest sends its readers. */
    archiveUrl(teamId: string, date: string): string {
      return `${settings.publicUrl}/teams/${teamId}/archive/${date}`;
    },
    preferencesUrl(memberId: string, now: Date): string {
      return `${settings.publicUrl}/preferences?token=${signToken(settings.secret, PREFERENCES, { m: memberId, exp: exp(now, YEAR_S) })}`;
    },
    unsubscribeUrl(memberId: string, kind: UnsubscribeKind, now: Date): string {
      const token = signToken(settings.secret, UNSUBSCRIBE, {
        m: memberId,
        k: kind,
        exp: exp(now, YEAR_S),
      });
      return `${settings.publicUrl}/preferences/unsubscribe?token=${token}`;
    },
    verifyPreferences(token: string, now: Date): LinkPayload | null {
      const r = verifyToken<LinkPayload>(settings.secret, PREFERENCES, token, now);
      return r.ok && typeof r.payload.m === 'string' ? r.payload : null;
    },
    verifyUnsubscribe(token: string, now: Date): LinkPayload | null {
      const r = verifyToken<LinkPayload>(settings.secret, UNSUBSCRIBE, token, now);
      return r.ok &&
        typeof r.payload.m === 'string' &&
        ['prompt', 'reminder', 'digest'].includes(String(r.payload.k))
        ? r.payload
        : null;
    },
  };
}

export type Links = ReturnType<typeof createLinks>;
