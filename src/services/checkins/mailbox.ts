/**
 * The check-in mailbox: replies to a prompt (`reply+` tokens), mail to a team address (`team+`
 * tokens) and mail an inbound route sends to a team (`checkins` action). Opened once per
 * message, it looks up the prompt, the member and the team once; that one lookup answers the
 * member-bound token check, gives the reading hints (the member's name, the prompt and reminder
 * mail) and is handed to the reply service. It answers the router directly.
 */
import { ValidationError } from '../../lib/errors.js';
import type { RouteAction } from '../../domain/inbound/route.js';
import type { Mailbox, MailboxResult, MailboxTarget } from '../inbound/mailboxes.js';
import type { Database } from '../ports.js';
import type { TeamRepository } from './ports.js';
import { resolve, type Replier, type RepliersDeps, type ReplyTarget } from './repliers.js';
import type { CheckinReplyOutcome, ReplyService } from './replies.js';

export interface CheckinsMailboxDeps extends RepliersDeps {
  db: Database;
  teams: Pick<TeamRepository, 'getTeam'>;
  replies: Pick<ReplyService, 'handleReply'>;
}

/** The router's answer for a reply's outcome. */
export function mailboxResult(r: CheckinReplyOutcome): MailboxResult {
  if (r.outcome === 'ignored') {
    const reasons = {
      empty: 'empty',
      unknown_member: 'unknown_sender',
      unknown_prompt: 'unroutable',
    } as const;
    return { status: 'ignored', reason: reasons[r.reason] };
  }
  return {
    status: 'processed',
    routedTo: {
      feature: 'checkins',
      outcome: r.outcome,
      ...(r.outcome === 'entries' ? { entries: r.entries.length, local_date: r.localDate } : {}),
    },
  };
}

function replyTarget(target: MailboxTarget): ReplyTarget {
  if (target.kind === 'prompt') return { kind: 'prompt', promptId: target.id };
  if (target.kind === 'team') return { kind: 'team', teamId: target.id };
  const action = target.kind === 'route' ? target.route.action : null;
  if (action?.type === 'checkins') return { kind: 'team', teamId: action.team_id };
  throw new Error(`the check-in mailbox does not take ${target.kind} targets`);
}

function hintsOf(found: Replier | null) {
  if (!found) return {};
  const sent = [found.prompt?.outbound_message_id, found.prompt?.reminder_message_id];
  return {
    senderNames: [found.member.name],
    parentMessageIds: sent.filter((id): id is string => !!id),
  };
}

export function createCheckinsMailbox(deps: CheckinsMailboxDeps): Mailbox {
  return {
    name: 'checkins',
    async open(target, from) {
      const t = replyTarget(target);
      const found = await resolve(deps, deps.db, { from, target: t });
      const isSender = found?.member.email.toLowerCase() === from.trim().toLowerCase();
      return {
        memberId: found && isSender ? found.member.id : null,
        hints: hintsOf(found),
        async receive(m) {
          const input = { inboundEmailId: m.inboundEmailId, from: m.from, target: t };
          return mailboxResult(
            await deps.replies.handleReply({ ...input, reply: m.reply.text, found }),
          );
        },
      };
    },
    async checkAction(action: RouteAction) {
      if (action.type !== 'checkins') return;
      if (!(await deps.teams.getTeam(deps.db, action.team_id)))
        throw new ValidationError(`No team ${action.team_id}`, undefined, 'team_not_found');
    },
  };
}
