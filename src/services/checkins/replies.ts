/**
 * Turns a check-in reply into entries, or into a settings change when its whole text is an
 * email command. The inbound router has already verified the reply token and hands over the
 * prompt (reply+) or team (team+) it names.
 *
 * Dating: entries keep the prompt's local date, however late the reply; mail to the team
 * address is dated the sender's current local date. The reply ledger (checkin_replies) makes
 * reprocessing the same inbound mail a no-op, and the entries' unique line key keeps a second
 * reply from duplicating identical lines.
 */
import { parseEmailCommand, type EmailCommand } from '../../domain/checkins/email-command.js';
import { localDateAt } from '../../domain/schedule/local-time.js';
import { commandMailView, renderCommandMail } from '../../templates/checkins/command-mail.js';
import { newId } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import type { ExtractReply } from '../../reply/types.js';
import type { Database, Executor, OutboundPort } from '../ports.js';
import type { Links } from './links.js';
import type { CheckinsStore, EntryRow, MemberRow, ParseEntries, TeamRow } from './ports.js';
import type { CheckinsSettings } from './settings.js';

export interface CheckinReplyInput {
  inboundEmailId: string;
  /** The sender address (already checked against the token by the inbound engine). */
  from: string;
  target: { kind: 'prompt'; promptId: string } | { kind: 'team'; teamId: string };
  text?: string | null;
  html?: string | null;
  /** The inbound engine passes its extractor along with the message; defaults to the injected one. */
  extractReply?: ExtractReply;
}

export type CheckinReplyOutcome =
  | { outcome: 'entries'; entries: EntryRow[]; completedGoals: number; localDate: string }
  | { outcome: 'command'; command: EmailCommand | { kind: 'invalid'; message: string } }
  | { outcome: 'duplicate' }
  | { outcome: 'ignored'; reason: 'unknown_prompt' | 'unknown_member' | 'empty' };

export interface ReplyServiceDeps {
  db: Database;
  store: CheckinsStore;
  outbound: Pick<OutboundPort, 'sendMessage'>;
  links: Links;
  settings: CheckinsSettings;
  clock: Clock;
  extractReply: ExtractReply;
  parseEntries: ParseEntries;
}

export function createReplyService(deps: ReplyServiceDeps) {
  const { db, store, clock } = deps;

  async function resolve(tx: Executor, input: CheckinReplyInput) {
    if (input.target.kind === 'prompt') {
      const prompt = await store.getPrompt(tx, input.target.promptId);
      if (!prompt) return null;
      const member = await store.getMember(tx, prompt.member_id);
      const team = member && (await store.getTeam(tx, member.team_id));
      return member && team ? { prompt, member, team } : null;
    }
    const member = await store.findMemberByEmail(
      tx,
      input.target.teamId,
      input.from.trim().toLowerCase(),
    );
    const team = member && (await store.getTeam(tx, member.team_id));
    return member && team ? { prompt: null, member, team } : null;
  }

  async function applyCommand(
    tx: Executor,
    member: MemberRow,
    team: TeamRow,
    command: EmailCommand,
  ): Promise<void> {
    const now = clock.now();
    if (command.kind === 'pause')
      await store.updateMember(
        tx,
        member.id,
        { status: 'paused', pause_until: command.until },
        now,
      );
    else if (command.kind === 'resume') {
      await store.updateMember(tx, member.id, { status: 'active', pause_until: null }, now);
      await store.setUnsubscribed(tx, member.id, 'prompt', false, now);
      await store.setUnsubscribed(tx, member.id, 'reminder', false, now);
    } else if (command.kind === 'vacation') {
      await store.addVacation(
        tx,
        {
          id: newId(now.getTime()),
          member_id: member.id,
          start_date: command.start,
          end_date: command.end,
        },
        now,
      );
    } else {
      await store.setUnsubscribed(tx, member.id, 'prompt', true, now);
      await store.setUnsubscribed(tx, member.id, 'reminder', true, now);
    }
    void team;
  }

  async function confirm(
    tx: Executor,
    member: MemberRow,
    team: TeamRow,
    command: EmailCommand | { kind: 'invalid'; message: string },
    inboundEmailId: string,
  ) {
    const now = clock.now();
    const mail = renderCommandMail(
      commandMailView({
        memberName: member.name,
        teamName: team.name,
        command,
        preferencesUrl: deps.links.preferencesUrl(member.id, now),
      }),
    );
    await deps.outbound.sendMessage(
      {
        ...(deps.settings.from ? { from: deps.settings.from } : {}),
        to: [member.email],
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        stream: 'transactional',
        kind: 'system',
        tags: ['checkins', 'command'],
        metadata: { member_id: member.id, command: command.kind },
        idempotency_key: `checkins.command:${inboundEmailId}`,
      },
      { tx },
    );
  }

  return {
    /** For member-bound reply tokens: the member the token must name, or null (unknown sender). */
    async resolveMemberId(
      target: CheckinReplyInput['target'],
      from: string,
    ): Promise<string | null> {
      const found = await resolve(db, { inboundEmailId: '', from, target });
      if (!found) return null;
      return found.member.email.toLowerCase() === from.trim().toLowerCase()
        ? found.member.id
        : null;
    },

    async handleReply(input: CheckinReplyInput): Promise<CheckinReplyOutcome> {
      return db.transaction(async (tx): Promise<CheckinReplyOutcome> => {
        await store.lockReplyProcessing(tx, input.inboundEmailId);
        const now = clock.now();
        const found = await resolve(tx, input);
        if (!found) {
          const claimed = await store.claimReply(
            tx,
            input.inboundEmailId,
            null,
            null,
            'ignored',
            now,
          );
          if (!claimed) return { outcome: 'duplicate' };
          return {
            outcome: 'ignored',
            reason: input.target.kind === 'prompt' ? 'unknown_prompt' : 'unknown_member',
          };
        }
        const { prompt, member, team } = found;
        const text = (input.extractReply ?? deps.extractReply)({
          text: input.text ?? null,
          html: input.html ?? null,
        }).text;
        const zone = member.time_zone ?? team.time_zone;
        const today = localDateAt(now, zone);
        const parsed = parseEmailCommand(text, today);
        if (parsed.ok || parsed.reason === 'invalid') {
          const command = parsed.ok
            ? parsed.command
            : { kind: 'invalid' as const, message: parsed.message };
          if (
            !(await store.claimReply(
              tx,
              input.inboundEmailId,
              member.id,
              prompt?.id ?? null,
              `command:${command.kind}`,
              now,
            ))
          ) {
            return { outcome: 'duplicate' };
          }
          if (parsed.ok) await applyCommand(tx, member, team, parsed.command);
          await confirm(tx, member, team, command, input.inboundEmailId);
          return { outcome: 'command', command };
        }
        const lines = deps.parseEntries(text);
        if (
          !(await store.claimReply(
            tx,
            input.inboundEmailId,
            member.id,
            prompt?.id ?? null,
            lines.length ? 'entries' : 'empty',
            now,
          ))
        ) {
          return { outcome: 'duplicate' };
        }
        if (lines.length === 0) return { outcome: 'ignored', reason: 'empty' };
        const localDate = prompt?.local_date ?? today;
        // `[x] goal` completes an open goal with that text; unmatched ones are kept as written.
        const completions = lines
          .filter((l) => l.completed && l.kind === 'goal')
          .map((l) => l.text);
        const completedGoals = await store.completeGoals(tx, member.id, completions, now);
        const rest =
          completedGoals > 0 ? lines.filter((l) => !(l.completed && l.kind === 'goal')) : lines;
        const entries = await store.insertEntries(
          tx,
          {
            teamId: team.id,
            memberId: member.id,
            promptId: prompt?.id ?? null,
            localDate,
            inboundEmailId: input.inboundEmailId,
            source: 'email',
            at: now,
          },
          rest.map((l) => ({
            kind: l.kind,
            text: l.text,
            tags: l.tags,
            mentions: l.mentions,
            completed: l.completed === true,
          })),
        );
        if (prompt) await store.markPromptAnswered(tx, prompt.id, now);
        return { outcome: 'entries', entries, completedGoals, localDate };
      });
    },
  };
}

export type ReplyService = ReturnType<typeof createReplyService>;
