/**
 * One-click unsubscribe (RFC 8058): POST /u/:token suppresses the address at once; GET shows a
 * confirmation page (mail scanners follow GET links, so GET alone never unsubscribes).
 */
import { BadRequestError } from '../../lib/errors.js';
import { verifyToken } from '../../lib/signed-token.js';
import { UNSUBSCRIBE_TOKEN_PURPOSE, type UnsubscribeTokenPayload } from '../../outbound/compose.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import type { OutboundMessageRepository, SuppressionRepository } from './ports/index.js';
import type { OutboundSettings } from './settings.js';

export interface UnsubscribeService {
  inspect(token: string): { address: string; scope: 'all' | 'broadcast' };
  unsubscribe(token: string): Promise<{ address: string; scope: 'all' | 'broadcast' }>;
}

export interface UnsubscribeDeps {
  db: Database;
  clock: Clock;
  settings: Pick<OutboundSettings, 'secret'>;
  outboundMessages: Pick<OutboundMessageRepository, 'getMessage' | 'addEvent'>;
  suppressions: Pick<SuppressionRepository, 'addSuppressions'>;
}

/** The token's address, scope and message, or a 400: a forged or stale link unsubscribes nobody. */
function readToken(deps: UnsubscribeDeps, token: string) {
  const r = verifyToken<UnsubscribeTokenPayload>(
    deps.settings.secret,
    UNSUBSCRIBE_TOKEN_PURPOSE,
    token,
    deps.clock.now(),
  );
  if (!r.ok || typeof r.payload.a !== 'string') {
    throw new BadRequestError('invalid_unsubscribe_token', 'This unsubscribe link is not valid');
  }
  return {
    address: r.payload.a,
    scope: r.payload.s === 'all' ? ('all' as const) : ('broadcast' as const),
    messageId: r.payload.m,
  };
}

/** Suppresses the address, and notes it on the message's timeline when the message exists. */
async function unsubscribe(deps: UnsubscribeDeps, token: string) {
  const { address, scope, messageId } = readToken(deps, token);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const source = { sourceMessageId: messageId ?? null, detail: 'one-click unsubscribe' };
    const entry = { address, scope, reason: 'unsubscribe' as const, ...source };
    await deps.suppressions.addSuppressions(tx, [entry], now);
    if (messageId && (await deps.outboundMessages.getMessage(tx, messageId))) {
      const event = { type: 'unsubscribed', reason: address, at: now };
      await deps.outboundMessages.addEvent(tx, messageId, event);
    }
  });
  return { address, scope };
}

export function createUnsubscribeService(deps: UnsubscribeDeps): UnsubscribeService {
  return {
    inspect: (token) => {
      const { address, scope } = readToken(deps, token);
      return { address, scope };
    },
    unsubscribe: (token) => unsubscribe(deps, token),
  };
}
