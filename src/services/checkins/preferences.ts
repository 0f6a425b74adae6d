/**
 * Which mail a member gets, per kind (prompt, reminder, digest): the signed preferences page,
 * RFC 8058 one-click unsubscribe, and the member page's subscription switches. Links carry a
 * signed member id, so no login is needed and nothing is guessable. Every change goes through
 * the members repository, the one writer of member_unsubscriptions.
 */
import { UnauthorizedError } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../ports.js';
import type { Links } from './links.js';
import type { MemberRepository, TeamRepository, UnsubscribeKind } from './ports.js';

export const UNSUBSCRIBE_KINDS: readonly UnsubscribeKind[] = ['prompt', 'reminder', 'digest'];

export interface PreferencesDeps {
  db: Database;
  members: Pick<MemberRepository, 'getMember' | 'unsubscriptions' | 'setUnsubscribed'>;
  teams: Pick<TeamRepository, 'getTeam'>;
  links: Links;
  clock: Clock;
}

function memberIdFrom(deps: PreferencesDeps, token: string): string {
  const p = deps.links.verifyPreferences(token, deps.clock.now());
  if (!p)
    throw new UnauthorizedError('invalid_link', 'This preferences link is invalid or has expired');
  return p.m;
}

async function page(deps: PreferencesDeps, memberId: string) {
  const { db, members } = deps;
  const member = await members.getMember(db, memberId);
  if (!member)
    throw new UnauthorizedError('invalid_link', 'This preferences link no longer matches a member');
  const team = (await deps.teams.getTeam(db, member.team_id))!;
  const off = new Set(await members.unsubscriptions(db, memberId));
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

/** Sets every kind at once: the form posts the kinds the member keeps. */
async function update(
  deps: PreferencesDeps,
  token: string,
  keep: Record<UnsubscribeKind, boolean>,
) {
  const memberId = memberIdFrom(deps, token);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    for (const k of UNSUBSCRIBE_KINDS)
      await deps.members.setUnsubscribed(tx, memberId, k, !keep[k], now);
  });
  return page(deps, memberId);
}

/** One-click (RFC 8058): POST with `List-Unsubscribe=One-Click`, or the link followed by a person. */
async function unsubscribe(
  deps: PreferencesDeps,
  token: string,
): Promise<{ kind: UnsubscribeKind; memberId: string }> {
  const p = deps.links.verifyUnsubscribe(token, deps.clock.now());
  if (!p || !p.k)
    throw new UnauthorizedError('invalid_link', 'This unsubscribe link is invalid or has expired');
  if (!(await deps.members.getMember(deps.db, p.m)))
    throw new UnauthorizedError('invalid_link', 'This unsubscribe link no longer matches a member');
  await deps.members.setUnsubscribed(deps.db, p.m, p.k, true, deps.clock.now());
  return { kind: p.k, memberId: p.m };
}

export function createPreferencesService(deps: PreferencesDeps) {
  return {
    show: async (token: string) => page(deps, memberIdFrom(deps, token)),
    update: (token: string, keep: Record<UnsubscribeKind, boolean>) => update(deps, token, keep),
    unsubscribe: (token: string) => unsubscribe(deps, token),
    preferencesUrl: (memberId: string) => deps.links.preferencesUrl(memberId, deps.clock.now()),
    /** The kinds a member is unsubscribed from (the member page, whose link is verified). */
    unsubscriptions: (memberId: string) => deps.members.unsubscriptions(deps.db, memberId),
    /** One kind on or off for a member whose link the caller verified. */
    setUnsubscribed: (memberId: string, kind: UnsubscribeKind, unsubscribed: boolean) =>
      deps.members.setUnsubscribed(deps.db, memberId, kind, unsubscribed, deps.clock.now()),
  };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
