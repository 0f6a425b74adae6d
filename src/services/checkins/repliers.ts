/**
 * Who a check-in reply is from: the prompt (reply+) or team (team+) it answers, the member who
 * sent it and their team. The inbound engine asks before it hands the reply over (member-bound
 * tokens, and the names and mail a reply is read against).
 */
import type { Database, Executor } from '../ports.js';
import type {
  MemberRepository,
  MemberRow,
  PromptRepository,
  PromptRow,
  TeamRepository,
  TeamRow,
} from './ports.js';

/** The prompt a reply+ address names, or the team a team+ address names. */
export type ReplyTarget = { kind: 'prompt'; promptId: string } | { kind: 'team'; teamId: string };

export interface RepliersDeps {
  db: Database;
  prompts: Pick<PromptRepository, 'getPrompt'>;
  members: Pick<MemberRepository, 'getMember' | 'findMemberByEmail'>;
  teams: Pick<TeamRepository, 'getTeam'>;
}

/** Who replied, to which prompt (none for the team address), in which team. */
export interface Replier {
  prompt: PromptRow | null;
  member: MemberRow;
  team: TeamRow;
}

export async function resolve(
  deps: RepliersDeps,
  tx: Executor,
  input: { from: string; target: ReplyTarget },
): Promise<Replier | null> {
  const { members, teams } = deps;
  if (input.target.kind === 'prompt') {
    const prompt = await deps.prompts.getPrompt(tx, input.target.promptId);
    if (!prompt) return null;
    const member = await members.getMember(tx, prompt.member_id);
    const team = member && (await teams.getTeam(tx, member.team_id));
    return member && team ? { prompt, member, team } : null;
  }
  const from = input.from.trim().toLowerCase();
  const member = await members.findMemberByEmail(tx, input.target.teamId, from);
  const team = member && (await teams.getTeam(tx, member.team_id));
  return member && team ? { prompt: null, member, team } : null;
}

/** The member's name on record and the prompt and reminder mail a reply may paste back. */
export async function replyHints(
  deps: RepliersDeps,
  target: ReplyTarget,
  from: string,
): Promise<{ senderNames: string[]; parentMessageIds: string[] }> {
  const found = await resolve(deps, deps.db, { from, target });
  if (!found) return { senderNames: [], parentMessageIds: [] };
  const sent = [found.prompt?.outbound_message_id, found.prompt?.reminder_message_id];
  return {
    senderNames: [found.member.name],
    parentMessageIds: sent.filter((id): id is string => !!id),
  };
}

/** For member-bound reply tokens: the member the token must name, or null (unknown sender). */
export async function resolveMemberId(
  deps: RepliersDeps,
  target: ReplyTarget,
  from: string,
): Promise<string | null> {
  const found = await resolve(deps, deps.db, { from, target });
  if (!found) return null;
  return found.member.email.toLowerCase() === from.trim().toLowerCase() ? found.member.id : null;
}
