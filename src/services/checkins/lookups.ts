/** The existence checks the admin and entry use cases share: a missing row is a 404. */
import { NotFoundError } from '../../lib/errors.js';
import type { Executor } from '../ports.js';
import type { MemberRepository, MemberRow, TeamRepository, TeamRow } from './ports.js';

export async function requireTeam(
  deps: { db: Executor; teams: Pick<TeamRepository, 'getTeam'> },
  id: string,
): Promise<TeamRow> {
  const t = await deps.teams.getTeam(deps.db, id);
  if (!t) throw new NotFoundError('team_not_found', `No team ${id}`);
  return t;
}

export async function requireMember(
  deps: { db: Executor; members: Pick<MemberRepository, 'getMember'> },
  id: string,
): Promise<MemberRow> {
  const m = await deps.members.getMember(deps.db, id);
  if (!m) throw new NotFoundError('member_not_found', `No member ${id}`);
  return m;
}
