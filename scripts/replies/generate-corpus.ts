/**
 * Writes the reply-extraction corpus to fixtures/replies/: raw .eml files as each client sends
 * them, plain text bodies, each with its expected text, and index.json listing every case with
 * its tags. Run with `npx tsx scripts/replies/generate-corpus.ts`; the output is committed.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as c from './clients.js';
import {
  LANGS,
  OUTLOOK_MOBILE_FOOTER,
  PROTON_ATTR,
  REPLIES,
  SAMSUNG,
  THUNDERBIRD_ATTR,
  YAHOO_ATTR,
  ZIMBRA,
  type Lang,
} from './languages.js';
import { PARENT_BODIES } from './parent-cases.js';
import { addSignatureCases, type CaseContext } from './signature-cases.js';
import { TEXT_CASES } from './text-cases.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/replies');

export interface IndexEntry {
  id: string;
  kind: 'eml' | 'text';
  input: string;
  expected: string;
  /** The expected signature, for the cases that state one. */
  signature?: string;
  /** Who sent a text case (an .eml names its sender in From:). */
  sender?: { name: string; address: string };
  /** Parent bodies the reply is read against (parents/NAME). */
  parents?: string[];
  tags: string[];
}

/** The second reply of every language ends with a sign-off; it is a signature, not text. */
const SIGNED = new Map(LANGS.map((l) => [REPLIES[l][1], REPLIES[l][1].lastIndexOf('\n\n')]));

/** What the person typed, less the sign-off a signed reply ends with. */
export function typedText(reply: string): string {
  const at = SIGNED.get(reply);
  return at === undefined ? reply : reply.slice(0, at);
}

const PROMPT = `## Reply above this line ##

Hi Jane,

What did you get done today? Reply to this email: one line per item, [ ] for a goal, ! for a blocker.

Postroom · Acme Engineering
Pause or unsubscribe: https://postroom.example/u/7f3a2c`;

const COLLEAGUE = `Hi team,

Please send your updates before the 4 pm sync.
If you are blocked, say so: we can sort it out together.

Thanks,
Maria`;

const people = {
  postroom: { name: 'Postroom Check-ins', address: 'checkin+r-8f3a2c91@reply.postroom.example' },
  maria: { name: 'Maria Keller', address: 'maria.keller@acme.example' },
  me: { name: 'Jane Doe', address: 'jane.doe@mail.example.net' },
};

let n = 0;
const entries: IndexEntry[] = [];

function thread(
  lang: Lang,
  variant: 0 | 1,
  original: 'prompt' | 'colleague',
  reply?: string,
  me = people.me,
): c.Thread {
  n++;
  return {
    lang,
    reply: reply ?? REPLIES[lang][variant],
    original: original === 'prompt' ? PROMPT : COLLEAGUE,
    originalFrom: original === 'prompt' ? people.postroom : people.maria,
    me,
    subject: original === 'prompt' ? 'What did you get done today?' : 'Updates before the sync',
    n,
  };
}

const withNewline = (s: string) => s + (s ? '\n' : '');

/** Writes one case: input, expected text and, when stated, the expected signature. */
export function addCase(
  kind: 'eml' | 'text',
  id: string,
  input: string,
  expected: string,
  tags: string[],
  context?: CaseContext,
): void {
  const ext = kind === 'eml' ? 'eml' : 'txt';
  writeFileSync(join(root, kind, `${id}.${ext}`), input);
  writeFileSync(join(root, kind, `${id}.expected.txt`), withNewline(typedText(expected)));
  const entry: IndexEntry = {
    id,
    kind,
    input: `${kind}/${id}.${ext}`,
    expected: `${kind}/${id}.expected.txt`,
    tags,
  };
  if (context) {
    writeFileSync(join(root, kind, `${id}.signature.txt`), withNewline(context.signature));
    entry.signature = `${kind}/${id}.signature.txt`;
    if (context.sender) entry.sender = context.sender;
    if (context.parents) entry.parents = context.parents.map((p) => `parents/${p}`);
  }
  entries.push(entry);
}

function addEml(id: string, eml: string, expected: string, tags: string[]): void {
  addCase('eml', id, eml, expected, tags);
}

function addText(id: string, body: string, expected: string, tags: string[]): void {
  addCase('text', id, body, expected, tags);
}

function main(): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'eml'), { recursive: true });
  mkdirSync(join(root, 'text'), { recursive: true });
  mkdirSync(join(root, 'parents'), { recursive: true });
  for (const [name, body] of Object.entries(PARENT_BODIES))
    writeFileSync(join(root, 'parents', name), body);

  // Every language through the five most common clients, top-posted.
  LANGS.forEach((lang, li) => {
    const v = (k: number) => ((li + k) % 2) as 0 | 1;
    const o = (k: number) => ((li + k) % 5 < 2 ? 'prompt' : 'colleague') as 'prompt' | 'colleague';
    let t = thread(lang, v(0), o(0));
    addEml(`gmail-${lang}`, c.gmail(t), t.reply, ['gmail', lang, 'top-post']);
    t = thread(lang, v(1), o(1));
    addEml(`apple-mail-${lang}`, c.appleMail(t), t.reply, ['apple-mail', lang, 'top-post']);
    t = thread(lang, v(2), o(2));
    addEml(`ios-mail-${lang}`, c.appleMail(t, {}, true), t.reply, [
      'ios-mail',
      lang,
      'top-post',
      'mobile-footer',
    ]);
    t = thread(lang, v(3), o(3));
    addEml(`outlook-desktop-${lang}`, c.outlookDesktop(t), t.reply, [
      'outlook-desktop',
      lang,
      'top-post',
      'header-block',
    ]);
    t = thread(lang, v(4), o(4));
    addEml(`outlook-web-${lang}`, c.outlookWeb(t), t.reply, [
      'outlook-web',
      lang,
      'top-post',
      'header-block',
    ]);
  });

  for (const lang of Object.keys(THUNDERBIRD_ATTR) as Lang[]) {
    const t = thread(lang, 0, 'colleague');
    addEml(`thunderbird-${lang}`, c.thunderbird(t), t.reply, [
      'thunderbird',
      lang,
      'top-post',
      'format-flowed',
    ]);
  }
  for (const lang of Object.keys(YAHOO_ATTR) as Lang[]) {
    const t = thread(lang, 1, 'prompt');
    addEml(`yahoo-${lang}`, c.yahoo(t), t.reply, ['yahoo', lang, 'top-post']);
  }
  for (const lang of ['en', 'es'] as Lang[]) {
    const t = thread(lang, 0, 'colleague');
    addEml(`yahoo-android-${lang}`, c.yahoo(t, {}, true), t.reply, [
      'yahoo',
      lang,
      'mobile-footer',
    ]);
  }
  for (const lang of Object.keys(PROTON_ATTR) as Lang[]) {
    const t = thread(lang, 0, 'colleague');
    addEml(`protonmail-${lang}`, c.proton(t), t.reply, [
      'protonmail',
      lang,
      'top-post',
      'mobile-footer',
    ]);
  }
  for (const lang of Object.keys(ZIMBRA) as Lang[]) {
    const t = thread(lang, 1, 'colleague');
    addEml(`zimbra-${lang}`, c.zimbra(t), t.reply, ['zimbra', lang, 'top-post', 'header-block']);
  }
  for (const lang of Object.keys(SAMSUNG) as Lang[]) {
    const t = thread(lang, 0, 'prompt');
    addEml(`samsung-${lang}`, c.samsung(t), t.reply, [
      'samsung',
      lang,
      'mobile-footer',
      'header-block',
    ]);
  }
  for (const lang of Object.keys(OUTLOOK_MOBILE_FOOTER) as Lang[]) {
    const t = thread(lang, 1, 'colleague');
    addEml(`outlook-ios-${lang}`, c.outlookWeb(t, {}, 'ios'), t.reply, [
      'outlook-ios',
      lang,
      'mobile-footer',
      'header-block',
    ]);
  }
  for (const lang of ['en', 'de', 'fr'] as Lang[]) {
    const t = thread(lang, 0, 'prompt');
    addEml(`outlook-android-${lang}`, c.outlookWeb(t, {}, 'android'), t.reply, [
      'outlook-android',
      lang,
      'mobile-footer',
      'header-block',
    ]);
  }
  for (const lang of ['en', 'de', 'pt', 'ru', 'ko'] as Lang[]) {
    const t = thread(lang, 1, 'colleague');
    addEml(`gmail-android-${lang}`, c.gmailAndroid(t), t.reply, [
      'gmail-android',
      lang,
      'top-post',
    ]);
  }

  for (const lang of ['de', 'en', 'fr', 'es'] as Lang[]) {
    const t = thread(lang, 0, lang === 'de' ? 'prompt' : 'colleague');
    addEml(`gmx-${lang}`, c.gmx(t), t.reply, ['gmx', lang, 'top-post', 'header-block']);
  }
  for (const lang of ['en', 'fr'] as Lang[]) {
    const t = thread(lang, 1, 'colleague');
    addEml(`windows-live-${lang}`, c.windowsLive(t), t.reply, [
      'windows-live',
      lang,
      'top-post',
      'header-block',
    ]);
  }

  // Gmail wraps long attributions in text/plain.
  for (const lang of ['en', 'de', 'fr', 'pl', 'es', 'ru'] as Lang[]) {
    const t = thread(lang, 0, 'colleague');
    t.originalFrom = {
      name: 'Maria Keller (Acme Engineering)',
      address: 'maria.keller.engineering-updates@acme.example',
    };
    addEml(`gmail-wrapped-${lang}`, c.gmail(t, { wrapAttribution: true }), t.reply, [
      'gmail',
      lang,
      'wrapped-header',
    ]);
  }

  // HTML-only messages.
  const htmlOnly: [string, Lang, (t: c.Thread) => string][] = [
    ['gmail', 'en', (t) => c.gmail(t, { htmlOnly: true })],
    ['gmail', 'de', (t) => c.gmail(t, { htmlOnly: true })],
    ['gmail', 'ja', (t) => c.gmail(t, { htmlOnly: true })],
    ['apple-mail', 'fr', (t) => c.appleMail(t, { htmlOnly: true })],
    ['ios-mail', 'it', (t) => c.appleMail(t, { htmlOnly: true }, true)],
    ['outlook-web', 'en', (t) => c.outlookWeb(t, { htmlOnly: true })],
    ['outlook-web', 'es', (t) => c.outlookWeb(t, { htmlOnly: true })],
    ['outlook-ios', 'nl', (t) => c.outlookWeb(t, { htmlOnly: true }, 'ios')],
    ['outlook-desktop', 'nl', (t) => c.outlookDesktop(t, { htmlOnly: true })],
    ['outlook-desktop', 'sv', (t) => c.outlookDesktop(t, { htmlOnly: true })],
    ['yahoo', 'en', (t) => c.yahoo(t, { htmlOnly: true })],
    ['yahoo', 'de', (t) => c.yahoo(t, { htmlOnly: true }, true)],
    ['protonmail', 'en', (t) => c.proton(t, { htmlOnly: true })],
    ['zimbra', 'fr', (t) => c.zimbra(t, { htmlOnly: true })],
    [
      'thunderbird',
      'de',
      (t) => c.thunderbird(t, { htmlOnly: true, signature: 'Jonas Becker\nAcme Engineering' }),
    ],
    ['samsung', 'en', (t) => c.samsung(t, { htmlOnly: true })],
    ['gmx', 'de', (t) => c.gmx(t, { htmlOnly: true })],
    ['windows-live', 'en', (t) => c.windowsLive(t, { htmlOnly: true })],
  ];
  htmlOnly.forEach(([client, lang, make], i) => {
    const t = thread(lang, (i % 2) as 0 | 1, i % 3 === 0 ? 'prompt' : 'colleague');
    addEml(`html-only-${client}-${lang}`, make(t), t.reply, [client, lang, 'html-only']);
  });

  // Bottom-posting and signatures.
  let t = thread('en', 0, 'colleague');
  addEml('bottom-post-gmail-en', c.gmail(t, { bottomPost: true }), t.reply, [
    'gmail',
    'en',
    'bottom-post',
  ]);
  t = thread('de', 1, 'colleague');
  addEml('bottom-post-thunderbird-de', c.thunderbird(t, { bottomPost: true }), t.reply, [
    'thunderbird',
    'de',
    'bottom-post',
  ]);
  t = thread('en', 0, 'prompt');
  addEml(
    'bottom-post-mutt-en',
    c.mutt(t, { bottomPost: true, signature: 'Jane Doe · https://jane.example' }),
    t.reply,
    ['mutt', 'en', 'bottom-post', 'signature'],
  );
  t = thread('en', 1, 'colleague');
  addEml(
    'signature-gmail-en',
    c.gmail(t, { signature: 'Jane Doe\nStaff Engineer, Acme\n+1 555 0100' }),
    t.reply,
    ['gmail', 'en', 'signature'],
  );
  t = thread('es', 0, 'prompt');
  addEml(
    'signature-gmail-es',
    c.gmail(t, { signature: 'Lucía Fernández\nIngeniera de software' }),
    t.reply,
    ['gmail', 'es', 'signature'],
  );
  t = thread('en', 0, 'colleague');
  addEml(
    'signature-thunderbird-en',
    c.thunderbird(t, { signature: 'Jane Doe <jane.doe@mail.example.net>\nPGP: 0x4F2A 91C3' }),
    t.reply,
    ['thunderbird', 'en', 'signature', 'format-flowed'],
  );
  t = thread('fr', 1, 'colleague');
  addEml(
    'signature-thunderbird-fr',
    c.thunderbird(t, { signature: 'Camille Martin\nÉquipe plateforme' }),
    t.reply,
    ['thunderbird', 'fr', 'signature', 'format-flowed'],
  );
  t = thread('en', 1, 'prompt');
  addEml('signature-mutt-en', c.mutt(t, { signature: 'Jane' }), t.reply, [
    'mutt',
    'en',
    'signature',
  ]);
  t = thread('de', 0, 'colleague');
  addEml('mutt-de', c.mutt(t), t.reply, ['mutt', 'de', 'top-post']);
  t = thread('en', 0, 'colleague');
  addEml('android-stock-en', c.androidStock(t), t.reply, ['android', 'en', 'top-post']);

  // Replies that are only history.
  t = thread('en', 0, 'prompt', '');
  addEml('empty-gmail-en', c.gmail(t), '', ['gmail', 'en', 'empty']);
  t = thread('de', 0, 'colleague', '');
  addEml('empty-apple-mail-de', c.appleMail(t), '', ['apple-mail', 'de', 'empty']);
  t = thread('en', 0, 'colleague', '');
  addEml('empty-outlook-web-en', c.outlookWeb(t), '', ['outlook-web', 'en', 'empty']);
  t = thread('fr', 0, 'prompt', '');
  addEml('empty-ios-mail-fr', c.appleMail(t, {}, true), '', [
    'ios-mail',
    'fr',
    'empty',
    'mobile-footer',
  ]);

  // Forwarded messages: what the person wrote above the forward.
  t = thread('en', 0, 'colleague', 'FYI, this is the thread I mentioned in standup.');
  addEml('forward-gmail-en', c.gmailForward(t), t.reply, ['gmail', 'en', 'forward']);
  t = thread('fr', 0, 'colleague', 'Pour info, voir ci-dessous.');
  addEml('forward-apple-mail-fr', c.appleForwardFr(t), t.reply, ['apple-mail', 'fr', 'forward']);

  // Corporate and antivirus footers.
  const disclaimerEn =
    'CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the addressee. If you are not the intended recipient, please delete it and notify the sender.';
  t = thread('en', 0, 'prompt');
  addEml(
    'disclaimer-outlook-desktop-en',
    c.outlookDesktop(t, { disclaimer: disclaimerEn }),
    t.reply,
    ['outlook-desktop', 'en', 'footer'],
  );
  t = thread('de', 0, 'colleague');
  addEml(
    'disclaimer-outlook-desktop-de',
    c.outlookDesktop(t, {
      disclaimer:
        'Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender.',
    }),
    t.reply,
    ['outlook-desktop', 'de', 'footer'],
  );
  t = thread('en', 1, 'colleague');
  t.reply = REPLIES.en[1];
  const avast = {
    ...t,
    reply: `${t.reply}\n\n--\nThis email has been checked for viruses by Avast antivirus software.\nwww.avast.com`,
  };
  addEml('antivirus-gmail-en', c.gmail(avast), t.reply, ['gmail', 'en', 'footer']);
  t = thread('fr', 0, 'colleague');
  const avastFr = { ...t, reply: `${t.reply}\n\nVirus-free.www.avast.com` };
  addEml('antivirus-thunderbird-fr', c.thunderbird(avastFr), t.reply, [
    'thunderbird',
    'fr',
    'footer',
  ]);

  // Content that looks like history but is not: it must all stay.
  const traps: [string, string][] = [
    [
      'colon-lines',
      'Here is what I did today:\n\n- Finished the billing export\n- Wrote the changelog for 2.3:\n  fixes, features and known issues\n\nPlan for tomorrow:\n[ ] Start on the importer',
    ],
    [
      'triple-dash',
      'Morning:\n- Support rotation\n\n---\n\nAfternoon:\n- Planning with design\n\n---\n\n! Waiting on legal for the DPA',
    ],
    [
      'on-monday',
      'On Monday I wrote the parser, on Tuesday I tested it:\nall 40 cases pass now.\nOn Wednesday, 3 of us will review it.',
    ],
    [
      'wrote-url',
      'Read the post I wrote: https://blog.example.com/2026/11/how-we-wrote-our-parser\nIt got 1,200 views today.',
    ],
    [
      'regards-sentence',
      'Called the vendor with regards to the invoice.\nBest regards to Tom for covering support!\nSent the signed contract to legal.',
    ],
    [
      'from-line',
      'From: the customer call this morning, three action items:\n- export fix\n- SSO docs\n- pricing page',
    ],
  ];
  traps.forEach(([name, reply], i) => {
    const th = thread('en', 0, i % 2 === 0 ? 'prompt' : 'colleague', reply);
    addEml(
      `content-${name}-${i % 2 === 0 ? 'gmail' : 'apple-mail'}`,
      i % 2 === 0 ? c.gmail(th) : c.appleMail(th),
      reply,
      [i % 2 === 0 ? 'gmail' : 'apple-mail', 'en', 'content'],
    );
  });

  // Inline replies: answers between quoted lines are kept with the quotes they answer.
  const inlineText = `On Tue, Nov 24, 2026 at 5:02 PM Maria Keller <maria.keller@acme.example> wrote:
> Can you send the export numbers?

Yes: 1,204 invoices exported, 3 failed.

> And is the importer on track?

Mostly. [ ] Finish the mapping step tomorrow.

> Thanks,
> Maria
`;
  const inlineExpected = `On Tue, Nov 24, 2026 at 5:02 PM Maria Keller <maria.keller@acme.example> wrote:
> Can you send the export numbers?

Yes: 1,204 invoices exported, 3 failed.

> And is the importer on track?

Mostly. [ ] Finish the mapping step tomorrow.`;
  addText('inline-gmail-en', inlineText, inlineExpected, ['text', 'en', 'inline']);

  const inlineCases: [Lang, [string, string][], string][] = [
    [
      'en',
      [
        ['Can you send the export numbers?', 'Yes: 1,204 invoices exported, 3 failed.'],
        ['Is the importer on track?', 'Mostly. [ ] Finish the mapping step tomorrow.'],
      ],
      'Thanks,\nMaria',
    ],
    [
      'de',
      [
        ['Wie weit ist der Export?', 'Fertig, 1.204 Rechnungen.'],
        ['Brauchst du Hilfe beim Import?', 'Nein, danke. ! Warte nur auf die Zugangsdaten.'],
      ],
      'Danke,\nMaria',
    ],
    [
      'fr',
      [
        ["L'export est terminé ?", 'Oui, 1 204 factures.'],
        ["Besoin d'aide pour l'import ?", "Non merci, c'est en bonne voie."],
      ],
      'Merci,\nMaria',
    ],
  ];
  inlineCases.forEach(([lang, pairs, tail]) => {
    const t = thread(lang, 0, 'colleague');
    const attr = (THUNDERBIRD_ATTR[lang] ?? '').replace('{name}', t.originalFrom.name);
    const expected = `${attr}\n${pairs.map(([q, a]) => `${c.quote(q)}\n\n${a}`).join('\n\n')}`;
    addEml(`inline-thunderbird-${lang}`, c.thunderbirdInline(t, pairs, tail), expected, [
      'thunderbird',
      lang,
      'inline',
      'format-flowed',
    ]);
  });

  for (const tc of TEXT_CASES) addText(tc.id, tc.body, tc.expected, ['text', ...tc.tags]);
  addSignatureCases(addCase, (lang, reply, me) =>
    thread(lang, 0, (n % 3 === 0 ? 'prompt' : 'colleague'), reply, me),
  );

  entries.sort((a, b) => a.id.localeCompare(b.id));
  writeFileSync(join(root, 'index.json'), JSON.stringify(entries, null, 1) + '\n');
  console.log(`wrote ${entries.length} cases to ${root}`);
}

main();
