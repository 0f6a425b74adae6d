/**
 * Mails planned prompts and due reminders. Each prompt is claimed (conditional UPDATE) and
 * handed to the outbound engine in one transaction, so a retried job or a second worker
 * cannot mail it twice. A prompt whose member is now paused, away or unsubscribed is skipped.
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
import type { Database, Executor, OutboundPort } from '../ports.js';
import type { Links } from './links.js';
import type { CheckinsStore } from './ports.js';
import type { CheckinsSettings } from './settings.js';

export const REPLY_MARKER_FALLBACK = '## Reply above this line ##';

type PromptForSend = Awaited<ReturnType<CheckinsStore['promptsForSend']>>[number];

export interface PromptServiceDeps {
  db: Database;
  store: CheckinsStore;
  outbound: Pick<OutboundPort, 'sendMessage'>;
  links: Links;
  settings: CheckinsSettings;
  clock: Clock;
  log: Logger;
  marker?: string;
  memberPageUrl?: ((memberId: string, now: Date) => string) | undefined;
}

export function createPromptService(deps: PromptServiceDeps) {
  const { db, store, outbound, links, settings, clock } = deps;
  const marker = deps.marker ?? REPLY_MARKER_FALLBACK;

  /** What a prompt and its reminder both show: the question, open goals and the member's links. */
  async function viewInput(tx: Executor, row: PromptForSend, now: Date): Promise<PromptViewInput> {
    const goals = await store.openGoals(tx, row.member_id, row.local_date, 10);
    return {
      memberName: row.member.name,
      teamName: row.team.name,
      question: row.team.question || settings.defaultQuestion,
      localDate: row.local_date,
      openGoals: goals.map((g) => ({ text: g.text, localDate: g.local_date })),
      marker,
      preferencesUrl: links.preferencesUrl(row.member_id, now),
      memberPageUrl: deps.memberPageUrl?.(row.member_id, now),
    };
  }

  /**
   * The outbound engine refusing a prompt (an invalid address, say: a 4xx AppError) must not
   * fail the whole chunk forever; that prompt is recorded as skipped with the reason. Anything
   * else (the database, a bug) is thrown so the job is retried.
   */
  async function rejectedAsSkipped(promptId: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      deps.log.warn(
        { promptId, code: err.code, err: err.message },
        'prompt not accepted by the outbound engine',
      );
      await store.markPromptSkipped(db, promptId, `rejected:${err.code}`);
    }
  }

  return {
    async sendPrompts(ids: readonly string[]): Promise<{ sent: number; skipped: number }> {
      const rows = await store.promptsForSend(db, ids);
      let sent = 0;
      let skipped = 0;
      for (const row of rows) {
        if (row.status !== 'scheduled') continue;
        await rejectedAsSkipped(row.id, () =>
          db.transaction(async (tx) => {
            const reason =
              row.skip ?? (row.unsubscribed.includes('prompt') ? 'unsubscribed' : null);
            if (reason) {
              if (await store.markPromptSkipped(tx, row.id, reason)) skipped++;
              return;
            }
            const now = clock.now();
            if (!(await store.markPromptSent(tx, row.id, now))) return;
            const view = promptView(await viewInput(tx, row, now));
            const mail = renderPromptMail(view);
            const res = await outbound.sendMessage(
              {
                ...(settings.from ? { from: settings.from } : {}),
                to: [row.member.email],
                subject: mail.subject,
                html: mail.html,
                text: mail.text,
                stream: 'transactional',
                kind: 'prompt',
                reply_to: links.replyAddress(
                  'prompt',
                  row.id,
                  row.member_id,
                  row.member.email,
                  now,
                ),
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
            await store.recordPromptMessage(tx, row.id, res.id, res.message_id ?? null);
            sent++;
          }),
        );
      }
      return { sent, skipped };
    },

    /** One reminder in the prompt's thread; never after a reply (the status guard) or to an unsubscriber. */
    async sendReminders(ids: readonly string[]): Promise<{ sent: number }> {
      const rows = await store.promptsForSend(db, ids);
      let sent = 0;
      for (const row of rows) {
        if (
          row.status !== 'sent' ||
          row.skip ||
          row.unsubscribed.includes('reminder') ||
          row.unsubscribed.includes('prompt')
        )
          continue;
        const now = clock.now();
        if (row.cutoff_at <= now) continue;
        await db.transaction(async (tx) => {
          if (!(await store.markPromptReminded(tx, row.id, now))) return;
          const view = reminderView(await viewInput(tx, row, now));
          const mail = renderReminderMail(view);
          const res = await outbound.sendMessage(
            {
              ...(settings.from ? { from: settings.from } : {}),
              to: [row.member.email],
              subject: mail.subject,
              html: mail.html,
              text: mail.text,
              stream: 'transactional',
              kind: 'reminder',
              reply_to: links.replyAddress('prompt', row.id, row.member_id, row.member.email, now),
              ...(row.message_id
                ? { in_reply_to: row.message_id, references: [row.message_id] }
                : {}),
              list_unsubscribe: { url: links.unsubscribeUrl(row.member_id, 'reminder', now) },
              tags: ['checkins', 'reminder'],
              metadata: { prompt_id: row.id },
              idempotency_key: `checkins.reminder:${row.id}`,
            },
            { tx },
          );
          await store.recordReminderMessage(tx, row.id, res.id);
          sent++;
        });
      }
      return { sent };
    },

    /** The member's current local date (for mail that arrives without a prompt). */
    currentLocalDate(zone: string): string {
      return localDateAt(clock.now(), zone);
    },
  };
}

export type PromptService = ReturnType<typeof createPromptService>;
