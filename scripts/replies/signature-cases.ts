/**
 * The signature cases of the reply corpus (issue 15), each with its expected text and
 * signature: signed replies from every client in every language, name-only and initials
 * sign-offs from a known sender, corporate blocks with and without a delimiter, mobile footers
 * and disclaimers in many languages, our own prompt pasted back under attribution lines no
 * rule knows (quoted, unquoted, re-wrapped, converted from HTML), and hard negatives.
 */
import * as c from './clients.js';
import { HARD_NEGATIVES } from './hard-negatives.js';
import { LANGS, REPLIES, IPHONE_FOOTER, type Lang } from './languages.js';
import { PARENT_CASES } from './parent-cases.js';
import {
  DISCLAIMERS,
  MOBILE_FOOTERS,
  NAME_FORMS,
  SIGN_OFFS,
  SIGNERS,
  type SignOff,
} from './signature-material.js';

export interface CaseContext {
  signature: string;
  sender?: { name: string; address: string };
  /** Names of parent bodies (fixtures/replies/parents/NAME.txt). */
  parents?: string[];
}

export type AddCase = (
  kind: 'eml' | 'text',
  id: string,
  input: string,
  expected: string,
  tags: string[],
  context: CaseContext,
) => void;

export type MakeThread = (lang: Lang, reply: string, me?: { name: string; address: string }) => c.Thread;

const valedictionBlock = (s: SignOff) => `${s.valediction}\n${s.first}`;
const corporate = (s: SignOff) =>
  `${s.name}\n${s.title}\n${s.company}\n${s.phone}\nwww.acme.example`;
const pipes = (s: SignOff) =>
  `${s.name} | ${s.title}\n${s.company} | www.acme.example\n${s.phone}`;

function signedClients(add: AddCase, thread: MakeThread): void {
  const layouts: [string, (s: SignOff) => string, (t: c.Thread) => string, string[]][] = [
    ['gmail', valedictionBlock, (t) => c.gmail(t), ['valediction']],
    ['apple-mail', (s) => `${s.valediction}\n${corporate(s)}`, (t) => c.appleMail(t), ['valediction', 'corporate']],
    ['outlook-desktop', pipes, (t) => c.outlookDesktop(t), ['corporate', 'no-delimiter']],
    ['ios-mail', valedictionBlock, (t) => c.appleMail(t, {}, true), ['valediction', 'mobile-footer']],
    ['thunderbird', corporate, (t) => c.thunderbird(t), ['corporate', 'no-delimiter', 'format-flowed']],
  ];
  for (const lang of LANGS) {
    const s = SIGN_OFFS[lang];
    const me = { name: s.name.replace(/\s+/g, ' '), address: 'me@mail.example.net' };
    for (const [client, sign, render, tags] of layouts) {
      const body = REPLIES[lang][0];
      const signature = sign(s);
      const t = thread(lang, `${body}\n\n${signature}`, me);
      const footer = client === 'ios-mail' ? `\n${IPHONE_FOOTER[lang]}` : '';
      add('eml', `signed-${client}-${lang}`, render(t), body, [client, lang, 'signed', ...tags], {
        signature: signature + footer,
      });
    }
  }
}

function delimited(add: AddCase, thread: MakeThread): void {
  for (const lang of ['en', 'de', 'fr', 'es', 'ja', 'pl'] as Lang[]) {
    const s = SIGN_OFFS[lang];
    const t = thread(lang, REPLIES[lang][0]);
    add('eml', `signed-delimiter-gmail-${lang}`, c.gmail(t, { signature: corporate(s) }), t.reply, ['gmail', lang, 'signed', 'corporate', 'delimiter'], { signature: `--\n${corporate(s)}` });
  }
}

function nameForms(add: AddCase, thread: MakeThread): void {
  const clients: [string, (t: c.Thread) => string][] = [
    ['gmail', (t) => c.gmail(t)],
    ['apple-mail', (t) => c.appleMail(t)],
    ['outlook-web', (t) => c.outlookWeb(t)],
  ];
  SIGNERS.forEach((who, si) => {
    NAME_FORMS.forEach(([form, make], fi) => {
      const [client, render] = clients[(si + fi) % clients.length]!;
      const body = REPLIES[who.lang][(si + fi) % 2 === 0 ? 0 : 0];
      const signature = make(who.name);
      const t = thread(who.lang, `${body}\n\n${signature}`, { name: who.name, address: who.address });
      add('eml', `name-${form}-${who.lang}`, render(t), body, [client, who.lang, 'signed', 'name-only', form], { signature });
    });
  });
}

function footers(add: AddCase): void {
  for (const [id, footer] of MOBILE_FOOTERS) {
    const lang = id.split('-').pop()!;
    const body = 'Shipped the CSV export\nReviewed the importer PR';
    add('text', `footer-${id}`, `${body}\n\n${footer}\n`, body, ['text', lang.length === 2 ? lang : 'en', 'mobile-footer', 'signed'], { signature: footer });
  }
  for (const [id, disclaimer] of DISCLAIMERS) {
    const lang = id.split('-')[0]!;
    const body = 'Finished the audit\n[ ] Send the report on Monday';
    const input = `${body}\n\nDana Smith\nHead of Platform\n\n${disclaimer}\n`;
    add('text', `disclaimer-${id}`, input, body, ['text', lang.length === 2 ? lang : 'en', 'footer', 'signed'], {
      signature: `Dana Smith\nHead of Platform\n${disclaimer}`,
    });
  }
}

export function addSignatureCases(add: AddCase, thread: MakeThread): void {
  signedClients(add, thread);
  delimited(add, thread);
  nameForms(add, thread);
  footers(add);
  for (const p of PARENT_CASES)
    add('text', `parent-${p.id}`, p.body, p.expected, ['text', p.lang, 'parent', ...p.tags], {
      signature: p.signature ?? '',
      parents: p.parents,
      sender: p.sender,
    });
  for (const n of HARD_NEGATIVES)
    add('text', `content-${n.id}`, n.body, n.body, ['text', 'en', 'hard-negative'], {
      signature: '',
      ...(n.sender ? { sender: n.sender } : {}),
    });
}
