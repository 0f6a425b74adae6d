/**
 * Mails planned prompts and due reminders. Each prompt is claimed (its `send` or `remind`
 * transition) and handed to the outbound engine in one transaction, so a retried job or a
 * second worker cannot mail it twice. A prompt whose member is now paused, away or
 * unsubscribed is skipped.
 */
import {
  promptView,
  reminderView,
  type PromptViewInput,
} from '../../domain/checkins/prompt-view.js';
import { localDateAt } from '../../domain/schedule/local-time.js';
import { renderPromptMail, renderReminderMail } from '../../templates/checkins/prompt-mail.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Database, Executor, OutboundMessageInput, OutboundPort } from '../ports.js';
import type { Telemetry } from '../telemetry.js';
import type { Links } from './links.js';
import type { EntryRepository, PromptForSend, PromptRepository } from './ports.js';
import type { CheckinsSettings } from './settings.js';

export const REPLY_MARKER_FALLBACK = '## Reply above this line ##';

export interface PromptServiceDeps {
  db: Database;
  prompts: Pick<
    PromptRepository,
    'promptsForSend' | 'transitionPrompt' | 'recordPromptMessage' | 'recordReminderMessage'
  >;
  entries: Pick<EntryRepository, 'openGoals'>;
  outbound: Pick<OutboundPort, 'sendMessage'>;
  links: Links;
  settings: CheckinsSettings;
  clock: Clock;
  log: Logger;
  marker?: string;
  memberPageUrl?: ((memberId: string, now: Date) => string) | undefined;
  telemetry?: Pick<Telemetry, 'checkinMail'> | undefined;
}

/** What a prompt and its reminder both show: the question, open goals and the member's links. */
async function viewInput(
  deps: PromptServiceDeps,
  tx: Executor,
  row: PromptForSend,
  now: Date,
): Promise<PromptViewInput> {
  const goals = await deps.entries.openGoals(tx, row.member_id, row.local_date, 10);
  return {
    memberName: row.member.name,
    teamName: row.team.name,
    question: row.team.question || deps.settings.defaultQuestion,
    localDate: row.local_date,
    openGoals: goals.map((g) => ({ text: g.text, localDate: g.local_date })),
    marker: deps.marker ?? REPLY_MARKER_FALLBACK,
    preferencesUrl: deps.links.preferencesUrl(row.member_id, now),
    memberPageUrl: deps.memberPageUrl?.(row.member_id, now),
  };
}

/** The mail fields a prompt and its reminder share: sender, recipient, the reply address. */
function addressed(
  deps: PromptServiceDeps,
  row: PromptForSend,
  mail: { subject: string; html: string; text: string },
  now: Date,
): Omit<OutboundMessageInput, 'kind'> {
  const { links, settings } = deps;
  return {
    ...(settings.from ? { from: settings.from } : {}),
    to: [row.member.email],
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    stream: 'transactional',
    reply_to: links.replyAddress('prompt', row.id, row.member_id, row.member.email, now),
  };
}

/**
 * The outbound engine refusing a prompt (an invalid address, say: a 4xx AppError) must not
 * fail the whole chunk forever; that prompt is recorded as skipped with the reason. Anything
 * else (the database, a bug) is thrown so the job is retried.
 */
async function rejectedAsSkipped(
  deps: PromptServiceDeps,
  promptId: string,
  fn: () => Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    deps.log.warn(
      { promptId, code: err.code, err: err.message },
      'prompt not accepted by the outbound engine',
    );
    await deps.prompts.transitionPrompt(deps.db, promptId, 'skip', {
      skipReason: `rejected:${err.code}`,
    });
  }
}

/** Skips or sends one scheduled prompt in `tx`; says which, or null when another worker won. */
async function sendPrompt(
  deps: PromptServiceDeps,
  tx: Executor,
  row: PromptForSend,
): Promise<'sent' | 'skipped' | null> {
  const { prompts, links } = deps;
  const reason = row.skip ?? (row.unsubscribed.includes('prompt') ? 'unsubscribed' : null);
  if (reason)
    return (await prompts.transitionPrompt(tx, row.id, 'skip', { skipReason: reason }))
      ? 'skipped'
      : null;
  const now = deps.clock.now();
  if (!(await prompts.transitionPrompt(tx, row.id, 'send', { at: now }))) return null;
  const mail = renderPromptMail(promptView(await viewInput(deps, tx, row, now)));
  const res = await deps.outbound.sendMessage(
    {
      ...addressed(deps, row, mail, now),
      kind: 'prompt',
      list_unsubscribe: { url: links.unsubscribeUrl(row.member_id, 'prompt', now) },
      tags: ['checkins', 'prompt'],
      metadata: {
        prompt_id: row.id,
        team_id: row.team_id,
        member_id: row.member_id,
        local_date: row.local_date,
      },
      idempotency_key: `checkins.prompt:${row.id}`,
    },
    { tx },
  );
  await prompts.recordPromptMessage(tx, row.id, res.id, res.message_id ?? null);
  return 'sent';
}

async function sendPrompts(
  deps: PromptServiceDeps,
  ids: readonly string[],
): Promise<{ sent: number; skipped: number }> {
  const rows = await deps.prompts.promptsForSend(deps.db, ids);
  let sent = 0;
  let skipped = 0;
  for (const row of rows) {
    if (row.status !== 'scheduled') continue;
    await rejectedAsSkipped(deps, row.id, async () => {
      const done = await deps.db.transaction((tx) => sendPrompt(deps, tx, row));
      if (done === 'sent') sent++;
      else if (done === 'skipped') skipped++;
    });
  }
  return { sent, skipped };
}

/** A reminder goes only to a prompt still awaiting its reply, before the cutoff: else why not. */
function reminderSkip(row: PromptForSend, now: Date): string | null {
  if (row.status !== 'sent') return row.status;
  if (row.skip) return row.skip;
  if (row.unsubscribed.includes('reminder') || row.unsubscribed.includes('prompt'))
    return 'unsubscribed';
  return row.cutoff_at > now ? null : 'cutoff_passed';
}

/** Claims and mails one reminder in `tx`, in the prompt's thread; false when another worker won. */
async function sendReminder(
  deps: PromptServiceDeps,
  tx: Executor,
  row: PromptForSend,
  now: Date,
): Promise<boolean> {
  const { prompts, links } = deps;
  if (!(await prompts.transitionPrompt(tx, row.id, 'remind', { at: now }))) return false;
  const mail = renderReminderMail(reminderView(await viewInput(deps, tx, row, now)));
  const res = await deps.outbound.sendMessage(
    {
      ...addressed(deps, row, mail, now),
      kind: 'reminder',
      ...(row.message_id ? { in_reply_to: row.message_id, references: [row.message_id] } : {}),
      list_unsubscribe: { url: links.unsubscribeUrl(row.member_id, 'reminder', now) },
      tags: ['checkins', 'reminder'],
      metadata: { prompt_id: row.id },
      idempotency_key: `checkins.reminder:${row.id}`,
    },
    { tx },
  );
  await prompts.recordReminderMessage(tx, row.id, res.id);
  return true;
}

/** One reminder in the prompt's thread; never after a reply (the status guard) or to an unsubscriber. */
async function sendReminders(
  deps: PromptServiceDeps,
  ids: readonly string[],
): Promise<{ sent: number }> {
  const rows = await deps.prompts.promptsForSend(deps.db, ids);
  let sent = 0;
  for (const row of rows) {
    const now = deps.clock.now();
    const skip = reminderSkip(row, now);
    if (skip) deps.telemetry?.checkinMail('reminder', 'skipped', skip);
    if (skip) continue;
    if (await deps.db.transaction((tx) => sendReminder(deps, tx, row, now))) sent++;
  }
  return { sent };
}

export function createPromptService(deps: PromptServiceDeps) {
  return {
    sendPrompts: (ids: readonly string[]) => sendPrompts(deps, ids),
    sendReminders: (ids: readonly string[]) => sendReminders(deps, ids),
    /** The member's current local date (for mail that arrives without a prompt). */
    currentLocalDate: (zone: string): string => localDateAt(deps.clock.now(), zone),
  };
}

export type PromptService = ReturnType<typeof createPromptService>;
