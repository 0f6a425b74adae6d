/**
 * The team digest mail, personalised per reader (their @mentions highlighted), and kept within
 * its budget (domain/checkins/digest-budget.ts): a large team's digest is shortened, with a
 * link to the whole day in the web archive.
 */
import { DIGEST_HTML_BUDGET, trimDigest } from '../../domain/checkins/digest-budget.js';
import type { DigestView } from '../../domain/checkins/digest-view.js';
import { compilePair, escapeHtml, LAYOUT_END, LAYOUT_START, type RenderedMail } from './compile.js';

export interface DigestMailView extends DigestView {
  subject: string;
  preferencesUrl: string;
  unsubscribeUrl: string;
  /** The day in the web archive: where a shortened digest sends its readers. */
  archiveUrl?: string;
}

const HTML = `${LAYOUT_START}
<h2 style="margin:0 0 4px">{{teamName}}</h2>
<p style="color:#57606a;margin:0 0 16px">{{dateLabel}} · {{summary}}{{#if mentionCount}} · <strong>{{mentionCount}} mention you</strong>{{/if}}</p>
{{#each people}}
<h3 style="margin:16px 0 4px">{{name}}</h3>
<ul style="margin:0;padding-left:20px">{{#each items}}<li style="{{#if (eq kind "blocker")}}color:#cf222e;{{/if}}{{#if mentionsYou}}background:#fff8c5;{{/if}}"><span style="font-size:12px;color:#57606a">{{label}}{{#if completed}} ✓{{/if}}</span> {{#each parts}}{{#if you}}<mark><strong>{{text}}</strong></mark>{{else}}{{text}}{{/if}}{{/each}}{{#each tags}} <span style="color:#0969da">#{{this}}</span>{{/each}}</li>{{/each}}</ul>
{{#if more}}<p style="color:#57606a;font-size:13px;margin:2px 0 0 20px">+ {{more}} more</p>{{/if}}
{{/each}}
{{#if trimmed}}<p style="margin-top:20px;padding:12px;background:#f6f8fa;border-radius:6px">Shortened to stay readable in every inbox{{#if trimmed.people}}: {{trimmed.people}} more people{{/if}}, {{trimmed.items}} more lines. {{#if archiveUrl}}<a href="{{archiveUrl}}">See the whole day in the archive</a>.{{/if}}</p>{{/if}}
<p style="color:#8c959f;font-size:12px;margin-top:24px"><a href="{{preferencesUrl}}">Email preferences</a> · <a href="{{unsubscribeUrl}}">Unsubscribe from digests</a></p>
${LAYOUT_END}`;

const TEXT = `{{teamName}}: {{dateLabel}}
{{summary}}{{#if mentionCount}} · {{mentionCount}} mention you{{/if}}
{{#each people}}

{{name}}
{{#each items}}
  {{#if (eq kind "blocker")}}! {{/if}}{{#if (eq kind "goal")}}{{#if completed}}[x] {{else}}[] {{/if}}{{/if}}{{#each parts}}{{#if you}}>>{{text}}<<{{else}}{{text}}{{/if}}{{/each}}
{{/each}}
{{#if more}}
  + {{more}} more
{{/if}}
{{/each}}
{{#if trimmed}}

Shortened to stay readable in every inbox{{#if trimmed.people}}: {{trimmed.people}} more people{{/if}}, {{trimmed.items}} more lines.
{{#if archiveUrl}}The whole day: {{archiveUrl}}{{/if}}
{{/if}}

Email preferences: {{preferencesUrl}}
Unsubscribe from digests: {{unsubscribeUrl}}
`;

const renderWhole = compilePair<DigestMailView>(HTML, TEXT);

/**
 * The digest mail within DIGEST_HTML_BUDGET bytes of HTML. The estimate decides first; when
 * the rendered mail still weighs more (long names, many tags), the budget tightens and the
 * digest is shortened again.
 */
export function renderDigestMail(view: DigestMailView): RenderedMail {
  let budget = DIGEST_HTML_BUDGET;
  for (let attempt = 0; ; attempt++) {
    const mail = renderWhole({ ...view, ...trimDigest(view, budget) });
    if (Buffer.byteLength(mail.html) <= DIGEST_HTML_BUDGET || attempt >= 5) return mail;
    budget *= 0.8;
  }
}

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
