/**
 * How each mail client lays out a reply: the text/plain alternative, the HTML alternative, the
 * transfer encodings and the client headers. Each function takes what the person typed and the
 * message they answered, and returns a raw message. The layouts follow what these clients send
 * (Gmail, Outlook desktop/web/iOS/Android, Apple Mail, iOS Mail, Thunderbird, Yahoo, ProtonMail,
 * Zimbra, Samsung Email, Android stock mail, mutt).
 */
import { flow, header, render, type Message, type Part } from './mime.js';
import {
  APPLE_ATTR,
  GMAIL_ATTR,
  IPHONE_FOOTER,
  OUTLOOK_DATE,
  OUTLOOK_KEYS,
  OUTLOOK_MOBILE_FOOTER,
  PROTON_ATTR,
  SAMSUNG,
  THUNDERBIRD_ATTR,
  YAHOO_ATTR,
  ZIMBRA,
  type Lang,
} from './languages.js';

export interface Thread {
  lang: Lang;
  /** Exactly what the person typed. */
  reply: string;
  /** The message being answered (plain text). */
  original: string;
  originalFrom: { name: string; address: string };
  me: { name: string; address: string };
  subject: string;
  n: number;
}

export interface ClientOptions {
  htmlOnly?: boolean;
  /** Wrap the attribution line the way Gmail's text/plain does for long names. */
  wrapAttribution?: boolean;
  signature?: string;
  footer?: boolean;
  bottomPost?: boolean;
  /** Attribution template overriding the language default. */
  attribution?: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const who = (p: { name: string; address: string }) => `${p.name} <${p.address}>`;

export function quote(text: string, prefix = '> '): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? prefix.trimEnd() : prefix + l))
    .join('\n');
}

/** Gmail-style wrapping of a long attribution at 78 columns, breaking after "<" when it must. */
export function wrapAt78(line: string): string {
  if (line.length <= 78) return line;
  const lt = line.lastIndexOf('<');
  if (lt > 0 && lt < 78) return line.slice(0, lt + 1) + '\n' + line.slice(lt + 1);
  const sp = line.lastIndexOf(' ', 78);
  return line.slice(0, sp) + '\n' + line.slice(sp + 1);
}

function divs(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '<div><br></div>' : `<div>${esc(l)}</div>`))
    .join('');
}

function paragraphs(text: string): string {
  return text
    .split('\n')
    .map((l) =>
      l === ''
        ? '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        : `<p class="MsoNormal">${esc(l)}<o:p></o:p></p>`,
    )
    .join('\n');
}

function brs(text: string): string {
  return text.split('\n').map(esc).join('<br>');
}

function baseHeaders(t: Thread, extra: [string, string][]): [string, string][] {
  return [
    header('From', who(t.me)),
    header('To', `Postroom <${t.originalFrom.address}>`),
    header('Subject', `Re: ${t.subject}`),
    header('Date', 'Tue, 24 Nov 2026 17:31:0' + (t.n % 10) + ' +0100'),
    header('Message-ID', `<reply-${t.n}.${t.lang}@mail.example.net>`),
    header('In-Reply-To', `<prompt-${t.n}@postroom.example>`),
    header('References', `<prompt-${t.n}@postroom.example>`),
    ...extra,
  ];
}

function message(
  t: Thread,
  extra: [string, string][],
  text: Part | null,
  html: Part | null,
  o: ClientOptions,
): string {
  const parts = o.htmlOnly ? [html] : [text, html];
  const msg: Message = {
    headers: baseHeaders(t, extra),
    parts: parts.filter((p): p is Part => p !== null),
    boundary: `000000000000${(t.n * 7919).toString(16).padStart(8, '0')}${t.lang}`,
  };
  return render(msg);
}

const fill = (tpl: string, t: Thread) =>
  tpl.replace('{who}', who(t.originalFrom)).replace('{name}', t.originalFrom.name);

export function gmail(t: Thread, o: ClientOptions = {}): string {
  let attr = fill(o.attribution ?? GMAIL_ATTR[t.lang], t);
  const sig = o.signature ? `\n\n-- \n${o.signature}` : '';
  const textAttr = o.wrapAttribution ? wrapAt78(attr) : attr;
  const body = o.bottomPost
    ? `${textAttr}\n\n${quote(t.original)}\n\n${t.reply}${sig}\n`
    : `${t.reply}${sig}\n\n${textAttr}\n\n${quote(t.original)}\n`;
  attr = esc(attr);
  const sigHtml = o.signature
    ? `<br clear="all"><div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr">${brs(o.signature)}</div></div>`
    : '';
  const quoteHtml = `<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">${attr}<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir="ltr">${divs(t.original)}</div></blockquote></div>`;
  const html = o.bottomPost
    ? `<div dir="ltr">${quoteHtml}<div>${divs(t.reply)}</div>${sigHtml}</div>\n`
    : `<div dir="ltr">${divs(t.reply)}${sigHtml}</div><br>${quoteHtml}\n`;
  return message(
    t,
    [],
    { type: 'text/plain', body, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    o,
  );
}

export function gmailAndroid(t: Thread, o: ClientOptions = {}): string {
  const attribution = GMAIL_ATTR[t.lang]
    .replace(' at 5:02 PM ', ', 17:02 ')
    .replace(' a las 17:02,', ', 17:02');
  return gmail(t, { ...o, attribution });
}

function outlookBlock(t: Thread, bold: boolean): string[] {
  const [from, sent, to, subject] = OUTLOOK_KEYS[t.lang];
  const b = (k: string) => (bold ? `*${k}:*` : `${k}:`);
  return [
    `${b(from)} ${t.originalFrom.name} <${t.originalFrom.address}>`,
    `${b(sent)} ${OUTLOOK_DATE[t.lang]}`,
    `${b(to)} ${t.me.name} <${t.me.address}>`,
    `${b(subject)} ${t.subject}`,
  ];
}

function outlookHtmlBlock(t: Thread): string {
  const [from, sent, to, subject] = OUTLOOK_KEYS[t.lang];
  return (
    `<b>${esc(from)}:</b> ${esc(t.originalFrom.name)} &lt;${esc(t.originalFrom.address)}&gt;<br>` +
    `<b>${esc(sent)}:</b> ${esc(OUTLOOK_DATE[t.lang])}<br>` +
    `<b>${esc(to)}:</b> ${esc(t.me.name)} &lt;${esc(t.me.address)}&gt;<br>` +
    `<b>${esc(subject)}:</b> ${esc(t.subject)}`
  );
}

const OUTLOOK_HEADERS: [string, string][] = [
  ['Thread-Topic', 'What did you get done today?'],
  ['Thread-Index', 'AQHbXk3vT2p1c3Ryb29tLXByb21wdA=='],
  ['Accept-Language', 'en-US'],
  ['X-MS-Has-Attach', ''],
  ['X-MS-TNEF-Correlator', ''],
];

/** Outlook desktop (Word editor): a border-top separator in HTML, a bare header block in text. */
export function outlookDesktop(t: Thread, o: ClientOptions & { disclaimer?: string } = {}): string {
  const disclaimer = o.disclaimer ? `\n\n${o.disclaimer}` : '';
  const text = `${t.reply}${disclaimer}\n\n${outlookBlock(t, false).join('\n')}\n\n${t.original}\n`;
  const html = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;} --></style></head><body lang="EN-US" link="#0563C1" vlink="#954F72"><div class="WordSection1">
${paragraphs(t.reply)}
${o.disclaimer ? paragraphs('\n' + o.disclaimer) : ''}
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal">${outlookHtmlBlock(t)}<o:p></o:p></p></div>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
${paragraphs(t.original)}
</div></body></html>
`;
  return message(
    t,
    [...OUTLOOK_HEADERS, ['X-Mailer', 'Microsoft Outlook 16.0']],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    o,
  );
}

/** Outlook on the web / new Outlook: an underscore rule, then the header block. */
export function outlookWeb(t: Thread, o: ClientOptions = {}, mobile?: 'ios' | 'android'): string {
  const footerText = mobile ? mobileFooter(t.lang, mobile) : null;
  const footer = footerText ? `\n\n${footerText.text}` : '';
  const text = `${t.reply}${footer}\n${'_'.repeat(32)}\n${outlookBlock(t, false).join('\n')}\n\n${t.original}\n`;
  const footerHtml = footerText
    ? `<div id="ms-outlook-mobile-signature"><div><br></div>${esc(footerText.label.split(' ')[0] ?? '')} <a href="${footerText.url}">${esc(footerText.label.split(' ').slice(1).join(' '))}</a></div>`
    : '';
  const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head><body dir="ltr"><div class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">${divs(t.reply)}</div>${footerHtml}<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">${outlookHtmlBlock(t)}</font><div>&nbsp;</div></div><div>${divs(t.original)}</div></body></html>
`;
  return message(
    t,
    [...OUTLOOK_HEADERS, ['x-ms-exchange-messagesentrepresentingtype', '1']],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    o,
  );
}

function mobileFooter(
  lang: Lang,
  os: 'ios' | 'android',
): { text: string; label: string; url: string } {
  const base = OUTLOOK_MOBILE_FOOTER[lang] ?? 'Get Outlook for iOS';
  const label = os === 'ios' ? base : base.replace('iOS', 'Android');
  const url = os === 'ios' ? 'https://aka.ms/o0ukef' : 'https://aka.ms/AAb9ysg';
  return { text: `${label}<${url}>`, label, url };
}

/** Apple Mail on macOS: the attribution sits inside the quote, in both parts. */
export function appleMail(t: Thread, o: ClientOptions = {}, ios = false): string {
  const attr = fill(APPLE_ATTR[t.lang], t);
  const footer = ios && o.footer !== false ? `\n\n${IPHONE_FOOTER[t.lang]}` : '';
  const text = `${t.reply}${footer}\n\n${quote(attr + '\n\n' + t.original)}\n`;
  const footerHtml =
    ios && o.footer !== false
      ? `<div dir="ltr"><br id="lineBreakAtBeginningOfSignature"><div dir="ltr">${esc(IPHONE_FOOTER[t.lang])}</div><div dir="ltr"><br></div></div>`
      : '';
  const html = ios
    ? `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto"><div dir="ltr">${brs(t.reply)}</div>${footerHtml}<div dir="ltr"><br><blockquote type="cite">${esc(attr)}<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">${divs(t.original)}</div></blockquote></body></html>\n`
    : `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">${divs(t.reply)}<div><br><blockquote type="cite"><div>${esc(attr)}</div><br class="Apple-interchange-newline"><div>${divs(t.original)}</div></blockquote></div><br></body></html>\n`;
  return message(
    t,
    [['X-Mailer', ios ? 'iPhone Mail (22B91)' : 'Apple Mail (2.3826.300.87.4.3)']],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    o,
  );
}

/** Thunderbird: format=flowed text, moz-cite-prefix and moz-signature in HTML. */
export function thunderbird(t: Thread, o: ClientOptions = {}): string {
  const attr = fill(THUNDERBIRD_ATTR[t.lang] ?? THUNDERBIRD_ATTR.en ?? '', t);
  const sig = o.signature ? `\n\n-- \n${o.signature}` : '';
  const plain = o.bottomPost
    ? `${attr}\n${quote(t.original)}\n\n${t.reply}${sig}\n`
    : `${t.reply}${sig}\n\n${attr}\n${quote(t.original)}\n`;
  const sigHtml = o.signature
    ? `<pre class="moz-signature" cols="72">-- \n${esc(o.signature)}</pre>`
    : '';
  const quoteHtml = `<div class="moz-cite-prefix">${esc(attr)}<br></div><blockquote type="cite" cite="mid:prompt-${t.n}@postroom.example">${divs(t.original)}</blockquote>`;
  const html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>${o.bottomPost ? quoteHtml + '<p>' + brs(t.reply) + '</p>' + sigHtml : '<p>' + brs(t.reply) + '</p>' + sigHtml + quoteHtml}</body></html>\n`;
  return message(
    t,
    [
      ['User-Agent', 'Mozilla Thunderbird'],
      ['Content-Language', t.lang],
    ],
    { type: 'text/plain', body: flow(plain), encoding: '8bit', flowed: true },
    { type: 'text/html', body: html, encoding: '8bit' },
    o,
  );
}

/** Yahoo Mail: indented attribution, unquoted history in text, yahoo_quoted div in HTML. */
export function yahoo(t: Thread, o: ClientOptions = {}, android = false): string {
  const attr = fill(YAHOO_ATTR[t.lang] ?? YAHOO_ATTR.en ?? '', t);
  const footer = android ? '\n\nSent from Yahoo Mail on Android' : '';
  const text = `${t.reply}${footer}\n\n    ${attr}  \n\n${t.original
    .split('\n')
    .map((l) => (l ? ' ' + l : l))
    .join('\n')}\n`;
  const footerHtml = android
    ? '<div id="ymail_android_signature"><a id="ymail_android_signature_link" href="https://mail.onelink.me/107872968?pid=nativeplacement">Sent from Yahoo Mail on Android</a></div>'
    : '';
  const html = `<html><head></head><body><div class="ydp3f1e8c0yahoo-style-wrap" style="font-family:Helvetica Neue, Helvetica, Arial, sans-serif;font-size:13px;">${divs(t.reply)}</div>${footerHtml}<div id="ydpa1b2yahoo_quoted_1234" class="ydpa1b2yahoo_quoted"><div style="font-family:'Helvetica Neue', Helvetica, Arial, sans-serif;font-size:13px;color:#26282a;"><div>${esc(attr)}</div><div><br></div><div><br></div><div><div dir="ltr">${divs(t.original)}</div></div></div></div></body></html>\n`;
  return message(
    t,
    [
      [
        'X-Mailer',
        android
          ? 'WebService/1.1.22806 YahooMailAndroidMobile'
          : 'WebService/1.1.22806 YMailNorrin',
      ],
    ],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    o,
  );
}

/** ProtonMail: the signature block sits above the quoted attribution; base64 parts. */
export function proton(t: Thread, o: ClientOptions = {}): string {
  const attr = fill(PROTON_ATTR[t.lang] ?? PROTON_ATTR.en ?? '', t);
  const text = `${t.reply}\n\nSent with Proton Mail secure email.\n\n${attr}\n\n${quote(t.original)}\n`;
  const html = `<div style="font-family: Arial, sans-serif; font-size: 14px;">${divs(t.reply)}</div><div style="font-family: Arial, sans-serif; font-size: 14px;"><br></div><div class="protonmail_signature_block" style="font-family: Arial, sans-serif; font-size: 14px;"><div class="protonmail_signature_block-proton">Sent with <a target="_blank" href="https://proton.me/mail/home">Proton Mail</a> secure email.</div></div><div style="font-family: Arial, sans-serif; font-size: 14px;"><br></div><div class="protonmail_quote">${esc(attr)}<br><br><blockquote class="protonmail_quote" type="cite">${divs(t.original)}</blockquote><br></div>\n`;
  return message(
    t,
    [
      ['X-Pm-Origin', 'internal'],
      ['X-Pm-Content-Encryption', 'end-to-end'],
    ],
    { type: 'text/plain', body: text, encoding: 'base64' },
    { type: 'text/html', body: html, encoding: 'base64' },
    o,
  );
}

/** Zimbra: "----- Original Message -----" and a header block; hr#zwchr in HTML. */
export function zimbra(t: Thread, o: ClientOptions = {}): string {
  const z = ZIMBRA[t.lang] ?? ZIMBRA.en;
  if (!z) throw new Error('no zimbra format');
  const [from, to, sent, subject] = z.keys;
  const block = [
    `${from}: "${t.originalFrom.name}" <${t.originalFrom.address}>`,
    `${to}: "${t.me.name}" <${t.me.address}>`,
    `${sent}: ${OUTLOOK_DATE[t.lang]}`,
    `${subject}: ${t.subject}`,
  ];
  const text = `${t.reply}\n\n${z.rule}\n${block.join('\n')}\n\n${quote(t.original)}\n`;
  const html = `<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">${divs(t.reply)}<div><br></div><hr id="zwchr" data-marker="__DIVIDER__"><div data-marker="__HEADERS__"><b>${from}: </b>"${esc(t.originalFrom.name)}" &lt;${esc(t.originalFrom.address)}&gt;<br><b>${to}: </b>"${esc(t.me.name)}" &lt;${esc(t.me.address)}&gt;<br><b>${sent}: </b>${esc(OUTLOOK_DATE[t.lang])}<br><b>${subject}: </b>${esc(t.subject)}<br></div><br><div data-marker="__QUOTED_TEXT__">${divs(t.original)}</div></div></body></html>\n`;
  return message(
    t,
    [
      ['X-Mailer', 'Zimbra 10.0.6_GA_4600 (ZimbraWebClient - FF120 (Linux)/10.0.6_GA_4600)'],
      ['Thread-Index', 'Zm9vYmFy'],
    ],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    o,
  );
}

/** Samsung Email: footer, then "-------- Original message --------" and a header block. */
export function samsung(t: Thread, o: ClientOptions = {}): string {
  const s = SAMSUNG[t.lang] ?? SAMSUNG.en;
  if (!s) throw new Error('no samsung format');
  const [from, date, to, subject] = s.keys;
  const block = [
    `${from}: ${who(t.originalFrom)} `,
    `${date}: 24/11/2026 17:02 (GMT+01:00) `,
    `${to}: ${who(t.me)} `,
    `${subject}: ${t.subject} `,
  ];
  const text = `${t.reply}\n\n\n\n${s.footer}\n\n\n${s.rule}\n${block.join('\n')}\n\n${t.original}\n`;
  const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body><div dir="auto">${divs(t.reply)}</div><div dir="auto"><br></div><div dir="auto"><br></div><div id="composer_signature" dir="auto"><div style="font-size:12px;color:#575757" dir="auto">${esc(s.footer)}</div></div><div dir="auto"><br></div><div><br></div><div align="left" dir="auto" style="font-size:100%;color:#000000"><div>${esc(s.rule)}</div><div>${block.map(esc).join('</div><div>')}</div><div><br></div>${divs(t.original)}</div></body></html>\n`;
  return message(
    t,
    [],
    { type: 'text/plain', body: text, encoding: 'base64' },
    { type: 'text/html', body: html, encoding: 'base64' },
    o,
  );
}

/** Android's stock mail app and some K-9 setups: "---- Name wrote ----". */
export function androidStock(t: Thread): string {
  const text = `${t.reply}\n\n---- ${t.originalFrom.name} wrote ----\n\n${quote(t.original)}\n`;
  return message(
    t,
    [['X-Mailer', 'Android Mail']],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    null,
    {},
  );
}

/** mutt: "* Name <addr> [date]:" attribution, plain text only. */
export function mutt(t: Thread, o: ClientOptions = {}): string {
  const sig = o.signature ? `\n\n-- \n${o.signature}` : '';
  const attr = `* ${who(t.originalFrom)} [2026-11-24 17:02 +0100]:`;
  const text = o.bottomPost
    ? `${attr}\n${quote(t.original)}\n\n${t.reply}${sig}\n`
    : `${t.reply}${sig}\n\n${attr}\n${quote(t.original)}\n`;
  return message(
    t,
    [['User-Agent', 'Mutt/2.2.12 (2023-09-09)']],
    { type: 'text/plain', body: text, encoding: '8bit' },
    null,
    {},
  );
}

/** Gmail "Forward": the original is pasted unquoted under a dashed marker and a header block. */
export function gmailForward(t: Thread): string {
  const block = `---------- Forwarded message ---------\nFrom: ${who(t.originalFrom)}\nDate: Tue, Nov 24, 2026 at 5:02 PM\nSubject: ${t.subject}\nTo: <team@acme.example>`;
  const text = `${t.reply}\n\n${block}\n\n\n${t.original}\n`;
  const html = `<div dir="ltr">${divs(t.reply)}<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>From: <strong class="gmail_sendername" dir="auto">${esc(t.originalFrom.name)}</strong> <span dir="auto">&lt;${esc(t.originalFrom.address)}&gt;</span><br>Date: Tue, Nov 24, 2026 at 5:02 PM<br>Subject: ${esc(t.subject)}<br>To: &lt;team@acme.example&gt;<br></div><br><br><div dir="ltr">${divs(t.original)}</div></div></div>\n`;
  return message(
    t,
    [],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    {},
  );
}

/** Apple Mail "Forward" in French: "Début du message réexpédié :" then the original headers. */
export function appleForwardFr(t: Thread): string {
  const block = `Début du message réexpédié :\n\nDe: ${who(t.originalFrom)}\nObjet: ${t.subject}\nDate: 24 novembre 2026 à 17:02:00 UTC+1\nÀ: team@acme.example`;
  const text = `${t.reply}\n\n${block}\n\n${t.original}\n`;
  const html = `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word;">${divs(t.reply)}<div><br><blockquote type="cite"><div>Début du message réexpédié :</div><br class="Apple-interchange-newline"><div style="margin: 0px;"><b>De: </b>${esc(who(t.originalFrom))}<br></div><div style="margin: 0px;"><b>Objet: </b>${esc(t.subject)}<br></div><div style="margin: 0px;"><b>Date: </b>24 novembre 2026 à 17:02:00 UTC+1<br></div><div style="margin: 0px;"><b>À: </b>team@acme.example<br></div><br><div>${divs(t.original)}</div></blockquote></div><br></body></html>\n`;
  return message(
    t,
    [['X-Mailer', 'Apple Mail (2.3826.300.87.4.3)']],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    {},
  );
}

/** GMX / WEB.DE / mail.com: an unquoted header block that starts with the date, name="quote" in HTML. */
export function gmx(t: Thread, o: ClientOptions = {}): string {
  const keys: Partial<Record<Lang, [string, string, string, string, string]>> = {
    de: ['Gesendet', 'Von', 'An', 'Betreff', 'Dienstag, 24. November 2026 um 17:02 Uhr'],
    en: ['Sent', 'From', 'To', 'Subject', 'Tuesday, November 24, 2026 at 5:02 PM'],
    fr: ['Envoyé', 'De', 'À', 'Objet', 'mardi 24 novembre 2026 à 17:02'],
    es: ['Enviado', 'De', 'Para', 'Asunto', 'martes, 24 de noviembre de 2026 a las 17:02'],
  };
  const [sent, from, to, subject, date] = keys[t.lang] ?? keys.en ?? ['', '', '', '', ''];
  const block = [
    `${sent}: ${date}`,
    `${from}: "${t.originalFrom.name}" <${t.originalFrom.address}>`,
    `${to}: ${t.me.address}`,
    `${subject}: ${t.subject}`,
  ];
  const text = `${t.reply}\n\n${block.join('\n')}\n\n${t.original}\n`;
  const html = `<html><head></head><body><div style="font-family: Verdana;font-size: 12.0px;"><div>${divs(t.reply)}</div>
<div>&nbsp;
<div name="quote" style="margin:10px 5px 5px 10px; padding: 10px 0 10px 10px; border-left:2px solid #C3D9E5; word-wrap: break-word;"><div style="margin:0 0 10px 0;"><b>${sent}:</b>&nbsp;${esc(date)}<br/><b>${from}:</b>&nbsp;&quot;${esc(t.originalFrom.name)}&quot; &lt;${esc(t.originalFrom.address)}&gt;<br/><b>${to}:</b>&nbsp;${esc(t.me.address)}<br/><b>${subject}:</b>&nbsp;${esc(t.subject)}</div><div name="quoted-content">${divs(t.original)}</div></div></div></div></body></html>\n`;
  return message(
    t,
    [
      ['X-UI-Message-Type', 'mail'],
      ['X-Priority', '3'],
      ['Importance', 'normal'],
      ['Sensitivity', 'Normal'],
    ],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    o,
  );
}

/** Outlook.com / Windows Live Mail (older): hr#stopSpelling before the header block. */
export function windowsLive(t: Thread, o: ClientOptions = {}): string {
  const [from, sent, to, subject] = OUTLOOK_KEYS[t.lang];
  const block = [
    `${from}: ${t.originalFrom.address}`,
    `${to}: ${t.me.address}`,
    `${subject}: ${t.subject}`,
    `${sent === 'Sent' ? 'Date' : sent}: Tue, 24 Nov 2026 17:02:11 +0100`,
  ];
  const text = `${t.reply}\n\n${'_'.repeat(50)}\n${block.join('\n')}\n\n${t.original}\n`;
  const html = `<html><head><style><!-- .hmmessage P { margin:0px; padding:0px } --></style></head><body class='hmmessage'><div dir='ltr'>${divs(t.reply)}<br><br><div><hr id="stopSpelling">${block.map(esc).join('<br>')}<br><br>${divs(t.original)}</div></div></body></html>\n`;
  return message(
    t,
    [['X-Originating-IP', '[203.0.113.7]']],
    { type: 'text/plain', body: text, encoding: 'quoted-printable' },
    { type: 'text/html', body: html, encoding: 'quoted-printable' },
    o,
  );
}

/**
 * Thunderbird inline reply: the person answers under each quoted paragraph. `pairs` are
 * [quoted paragraph, answer]; a final quoted paragraph without an answer ends the message.
 */
export function thunderbirdInline(t: Thread, pairs: [string, string][], tail: string): string {
  const attr = fill(THUNDERBIRD_ATTR[t.lang] ?? THUNDERBIRD_ATTR.en ?? '', t);
  const parts = pairs.map(([q, a]) => `${quote(q)}\n\n${a}\n`);
  const plain = `${attr}\n${parts.join('\n')}\n${quote(tail)}\n`;
  const html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body><div class="moz-cite-prefix">${esc(attr)}<br></div>${pairs
    .map(([q, a]) => `<blockquote type="cite">${divs(q)}</blockquote><p>${brs(a)}</p>`)
    .join('')}<blockquote type="cite">${divs(tail)}</blockquote></body></html>\n`;
  return message(
    t,
    [
      ['User-Agent', 'Mozilla Thunderbird'],
      ['Content-Language', t.lang],
    ],
    { type: 'text/plain', body: flow(plain), encoding: '8bit', flowed: true },
    { type: 'text/html', body: html, encoding: '8bit' },
    {},
  );
}
