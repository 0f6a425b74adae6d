/** The prompt and reminder view models: what the mail says, before any markup. */
import { formatDateLabel } from './digest-view.js';

export interface OpenGoal {
  text: string;
  localDate: string;
}

export interface PromptViewInput {
  memberName: string;
  teamName: string;
  question: string;
  localDate: string;
  openGoals: readonly OpenGoal[];
  marker: string;
  preferencesUrl: string;
  /** The member's own page (add or edit entries on the web), when the dashboard is on. */
  memberPageUrl?: string | undefined;
}

export interface PromptView {
  subject: string;
  greeting: string;
  question: string;
  dateLabel: string;
  teamName: string;
  openGoals: Array<{ text: string; dateLabel: string }>;
  hasOpenGoals: boolean;
  marker: string;
  preferencesUrl: string;
  memberPageUrl: string | undefined;
  help: Array<{ example: string; meaning: string }>;
}

const HELP = [
  { example: 'Shipped the invoice export', meaning: 'one line per thing you got done' },
  { example: '[] Write the migration guide', meaning: 'a goal for the next days' },
  { example: '! Waiting on the API keys from @sam', meaning: 'a blocker someone else can fix' },
  { example: '[x] Write the migration guide', meaning: 'completes an open goal' },
  { example: '#billing', meaning: 'tags a line' },
];

export function promptView(input: PromptViewInput): PromptView {
  const dateLabel = formatDateLabel(input.localDate);
  const first = input.memberName.trim().split(/\s+/)[0] || 'there';
  return {
    subject: `${input.question} (${dateLabel})`,
    greeting: `Hi ${first},`,
    question: input.question,
    dateLabel,
    teamName: input.teamName,
    openGoals: input.openGoals.map((g) => ({
      text: g.text,
      dateLabel: formatDateLabel(g.localDate),
    })),
    hasOpenGoals: input.openGoals.length > 0,
    marker: input.marker,
    preferencesUrl: input.preferencesUrl,
    memberPageUrl: input.memberPageUrl,
    help: HELP,
  };
}

export function reminderView(input: PromptViewInput): PromptView {
  const v = promptView(input);
  return {
    ...v,
    subject: `Re: ${v.subject}`,
    greeting: `Hi ${input.memberName.trim().split(/\s+/)[0] || 'there'}, a quick reminder:`,
  };
}
