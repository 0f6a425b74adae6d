/**
 * The prompt and reminder mails. The reply marker goes first, because everything the member
 * types lands above it and the reply extractor cuts there.
 */
import type { PromptView } from '../../domain/checkins/prompt-view.js';
import { compilePair, LAYOUT_END, LAYOUT_START } from './compile.js';

const HTML = `${LAYOUT_START}
<p style="color:#8c959f;font-size:12px">{{marker}}</p>
<p>{{greeting}}</p>
<p><strong>{{question}}</strong><br><span style="color:#57606a">{{teamName}} · {{dateLabel}}</span></p>
<p>Just reply to this email, one line per item:</p>
<table style="border-collapse:collapse;font-size:14px">{{#each help}}<tr><td style="padding:2px 12px 2px 0"><code>{{example}}</code></td><td style="color:#57606a">{{meaning}}</td></tr>{{/each}}</table>
{{#if hasOpenGoals}}<p>Your open goals (reply <code>[x] …</code> to complete one):</p>
<ul>{{#each openGoals}}<li>{{text}} <span style="color:#8c959f">({{dateLabel}})</span></li>{{/each}}</ul>{{/if}}
{{#if memberPageUrl}}<p><a href="{{memberPageUrl}}">Add or edit your entries on the web</a></p>{{/if}}
<p style="color:#8c959f;font-size:12px"><a href="{{preferencesUrl}}">Email preferences</a> · reply "pause until YYYY-MM-DD", "vacation YYYY-MM-DD to YYYY-MM-DD", "resume" or "unsubscribe"</p>
${LAYOUT_END}`;

const TEXT = `{{marker}}

{{greeting}}

{{question}}
{{teamName}} · {{dateLabel}}

Just reply to this email, one line per item:
{{#each help}}
  {{example}}    ({{meaning}})
{{/each}}
{{#if hasOpenGoals}}

Your open goals (reply "[x] …" to complete one):
{{#each openGoals}}
  [] {{text}} ({{dateLabel}})
{{/each}}
{{/if}}
{{#if memberPageUrl}}

Add or edit your entries on the web: {{memberPageUrl}}
{{/if}}

Email preferences: {{preferencesUrl}}
Reply "pause until YYYY-MM-DD", "vacation YYYY-MM-DD to YYYY-MM-DD", "resume" or "unsubscribe".
`;

export const renderPromptMail = compilePair<PromptView>(HTML, TEXT);
export const renderReminderMail = compilePair<PromptView>(HTML, TEXT);
