/** The team digest mail, personalised per reader (their @mentions highlighted). */
import type { DigestView } from '../../domain/checkins/digest-view.js';
import { compilePair, escapeHtml, LAYOUT_END, LAYOUT_START } from './compile.js';

export interface DigestMailView extends DigestView {
  subject: string;
  preferencesUrl: string;
  unsubscribeUrl: string;
}

const HTML = `${LAYOUT_START}
<h2 style="margin:0 0 4px">{{teamName}}</h2>
<p style="color:#57606a;margin:0 0 16px">{{dateLabel}} · {{summary}}{{#if mentionCount}} · <strong>{{mentionCount}} mention you</strong>{{/if}}</p>
{{#each people}}
<h3 style="margin:16px 0 4px">{{name}}</h3>
<ul style="margin:0;padding-left:20px">{{#each items}}<li style="{{#if (eq kind "blocker")}}color:#cf222e;{{/if}}{{#if mentionsYou}}background:#fff8c5;{{/if}}"><span style="font-size:12px;color:#57606a">{{label}}{{#if completed}} ✓{{/if}}</span> {{#each parts}}{{#if you}}<mark><strong>{{text}}</strong></mark>{{else}}{{text}}{{/if}}{{/each}}{{#each tags}} <span style="color:#0969da">#{{this}}</span>{{/each}}</li>{{/each}}</ul>
{{/each}}
<p style="color:#8c959f;font-size:12px;margin-top:24px"><a href="{{preferencesUrl}}">Email preferences</a> · <a href="{{unsubscribeUrl}}">Unsubscribe from digests</a></p>
${LAYOUT_END}`;

const TEXT = `{{teamName}}: {{dateLabel}}
{{summary}}{{#if mentionCount}} · {{mentionCount}} mention you{{/if}}
{{#each people}}

{{name}}
{{#each items}}
  {{#if (eq kind "blocker")}}! {{/if}}{{#if (eq kind "goal")}}{{#if completed}}[x] {{else}}[] {{/if}}{{/if}}{{#each parts}}{{#if you}}>>{{text}}<<{{else}}{{text}}{{/if}}{{/each}}
{{/each}}
{{/each}}

Email preferences: {{preferencesUrl}}
Unsubscribe from digests: {{unsubscribeUrl}}
`;

export const renderDigestMail = compilePair<DigestMailView>(HTML, TEXT);

const PREFS = '__POSTROOM_PREFERENCES_URL__';
const UNSUB = '__POSTROOM_UNSUBSCRIBE_URL__';

/**
 * A digest is the same for every reader it does not mention; rendering 30,000 entries takes
 * most of a second, so that version is rendered once with placeholder links and each reader
 * gets a copy with their own links put in.
 */
export function renderSharedDigestMail(
  view: Omit<DigestMailView, 'preferencesUrl' | 'unsubscribeUrl'>,
) {
  const mail = renderDigestMail({ ...view, preferencesUrl: PREFS, unsubscribeUrl: UNSUB });
  return (links: { preferencesUrl: string; unsubscribeUrl: string }) => ({
    subject: mail.subject,
    html: mail.html
      .split(PREFS)
      .join(escapeHtml(links.preferencesUrl))
      .split(UNSUB)
      .join(escapeHtml(links.unsubscribeUrl)),
    text: mail.text.split(PREFS).join(links.preferencesUrl).split(UNSUB).join(links.unsubscribeUrl),
  });
}
