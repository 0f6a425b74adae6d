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
 * late replies are normal (product.md §4F). Storage applies a transition as
 * `UPDATE … WHERE id = $1 AND status = ANY($from)`, so a concurrent worker loses the race.
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

const TABLE: Record<PromptEvent, Partial<Record<PromptStatus, PromptStatus>>> = {
  send: { scheduled: 'sent' },
  remind: { sent: 'reminded' },
  answer: { sent: 'answered', reminded: 'answered', missed: 'answered', answered: 'answered' },
  miss: { sent: 'missed', reminded: 'missed' },
  outage: { scheduled: 'missed_by_outage' },
  skip: { scheduled: 'skipped' },
};

const machine = defineMachine<PromptStatus, PromptEvent>('Prompt', TABLE);

export function promptTransition(from: PromptStatus, event: PromptEvent): PromptStatus {
  return machine.transition(from, event);
}

/** The statuses an event may start from: the `WHERE status = ANY($from)` list. */
export function promptFromStatuses(event: PromptEvent): PromptStatus[] {
  return machine.fromStatuses(event);
}

/** Statuses that count as "asked" for completion rates; skipped and outage days do not. */
export const ASKED_STATUSES: readonly PromptStatus[] = ['sent', 'reminded', 'answered', 'missed'];
