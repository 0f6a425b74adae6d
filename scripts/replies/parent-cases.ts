/**
 * Our own prompt pasted back into a reply, in the forms clients produce: quoted with ">",
 * unquoted, re-wrapped at another width, converted from our HTML, under attribution lines and
 * header blocks in languages the attribution rules do not know. The parents are the prompt's
 * text and HTML as Postroom renders them (written to fixtures/replies/parents/).
 */
import { convert } from 'html-to-text';
import { promptView } from '../../src/domain/checkins/prompt-view.js';
import { REPLY_MARKER } from '../../src/reply/index.js';
import { renderPromptMail } from '../../src/templates/checkins/prompt-mail.js';
import { quote } from './clients.js';

export interface ParentCase {
  id: string;
  lang: string;
  body: string;
  expected: string;
  signature?: string;
  parents: string[];
  sender: { name: string; address: string };
  tags: string[];
}

const prompt = renderPromptMail(
  promptView({
    memberName: 'Dana Smith',
    teamName: 'Acme Engineering',
    question: 'What did you get done today?',
    localDate: '2026-11-24',
    openGoals: [{ text: 'Finish the mapping step', localDate: '2026-11-23' }],
    marker: REPLY_MARKER,
    preferencesUrl: 'https://postroom.example/preferences?token=7f3a2c',
  }),
);

/** Yesterday's prompt, pasted where today's is the parent: most lines match, some do not. */
const yesterday = renderPromptMail(
  promptView({
    memberName: 'Dana Smith',
    teamName: 'Acme Platform',
    question: 'What did you get done today?',
    localDate: '2026-11-23',
    openGoals: [],
    marker: REPLY_MARKER,
    preferencesUrl: 'https://postroom.example/preferences?token=0b9e11',
  }),
);

const notice = {
  text: 'Hi Dana,\n\nThe invoice export for November is ready. It covers 1,204 invoices and 3 credit notes.\nReply to this email if anything looks wrong.\n\nAcme Billing',
  html: '<p>Hi Dana,</p><p>The invoice export for November is ready. It covers <b>1,204 invoices</b> and 3 credit notes.<br>Reply to this email if anything looks wrong.</p><p>Acme Billing</p>',
};

/** The parent bodies the cases name, written once as fixtures/replies/parents/NAME.txt. */
export const PARENT_BODIES: Record<string, string> = {
  'prompt.txt': prompt.text,
  'prompt.html': prompt.html,
  'notice.txt': notice.text,
  'notice.html': notice.html,
};

const ME = { name: 'Dana Smith', address: 'dana.smith@acme.example' };
const ADDR = 'Postroom <checkin+r-8f3a2c91@reply.postroom.example>';

/** Attribution lines in languages no rule of ours knows. */
const ATTRIBUTIONS: [string, string][] = [
  ['et', `Kuupäeval T, 24. nov 2026 kell 17:02 kirjutas ${ADDR}:`],
  ['lv', `Otrd., 2026. g. 24. nov., plkst. 17:02 — lietotājs ${ADDR} rakstīja:`],
  ['lt', `2026 m. lapkričio 24 d. 17:02 ${ADDR} parašė:`],
  ['is', `Þann þri., 24. nóv. 2026 kl. 17:02 skrifaði ${ADDR}:`],
  ['ca', `El dt., 24 de nov. 2026 a les 17:02, ${ADDR} va escriure:`],
  ['eu', `${ADDR} (e)k 2026 aza. 24, ar. (17:02) idatzi zuen:`],
  ['hr', `uto, 24. stu 2026. u 17:02 ${ADDR} napisao je:`],
  ['sr', `уто, 24. нов 2026. у 17:02 ${ADDR} је написао/ла:`],
  ['sq', `Më mar, 24 nën 2026 në 17:02 ${ADDR} shkruajti:`],
  ['sw', `Mnamo Jumanne, 24 Nov 2026 saa 17:02, ${ADDR} aliandika:`],
  ['hi', `मंगल, 24 नव॰ 2026 को 17:02 बजे ${ADDR} ने लिखा:`],
  ['bg', `На вт, 24.11.2026 г. в 17:02 ${ADDR} написа:`],
  ['ga', `Ar Máirt 24 Samh 2026 ag 17:02, scríobh ${ADDR}:`],
  ['sl', `V tor., 24. nov. 2026 ob 17:02 je ${ADDR}\nnapisal:`],
  ['mt', `Nhar it-Tlieta, 24 ta' Novembru 2026, 17:02 ${ADDR}\nkiteb:`],
];

/** Outlook header blocks in languages without known keys. */
const HEADER_BLOCKS: [string, string][] = [
  ['lv', `No: ${ADDR}\nNosūtīts: otrdiena, 2026. gada 24. novembris 17:02\nKam: Dana Smith <dana.smith@acme.example>\nTēma: What did you get done today?`],
  ['hr', `Šalje: ${ADDR}\nPoslano: utorak, 24. studenoga 2026. 17:02\nPrima: Dana Smith\nPredmet: What did you get done today?`],
  ['is', `Sendandi: ${ADDR}\nSent: þriðjudagur, 24. nóvember 2026 17:02\nViðtakandi: Dana Smith\nEfni: What did you get done today?`],
];

function wrap(text: string, width: number): string {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line, '');
  }
  return out.join('\n').trimEnd();
}

/** The prompt without our marker line: a client that drops the first line, or a forward. */
const bare = prompt.text.slice(prompt.text.indexOf('\n') + 1).trim();
const converted = convert(prompt.html, { wordwrap: 72 });

const FORMS: [string, (t: string) => string][] = [
  ['quoted', (t) => quote(t)],
  ['unquoted', (t) => t],
  ['rewrapped', (t) => wrap(t, 60)],
  ['quoted-rewrapped', (t) => quote(wrap(t, 50))],
  ['html-converted', () => converted],
];

const REPLY = '- Shipped the CSV export for billing\n- Reviewed the importer PR\n! Blocked on staging credentials';

const PROMPT = ['prompt.txt', 'prompt.html'];
const NOTICE = ['notice.txt', 'notice.html'];
const billing = (i: number) => ATTRIBUTIONS[i]![1].replace(ADDR, 'Acme Billing <billing@acme.example>');

function parentCase(
  id: string,
  lang: string,
  body: string,
  expected: string,
  tags: string[],
  options: { signature?: string; parents?: string[] } = {},
): ParentCase {
  const { signature, parents = PROMPT } = options;
  return { id, lang, body, expected, ...(signature ? { signature } : {}), parents, sender: ME, tags };
}

const INLINE = `${billing(6)}\n> The invoice export for November is ready. It covers 1,204 invoices and 3 credit notes.\n\nThe count matches ours.\n\n> Reply to this email if anything looks wrong.\n\nAll good.`;

export const PARENT_CASES: ParentCase[] = [
  ...ATTRIBUTIONS.map(([lang, attribution], i): ParentCase => {
    const [form, render] = FORMS[i % FORMS.length]!;
    const signed = i % 3 === 0;
    const top = signed ? `${REPLY}\n\nDana` : REPLY;
    const body = `${top}\n\n${attribution}\n\n${render(i % 2 === 0 ? bare : prompt.text)}\n`;
    const tags = [form, 'unknown-attribution'];
    return parentCase(`${form}-${lang}`, lang, body, REPLY, tags, signed ? { signature: 'Dana' } : {});
  }),
  ...HEADER_BLOCKS.map(([lang, block], i): ParentCase => {
    const rule = i === 0 ? '________________________________\n' : '';
    const body = `${REPLY}\n\n${rule}${block}\n\n${i === 2 ? converted : bare}\n`;
    return parentCase(`header-block-${lang}`, lang, body, REPLY, ['header-block', 'unknown-attribution']);
  }),
  parentCase(
    'other-day-unquoted-lv',
    'lv',
    `${REPLY}\n\nDana Smith | Head of Platform\n\n${HEADER_BLOCKS[0]![1]}\n\n${yesterday.text.slice(yesterday.text.indexOf('\n') + 1)}\nAcme Platform · Pause or unsubscribe: https://postroom.example/u/0b9e11\n`,
    REPLY,
    ['unquoted', 'header-block', 'partial'],
    { signature: 'Dana Smith | Head of Platform' },
  ),
  parentCase(
    'other-day-quoted-et',
    'et',
    `${REPLY}\n\n—D\n\n${ATTRIBUTIONS[0]![1]}\n${quote(yesterday.text)}\n`,
    REPLY,
    ['quoted', 'partial'],
    { signature: '—D' },
  ),
  parentCase(
    'bottom-post-et',
    'et',
    `${ATTRIBUTIONS[0]![1]}\n${quote(bare)}\n\n${REPLY}\n\n- Dana\n`,
    REPLY,
    ['bottom-post', 'quoted'],
    { signature: '- Dana' },
  ),
  parentCase(
    'notice-unquoted-is',
    'is',
    `Looks right, thanks.\n\nD.\n\n${billing(3)}\n${wrap(notice.text, 40)}\n`,
    'Looks right, thanks.',
    ['rewrapped', 'unknown-attribution'],
    { signature: 'D.', parents: NOTICE },
  ),
  parentCase(
    'notice-html-converted-ca',
    'ca',
    `Two credit notes are missing, see ticket 4411.\n\n${billing(4)}\n\n${convert(notice.html, { wordwrap: 50 })}\n`,
    'Two credit notes are missing, see ticket 4411.',
    ['html-converted', 'unknown-attribution'],
    { parents: NOTICE },
  ),
  parentCase('notice-quoted-inline-hr', 'hr', `${INLINE}\n`, INLINE, ['inline'], { parents: NOTICE }),
];
