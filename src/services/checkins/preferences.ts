/**
 * The signed preferences page and RFC 8058 one-click unsubscribe, per kind (prompt, reminder,
 * digest). Links carry a signed member id, so no login is needed and nothing is guessable.
 */
import { UnauthorizedError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import type { Links } from './links.js';
import type { CheckinsStore, UnsubscribeKind } from './ports.js';

export const UNSUBSCRIBE_KINDS: readonly UnsubscribeKind[] = ['prompt', 'reminder', 'digest'];

export function createPreferencesService(deps: {
  db: Database;
  store: CheckinsStore;
  links: Links;
  clock: Clock;
}) {
  const { db, store, links, clock } = deps;

  function memberIdFrom(token: string): string {
    const p = links.verifyPreferences(token, clock.now());
    if (!p)
      throw new UnauthorizedError(
        'invalid_link',
        'This preferences link is invalid or has expired',
      );
    return p.m;
  }

  async function page(memberId: string) {
    const member = await store.getMember(db, memberId);
    if (!member)
      throw new UnauthorizedError(
        'invalid_link',
        'This preferences link no longer matches a member',
      );
    const team = (await store.getTeam(db, member.team_id))!;
    const off = new Set(await store.unsubscriptions(db, memberId));
    return {
      member: {
        name: member.name,
        email: member.email,
        status: member.status,
        pause_until: member.pause_until,
      },
      team: { name: team.name },
      subscriptions: Object.fromEntries(UNSUBSCRIBE_KINDS.map((k) => [k, !off.has(k)])) as Record<
        UnsubscribeKind,
        boolean
      >,
    };
  }

  return {
    async show(token: string) {
      return page(memberIdFrom(token));
    },
    /** Sets every kind at once: the form posts the kinds the member keeps. */
    async update(token: string, keep: Record<UnsubscribeKind, boolean>) {
      const memberId = memberIdFrom(token);
      const now = clock.now();
      await db.transaction(async (tx) => {
        for (const k of UNSUBSCRIBE_KINDS)
          await store.setUnsubscribed(tx, memberId, k, !keep[k], now);
      });
      return page(memberId);
    },
    /** One-click (RFC 8058): POST with `List-Unsubscribe=One-Click`, or the link followed by a person. */
    async unsubscribe(token: string): Promise<{ kind: UnsubscribeKind; memberId: string }> {
      const p = links.verifyUnsubscribe(token, clock.now());
      if (!p || !p.k)
        throw new UnauthorizedError(
          'invalid_link',
          'This unsubscribe link is invalid or has expired',
        );
      if (!(await store.getMember(db, p.m)))
        throw new UnauthorizedError(
          'invalid_link',
          'This unsubscribe link no longer matches a member',
        );
      await store.setUnsubscribed(db, p.m, p.k, true, clock.now());
      return { kind: p.k, memberId: p.m };
    },
    preferencesUrl(memberId: string) {
      return links.preferencesUrl(memberId, clock.now());
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
