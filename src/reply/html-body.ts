/**
 * HTML bodies: cut the history each client marks in its own way, then convert what is left to
 * text with html-to-text. Clients that quote with blockquotes (Gmail, Apple Mail, Thunderbird,
 * ProtonMail) keep them: html-to-text prefixes them with "> " and the plain-text rules decide,
 * so inline answers written between quotes survive. Clients that paste history unquoted under a
 * separator (Outlook desktop and web, Yahoo, Zimbra) are cut at the separator.
 */
import { compile } from 'html-to-text';

/** HTML longer than this is converted without the markup-level cut (it is still line-capped later). */
const MAX_HTML = 2_000_000;
/**
 * Markup converted to text, after the client cut and without head, style and comments. html-to-text
 * runs at a few MB/s on tag-dense markup, so this bounds the time on hostile input; a person's
 * own text is far shorter, and what lies beyond is quoted history in every client we know.
 */
export const MAX_CONVERTED_HTML = 24_000;

const convert = compile({
  wordwrap: false,
  preserveNewlines: false,
  limits: { maxDepth: 64, maxInputLength: MAX_HTML },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'title', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    { selector: 'hr', options: { length: 20 } },
    // Signature containers, by client.
    { selector: '.gmail_signature', format: 'skip' },
    { selector: '[data-smartmail=gmail_signature]', format: 'skip' },
    { selector: '.moz-signature', format: 'skip' },
    { selector: '#Signature', format: 'skip' },
    { selector: '#ms-outlook-mobile-signature', format: 'skip' },
    { selector: '#AppleMailSignature', format: 'skip' },
    { selector: '.protonmail_signature_block', format: 'skip' },
    { selector: '#ymail_android_signature', format: 'skip' },
  ],
});

/**
 * Markers after which everything is unquoted history. Each pattern finds an attribute; the cut
 * goes to the start of the tag that carries it (or of an <hr> right before it).
 */
const CUT_MARKERS: RegExp[] = [
  /id=["']?appendonsend\b/i, // Outlook web and new Outlook
  /id=["']?divRplyFwdMsg\b/i, // Outlook web, iOS and Android
  /border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)/i, // Outlook desktop (WordSection1)
  /class=["']?[^"'>]*\byahoo_quoted\b/i, // Yahoo
  /id=["']?zwchr\b/i, // Zimbra
  /class=["']?[^"'>]*\bOutlookMessageHeader\b/i, // Outlook 2003
  /id=["']?mail-editor-reference-message-container\b/i, // Outlook for Mac
  /id=["']?stopSpelling\b/i, // Outlook.com / Windows Live Mail
  /name=["']?quote\b/i, // GMX, WEB.DE, mail.com
  /name=["']?messageReplySection\b/i, // Spark, Exchange
  /class=["']?[^"'>]*\bmoz-forward-container\b/i, // Thunderbird forward
];

const SIGNATURE_MARKERS: RegExp[] = [
  /class=["']?[^"'>]*\bgmail_signature\b/i,
  /class=["']?[^"'>]*\bmoz-signature\b/i,
  /id=["']?(?:Signature|ms-outlook-mobile-signature|AppleMailSignature)\b/i,
  /class=["']?[^"'>]*\bprotonmail_signature_block\b/i,
];

export interface HtmlCut {
  text: string;
  cut: boolean;
  signature: boolean;
  /** The markup was longer than MAX_CONVERTED_HTML and its end was not converted. */
  truncated: boolean;
}

export function htmlToReplyText(html: string): HtmlCut {
  let source = html;
  let cut = false;
  if (source.length <= MAX_HTML) {
    let at = -1;
    for (const marker of CUT_MARKERS) {
      const m = marker.exec(source);
      if (m && (at < 0 || m.index < at)) at = m.index;
    }
    if (at >= 0) {
      let tag = source.lastIndexOf('<', at);
      const hr = source.lastIndexOf('<hr', at);
      if (hr >= 0 && at - hr < 400 && !/<\/?(?:div|p|table)\b/i.test(source.slice(hr + 3, tag)))
        tag = Math.min(tag, hr);
      if (tag >= 0) {
        source = source.slice(0, tag);
        cut = true;
      }
    }
  }
  // Head and style blocks come first, so scanning 10× the converted budget is enough.
  let truncated = false;
  if (source.length > 10 * MAX_CONVERTED_HTML) {
    source = source.slice(0, 10 * MAX_CONVERTED_HTML);
    truncated = true;
  }
  source = stripInvisibleBlocks(source);
  if (source.length > MAX_CONVERTED_HTML) {
    const lt = source.lastIndexOf('<', MAX_CONVERTED_HTML);
    source = source.slice(0, lt > MAX_CONVERTED_HTML / 2 ? lt : MAX_CONVERTED_HTML);
    truncated = true;
  }
  const signature = SIGNATURE_MARKERS.some((m) => m.test(source));
  return { text: convert(source), cut, signature, truncated };
}

/** Removes comments and head/style/script/title blocks with plain index scans. */
function stripInvisibleBlocks(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let copied = 0;
  let pos = 0;
  for (;;) {
    const lt = lower.indexOf('<', pos);
    if (lt < 0) break;
    pos = lt + 1;
    const next = lower.charCodeAt(lt + 1);
    // '!', 'h', 's', 't': the only tags this removes.
    if (next !== 33 && next !== 104 && next !== 115 && next !== 116) continue;
    let end = -1;
    if (lower.startsWith('<!--', lt)) {
      const close = lower.indexOf('-->', lt + 4);
      end = close < 0 ? lower.length : close + 3;
    } else {
      const m = /^<(head|style|script|title)[\s>]/.exec(lower.slice(lt, lt + 8));
      if (m) {
        const close = lower.indexOf(`</${m[1]}`, lt);
        const gt = close < 0 ? -1 : lower.indexOf('>', close);
        end = gt < 0 ? lower.length : gt + 1;
      }
    }
    if (end < 0) continue;
    out += html.slice(copied, lt);
    copied = pos = end;
  }
  return copied === 0 ? html : out + html.slice(copied);
}
