/**
 * The benchmark's 2,000 replies: generated with the corpus clients (scripts/replies/clients.ts)
 * over every language, client, reply variant and original, parsed once with mailparser (outside
 * the timed part), then split into plain-text inputs and HTML-only inputs.
 */
import { simpleParser } from 'mailparser';
import * as c from '../../scripts/replies/clients.js';
import { LANGS, REPLIES, type Lang } from '../../scripts/replies/languages.js';

export interface BenchInput {
  kind: 'plain' | 'html';
  text?: string;
  html?: string;
  /** The message the reply answers, as text and HTML: the context a routed reply has. */
  parents: string[];
}

const ORIGINAL = `Hi team,

Please send your updates before the 4 pm sync. Remember the release freeze starts on Thursday,
so anything that has to ship this week needs a review by Wednesday noon.
If you are blocked, say so: we can sort it out together.

Agenda for Friday:
- demo of the importer
- on-call handover
- retro

Thanks,
Maria`;

type Make = (t: c.Thread, htmlOnly: boolean) => string;

const CLIENTS: Make[] = [
  (t, h) => c.gmail(t, { htmlOnly: h }),
  (t, h) => c.appleMail(t, { htmlOnly: h }),
  (t, h) => c.appleMail(t, { htmlOnly: h }, true),
  (t, h) => c.outlookDesktop(t, { htmlOnly: h }),
  (t, h) => c.outlookWeb(t, { htmlOnly: h }),
  (t, h) => c.outlookWeb(t, { htmlOnly: h }, 'ios'),
  (t, h) => c.thunderbird(t, { htmlOnly: h, signature: 'Jane Doe\nAcme' }),
  (t, h) => c.yahoo(t, { htmlOnly: h }),
  (t, h) => c.proton(t, { htmlOnly: h }),
  (t, h) => c.zimbra(t, { htmlOnly: h }),
  (t, h) => c.gmail(t, { htmlOnly: h, bottomPost: true }),
];

/** 70 % plain (text part present), 30 % HTML-only, like the mix our inbound sees. */
export async function benchInputs(count = 2000): Promise<BenchInput[]> {
  const out: BenchInput[] = [];
  for (let n = 0; n < count; n++) {
    const lang = LANGS[n % LANGS.length] as Lang;
    const make = CLIENTS[Math.floor(n / LANGS.length) % CLIENTS.length] as Make;
    const htmlOnly = n % 10 >= 7;
    const thread: c.Thread = {
      lang,
      reply: REPLIES[lang][n % 2] as string,
      original: ORIGINAL.repeat(1 + (n % 5)),
      originalFrom: { name: 'Maria Keller', address: 'maria.keller@acme.example' },
      me: { name: 'Jane Doe', address: 'jane.doe@mail.example.net' },
      subject: 'Updates before the sync',
      n,
    };
    const parsed = await simpleParser(Buffer.from(make(thread, htmlOnly)));
    const original = thread.original;
    const parents = [original, `<div>${original.split('\n').join('<br>')}</div>`];
    out.push(
      htmlOnly
        ? { kind: 'html', html: typeof parsed.html === 'string' ? parsed.html : '', parents }
        : { kind: 'plain', text: parsed.text ?? '', parents },
    );
  }
  return out;
}
