/**
 * Behaviour of extractReply beyond the corpus: the policy rules one by one (what is cut, what is
 * never cut), the result fields, HTML handling and format=flowed.
 */
import { extractReply, REPLY_MARKER } from '../../src/reply/index.js';

const A = 'Ann Lee <ann@example.com>';

describe('extractReply: what is cut', () => {
  it.each([
    [
      'attribution and quote under a top-posted reply',
      `Done.\n\nOn Mon, Mar 2, 2026 at 9:14 AM ${A} wrote:\n> Done yet?\n`,
      'Done.',
    ],
    [
      'attribution wrapped over two lines',
      `Done.\n\nOn Mon, Mar 2, 2026 at 9:14 AM Ann Lee from the Platform Team\n<ann@example.com> wrote:\n> Done yet?`,
      'Done.',
    ],
    [
      'attribution wrapped over three lines',
      `Done.\n\nOn Mar 2, 2026, at 09:14, Ann Lee <\nann@example.com>\nwrote:\n\nDone yet?`,
      'Done.',
    ],
    [
      'attribution sharing the reply line',
      `Yes. On Mon, Mar 2, 2026 at 9:14 AM, ann@example.com wrote:\n> Ready?`,
      'Yes.',
    ],
    [
      'German Outlook block',
      `Erledigt.\n\nVon: ${A}\nGesendet: Montag, 2. März 2026 09:14\nAn: Bo\nBetreff: Status\n\nFertig?`,
      'Erledigt.',
    ],
    [
      'French Outlook block with spaced colons',
      `Fait.\n\nDe : ${A}\nEnvoyé : lundi 2 mars 2026 09:14\nÀ : Bo\nObjet : Statut\n\nFini ?`,
      'Fait.',
    ],
    [
      'Russian Outlook block',
      `Готово.\n\nОт: ${A}\nОтправлено: 2 марта 2026 г. 9:14\nКому: Bo\nТема: Статус\n\nГотово?`,
      'Готово.',
    ],
    [
      'underscore rule before the block',
      `Sure.\n\n________________________________\nFrom: ${A}\nSent: Monday, March 2, 2026 9:14 AM\nTo: Bo\nSubject: Swap\n\nCan you swap?`,
      'Sure.',
    ],
    [
      'Original Message separator',
      `Ok.\n\n-----Original Message-----\nFrom: ${A}\nSent: Monday\n\nHi`,
      'Ok.',
    ],
    [
      'forwarded message marker',
      `FYI.\n\n---------- Forwarded message ---------\nFrom: ${A}\nDate: Mon, Mar 2, 2026\n\nHi all`,
      'FYI.',
    ],
    [
      'our marker, unquoted',
      `Shipped.\n\n${REPLY_MARKER}\nHi Bo, what did you get done today?`,
      'Shipped.',
    ],
    [
      'our marker, quoted, with a bottom-posted reply',
      `On Mon, Mar 2, 2026 at 9:14 AM ${A} wrote:\n> ${REPLY_MARKER}\n> What did you do?\n\nShipped.`,
      'Shipped.',
    ],
    [
      'Korean Gmail attribution',
      `완료했습니다.\n\n2026년 3월 2일 (월) 오전 9:14, ${A}님이 작성:\n\n> 완료?`,
      '완료했습니다.',
    ],
    [
      'Turkish Gmail attribution',
      `Tamam.\n\n${A}, 2 Mar 2026 Pzt, 09:14 tarihinde şunu yazdı:\n\n> Bitti mi?`,
      'Tamam.',
    ],
    [
      'Finnish Gmail attribution without an address',
      `Valmis.\n\nma 2.3.2026 klo 9.14 Ann Lee kirjoitti:\n\n> Valmis?`,
      'Valmis.',
    ],
    [
      'a quote of three lines without an attribution',
      `Agreed.\n\n> one\n> two\n> three`,
      'Agreed.',
    ],
    ['a quote-only reply', `> one\n> two`, ''],
    [
      'a reply that is only a signature',
      `-- \nBo Berg\n\nOn Mon, Mar 2, 2026 at 9:14 AM ${A} wrote:\n> Status?`,
      '',
    ],
    [
      'a name-only attribution right above a quote',
      `Thanks!\n\nJohn Doe wrote:\n> Ready?`,
      'Thanks!',
    ],
    [
      'a trailing quote not introduced by the sender',
      `Agreed.\n\n> one line of the original`,
      'Agreed.',
    ],
    ['the "-- " signature', `Fixed.\n\n-- \nBo Berg\nPlatform`, 'Fixed.'],
    // Issue 15 turned this around: a sign-off and the name under it are a signature.
    ['a sign-off and a name', 'Done.\n\nThanks,\nBo', 'Done.'],
    ['a mobile footer', `Fixed.\n\nSent from my iPhone`, 'Fixed.'],
    ['a German mobile footer', `Erledigt.\n\nVon meinem iPhone gesendet`, 'Erledigt.'],
    [
      'an Outlook mobile footer with its link',
      `Fixed.\n\nGet Outlook for Android<https://aka.ms/AAb9ysg>`,
      'Fixed.',
    ],
    ['a Romanian mobile footer', `Gata.\n\nTrimis de pe iPhone`, 'Gata.'],
    ['a "Sent with" product footer', `Fixed.\n\nSent with Spark`, 'Fixed.'],
    ['a Horde "Quoting" attribution', `Done.\n\nQuoting ${A}:\n\nStatus?`, 'Done.'],
    [
      'an Open-Xchange attribution',
      `Erledigt.\n\n${A} hat am 2. März 2026 um 09:14 geschrieben:\n\nFertig?`,
      'Erledigt.',
    ],
    [
      'a Yandex attribution',
      `Готово.\n\n02.03.2026, 09:14, "Ann Lee" <ann@example.com>:\n> Готово?`,
      'Готово.',
    ],
    [
      'an antivirus footer',
      `Fixed.\n\nThis email has been checked for viruses by Avast antivirus software.\nwww.avast.com`,
      'Fixed.',
    ],
  ])('%s', (_name, body, expected) => {
    expect(extractReply({ text: body }).text).toBe(expected);
  });
});

describe('extractReply: what is never cut', () => {
  it.each([
    [
      'a line ending in a colon that is no attribution',
      'Today:\n- migrated the invoices\n- reviewed #12',
    ],
    ['"---" used as a separator', 'Morning\n---\nAfternoon'],
    [
      'a quote the sender typed inside the reply',
      'The client wrote:\n> it is broken\nFixed it within the hour.',
    ],
    ['a short quote at the end', 'Motto for the week:\n> ship small'],
    [
      'a last paragraph that starts like a disclaimer',
      'Moved the meeting.\n\nIf you are not sure about the time, ask me.',
    ],
    [
      'a last line that starts like a footer',
      'Migrated the webhooks.\nSent using the new API client.',
    ],
    [
      'a dashed banner that is no separator',
      'Notes\n---- Message from the CEO ----\nAll hands on Friday.',
    ],
    [
      'a typed quote under a line with a date',
      'Closed 3 tickets on 24.11.2026:\n> #1 login\n> #2 export\n> #3 SSO',
    ],
    [
      'a sentence that mentions our marker',
      'Tip: please reply above this line in the prompt mails, it works.',
    ],
    [
      'travel lines that look like header keys',
      'Trip booked.\nDate: Monday\nTo: Paris\nFrom: Berlin',
    ],
    [
      '"what I wrote:" before a typed quote',
      'Here is what I wrote:\n> the old text\nand what changed since.',
    ],
    [
      'a sentence starting with "On"',
      'On Monday I wrote the spec, on Tuesday I tested it:\nall green.',
    ],
    ['"Sent from" inside a sentence', 'Sent from my laptop, the deploy went fine.'],
    [
      'a "From:" line that starts no header block',
      'From: the retro, two actions.\nTo: be discussed.',
    ],
    [
      'an inline reply',
      `On Mon, Mar 2, 2026 at 9:14 AM ${A} wrote:\n> Numbers?\n42.\n> Blockers?\nNone.`,
    ],
  ])('%s', (_name, body) => {
    expect(extractReply({ text: body }).text).toBe(body);
  });
});

describe('extractReply: result fields', () => {
  it('returns the cut history, the signature, the method and flags', () => {
    const result = extractReply({
      text: `Done.\n\n-- \nBo\n\nOn Mon, Mar 2, 2026 at 9:14 AM ${A} wrote:\n> Done?`,
    });
    expect(result).toEqual({
      text: 'Done.',
      quoted: `On Mon, Mar 2, 2026 at 9:14 AM ${A} wrote:\n> Done?`,
      signature: '--\nBo',
      method: 'quote-header',
      flags: expect.arrayContaining(['quote-header', 'signature']) as unknown as string[],
    });
  });

  it('says "empty" and flags only-quotes when nothing was written', () => {
    const result = extractReply({ text: `On Mon, Mar 2, 2026 at 9:14 AM ${A} wrote:\n> Done?` });
    expect(result.text).toBe('');
    expect(result.method).toBe('empty');
    expect(result.flags).toContain('only-quotes');
  });

  it('exports the marker prompt emails carry', () => {
    expect(REPLY_MARKER).toBe('## Reply above this line ##');
  });

  it('accepts a parsed mail with a headers Map and ignores missing parts', () => {
    expect(
      extractReply({ text: 'Hi', html: false, headers: new Map([['subject', 'Re: x']]) }).text,
    ).toBe('Hi');
    expect(extractReply({}).text).toBe('');
  });
});

describe('extractReply: bodies', () => {
  it('converts HTML when there is no text part and cuts Gmail quotes', () => {
    const html = `<div dir="ltr"><div>Shipped the export</div><div>[ ] Docs</div></div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Mar 2, 2026 at 9:14 AM Ann Lee &lt;ann@example.com&gt; wrote:<br></div><blockquote class="gmail_quote"><div>Status?</div></blockquote></div>`;
    const result = extractReply({ html });
    expect(result.text).toBe('Shipped the export\n[ ] Docs');
    expect(result.flags).toContain('html-body');
  });

  it('cuts Outlook web history at divRplyFwdMsg before converting', () => {
    const html = `<div>Done</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Ann</div><div>Status?</div>`;
    const result = extractReply({ html });
    expect(result.text).toBe('Done');
    expect(result.flags).toContain('html-quote-cut');
  });

  it('prefers the HTML part of a single-part text/html mail even when a text was derived from it', () => {
    const headers = new Map<string, unknown>([
      ['content-type', { value: 'text/html', params: {} }],
    ]);
    const result = extractReply({ text: 'DERIVED TEXT', html: '<p>Real text</p>', headers });
    expect(result.text).toBe('Real text');
  });

  it('undoes format=flowed when asked to', () => {
    const result = extractReply({
      text: 'This line was wrapped by the \nclient at 72 columns.\n',
      flowed: true,
    });
    expect(result.text).toBe('This line was wrapped by the client at 72 columns.');
  });

  it('handles CRLF, non-breaking and zero-width characters', () => {
    expect(extractReply({ text: 'Fixed\u00a0it\r\n\u200bDone\r\n' }).text).toBe('Fixed it\nDone');
  });
});
