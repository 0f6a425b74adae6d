/**
 * One-click unsubscribe (RFC 8058): POST /u/:token suppresses the address at once; GET shows a
 * confirmation page (mail scanners follow GET links, so GET alone never unsubscribes).
 */
import { BadRequestError } from '../../lib/errors.js';
import { verifyToken } from '../../lib/signed-token.js';
import { UNSUBSCRIBE_TOKEN_PURPOSE, type UnsubscribeTokenPayload } from '../../outbound/compose.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import type { OutboundMessageRepository, SuppressionRepository } from './ports.js';
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

export function createUnsubscribeService(deps: UnsubscribeDeps): UnsubscribeService {
  const { db, outboundMessages, suppressions, clock, settings } = deps;
  const inspect = (token: string) => {
    const r = verifyToken<UnsubscribeTokenPayload>(
      settings.secret,
      UNSUBSCRIBE_TOKEN_PURPOSE,
      token,
      clock.now(),
    );
    if (!r.ok || typeof r.payload.a !== 'string') {
      throw new BadRequestError('invalid_unsubscribe_token', 'This unsubscribe link is not valid');
    }
    return {
      address: r.payload.a,
      scope: r.payload.s === 'all' ? ('all' as const) : ('broadcast' as const),
      messageId: r.payload.m,
    };
  };
  return {
    inspect: (token) => {
      const { address, scope } = inspect(token);
      return { address, scope };
    },
    async unsubscribe(token) {
      const { address, scope, messageId } = inspect(token);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await suppressions.addSuppressions(
          tx,
          [
            {
              address,
              scope,
              reason: 'unsubscribe',
              sourceMessageId: messageId ?? null,
              detail: 'one-click unsubscribe',
            },
          ],
          now,
        );
        if (messageId && (await outboundMessages.getMessage(tx, messageId))) {
          await outboundMessages.addEvent(tx, messageId, {
            type: 'unsubscribed',
            reason: address,
            at: now,
          });
        }
      });
      return { address, scope };
    },
  };
}
