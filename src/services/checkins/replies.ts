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
import {
  replyHints,
  resolve,
  resolveMemberId,
  type Replier,
  type ReplyTarget,
} from './repliers.js';
import type {
  EntryRepository,
  EntryRow,
  MemberRepository,
  MemberRow,
  ParseEntries,
  PromptRepository,
  TeamRepository,
} from './ports.js';
import type { CheckinsSettings } from './settings.js';

export interface CheckinReplyInput {
  inboundEmailId: string;
  /** The sender address (already checked against the token by the inbound engine). */
  from: string;
  target: ReplyTarget;
  text?: string | null;
  html?: string | null;
  /** What the person wrote, when the inbound engine has extracted it already (it has context). */
  reply?: string;
  /** Who replied to what, when the caller looked it up already (the check-ins mailbox has). */
  found?: Replier | null;
}

export type CheckinReplyOutcome =
  | { outcome: 'entries'; entries: EntryRow[]; completedGoals: number; localDate: string }
  | { outcome: 'command'; command: EmailCommand | InvalidCommand }
  | { outcome: 'duplicate' }
  | { outcome: 'ignored'; reason: 'unknown_prompt' | 'unknown_member' | 'empty' };

type InvalidCommand = { kind: 'invalid'; message: string };

export interface ReplyServiceDeps {
  db: Database;
  prompts: Pick<PromptRepository, 'getPrompt' | 'transitionPrompt'>;
  members: Pick<
    MemberRepository,
    'getMember' | 'findMemberByEmail' | 'updateMember' | 'setUnsubscribed' | 'addVacation'
  >;
  teams: Pick<TeamRepository, 'getTeam'>;
  entries: Pick<
    EntryRepository,
    'lockReplyProcessing' | 'claimReply' | 'completeGoals' | 'insertEntries'
  >;
  outbound: Pick<OutboundPort, 'sendMessage'>;
  links: Links;
  settings: CheckinsSettings;
  clock: Clock;
  extractReply: ExtractReply;
  parseEntries: ParseEntries;
}

async function applyCommand(
  deps: ReplyServiceDeps,
  tx: Executor,
  member: MemberRow,
  command: EmailCommand,
): Promise<void> {
  const { members } = deps;
  const now = deps.clock.now();
  const subscribe = async (on: boolean) => {
    await members.setUnsubscribed(tx, member.id, 'prompt', !on, now);
    await members.setUnsubscribed(tx, member.id, 'reminder', !on, now);
  };
  if (command.kind === 'pause') {
    await members.updateMember(
      tx,
      member.id,
      { status: 'paused', pause_until: command.until },
      now,
    );
  } else if (command.kind === 'resume') {
    await members.updateMember(tx, member.id, { status: 'active', pause_until: null }, now);
    await subscribe(true);
  } else if (command.kind === 'vacation') {
    const id = newId(now.getTime());
    const vacation = { id, member_id: member.id, start_date: command.start, end_date: command.end };
    await members.addVacation(tx, vacation, now);
  } else {
    await subscribe(false);
  }
}

/** Mails the member what their command did (or why it was not understood). */
async function confirm(
  deps: ReplyServiceDeps,
  tx: Executor,
  { member, team }: Replier,
  command: EmailCommand | InvalidCommand,
  inboundEmailId: string,
): Promise<void> {
  const now = deps.clock.now();
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

/** Records the mail in the reply ledger; false when it was processed before. */
function claim(
  deps: ReplyServiceDeps,
  tx: Executor,
  input: CheckinReplyInput,
  found: Replier | null,
  outcome: string,
  now: Date,
): Promise<boolean> {
  const ledger = {
    memberId: found?.member.id ?? null,
    promptId: found?.prompt?.id ?? null,
    outcome,
  };
  return deps.entries.claimReply(tx, input.inboundEmailId, ledger, now);
}

async function handleCommand(
  deps: ReplyServiceDeps,
  tx: Executor,
  input: CheckinReplyInput,
  found: Replier,
  parsed: { ok: true; command: EmailCommand } | { ok: false; message: string },
  now: Date,
): Promise<CheckinReplyOutcome> {
  const command = parsed.ok
    ? parsed.command
    : { kind: 'invalid' as const, message: parsed.message };
  if (!(await claim(deps, tx, input, found, `command:${command.kind}`, now)))
    return { outcome: 'duplicate' };
  if (parsed.ok) await applyCommand(deps, tx, found.member, parsed.command);
  await confirm(deps, tx, found, command, input.inboundEmailId);
  return { outcome: 'command', command };
}

/** The reply's lines as entries on the prompt's date (or today for the team address). */
async function recordEntries(
  deps: ReplyServiceDeps,
  tx: Executor,
  input: CheckinReplyInput,
  found: Replier,
  text: string,
  today: string,
  now: Date,
): Promise<CheckinReplyOutcome> {
  const { prompt, member, team } = found;
  const lines = deps.parseEntries(text);
  if (!(await claim(deps, tx, input, found, lines.length ? 'entries' : 'empty', now)))
    return { outcome: 'duplicate' };
  if (lines.length === 0) return { outcome: 'ignored', reason: 'empty' };
  const localDate = prompt?.local_date ?? today;
  // `[x] goal` completes an open goal with that text; unmatched ones are kept as written.
  const isCompletion = (l: { completed?: boolean; kind: string }) =>
    l.completed === true && l.kind === 'goal';
  const completions = lines.filter(isCompletion).map((l) => l.text);
  const completedGoals = await deps.entries.completeGoals(tx, member.id, completions, now);
  const rest = completedGoals > 0 ? lines.filter((l) => !isCompletion(l)) : lines;
  const entries = await deps.entries.insertEntries(
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
  if (prompt) await deps.prompts.transitionPrompt(tx, prompt.id, 'answer', { at: now });
  return { outcome: 'entries', entries, completedGoals, localDate };
}

async function handleReply(
  deps: ReplyServiceDeps,
  input: CheckinReplyInput,
): Promise<CheckinReplyOutcome> {
  return deps.db.transaction(async (tx): Promise<CheckinReplyOutcome> => {
    await deps.entries.lockReplyProcessing(tx, input.inboundEmailId);
    const now = deps.clock.now();
    const found = input.found !== undefined ? input.found : await resolve(deps, tx, input);
    if (!found) {
      if (!(await claim(deps, tx, input, null, 'ignored', now))) return { outcome: 'duplicate' };
      const reason = input.target.kind === 'prompt' ? 'unknown_prompt' : 'unknown_member';
      return { outcome: 'ignored', reason };
    }
    const text =
      input.reply ?? deps.extractReply({ text: input.text ?? null, html: input.html ?? null }).text;
    const today = localDateAt(now, found.member.time_zone ?? found.team.time_zone);
    const parsed = parseEmailCommand(text, today);
    if (parsed.ok || parsed.reason === 'invalid')
      return handleCommand(deps, tx, input, found, parsed, now);
    return recordEntries(deps, tx, input, found, text, today, now);
  });
}

export function createReplyService(deps: ReplyServiceDeps) {
  return {
    resolveMemberId: (target: CheckinReplyInput['target'], from: string) =>
      resolveMemberId(deps, target, from),
    handleReply: (input: CheckinReplyInput) => handleReply(deps, input),
    replyHints: (target: CheckinReplyInput['target'], from: string) =>
      replyHints(deps, target, from),
  };
}

export type ReplyService = ReturnType<typeof createReplyService>;
