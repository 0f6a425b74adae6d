/**
 * The Prompt lifecycle (one per member per local date):
 *
 *   scheduled → sent → answered
 *               sent → reminded → answered
 *               sent | reminded → missed        (cutoff passed without a reply)
 *   scheduled → missed_by_outage                (planned too late: the outage outlived catch-up)
 *   scheduled → skipped                         (at send time the member is paused/away/unsubscribed)
 *
 * A reply after `missed` still attaches to the prompt's date and moves it to answered, because
 * late replies are normal (product.md §4F).
 */
import { defineMachine } from './machine.js';

export const PROMPT_STATUSES = [
  'scheduled',
  'sent',
  'reminded',
  'answered',
  'missed',
  'missed_by_outage',
  'skipped',
] as const;
export type PromptStatus = (typeof PROMPT_STATUSES)[number];

export type PromptEvent = 'send' | 'remind' | 'answer' | 'miss' | 'outage' | 'skip';

export const promptMachine = defineMachine<PromptStatus, PromptEvent>('Prompt', PROMPT_STATUSES, {
  send: { from: ['scheduled'], to: 'sent' },
  remind: { from: ['sent'], to: 'reminded' },
  answer: { from: ['sent', 'reminded', 'missed', 'answered'], to: 'answered' },
  miss: { from: ['sent', 'reminded'], to: 'missed' },
  outage: { from: ['scheduled'], to: 'missed_by_outage' },
  skip: { from: ['scheduled'], to: 'skipped' },
});

/** Statuses that count as "asked" for completion rates; skipped and outage days do not. */
export const ASKED_STATUSES: readonly PromptStatus[] = ['sent', 'reminded', 'answered', 'missed'];
