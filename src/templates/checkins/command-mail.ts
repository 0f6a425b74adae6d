/** The confirmation sent after an email command (pause, vacation, resume, unsubscribe). */
import type { EmailCommand } from '../../domain/checkins/email-command.js';
import { formatDateLabel } from '../../domain/checkins/digest-view.js';
import { compilePair, LAYOUT_END, LAYOUT_START } from './compile.js';

export interface CommandMailView {
  subject: string;
  greeting: string;
  lines: string[];
  preferencesUrl: string;
}

export function commandMailView(input: {
  memberName: string;
  teamName: string;
  command: EmailCommand | { kind: 'invalid'; message: string };
  preferencesUrl: string;
}): CommandMailView {
  const c = input.command;
  const lines =
    c.kind === 'pause'
      ? [
          `Check-ins for ${input.teamName} are paused. We will ask you again on ${formatDateLabel(c.until)}.`,
        ]
      : c.kind === 'vacation'
        ? [
            `Enjoy your time off. No check-ins from ${formatDateLabel(c.start)} to ${formatDateLabel(c.end)}.`,
          ]
        : c.kind === 'resume'
          ? [`Welcome back: check-ins for ${input.teamName} are on again.`]
          : c.kind === 'unsubscribe'
            ? [
                `You will no longer get check-in prompts or reminders for ${input.teamName}.`,
                'Reply "resume" to start again.',
              ]
            : [`We could not understand that command: ${c.message}.`, 'Nothing was changed.'];
  const subject =
    c.kind === 'invalid'
      ? `Command not understood (${input.teamName})`
      : `Done: ${c.kind} (${input.teamName})`;
  return {
    subject,
    greeting: `Hi ${input.memberName.trim().split(/\s+/)[0] || 'there'},`,
    lines,
    preferencesUrl: input.preferencesUrl,
  };
}

const HTML = `${LAYOUT_START}<p>{{greeting}}</p>{{#each lines}}<p>{{this}}</p>{{/each}}
<p style="color:#8c959f;font-size:12px"><a href="{{preferencesUrl}}">Email preferences</a></p>${LAYOUT_END}`;
const TEXT = `{{greeting}}

{{#each lines}}
{{this}}
{{/each}}

Email preferences: {{preferencesUrl}}
`;

export const renderCommandMail = compilePair<CommandMailView>(HTML, TEXT);
