/**
 * A parent body as plain lines for shingling. Our own HTML is reduced by a linear tag stripper
 * (block tags end lines, entities decoded): only the words and their order matter here, so a
 * full HTML-to-text conversion would cost time for nothing.
 */

const LOOKS_HTML = /<(?:html|body|div|p|br|table|td|span|a|ul|li|h[1-6])\b[^>]{0,500}>/i;
const BLOCK = /^(?:p|div|br|tr|li|ul|ol|table|h[1-6]|blockquote|hr|pre|section|header|footer)$/i;
const SKIPPED = ['style', 'script', 'head', 'title'];
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  middot: '·',
  hellip: '…',
  ndash: '–',
  mdash: '—',
};

function decode(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (all, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? all;
    const code =
      name[1] === 'x' || name[1] === 'X'
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
  });
}

/** The end of a skipped element (`</style>`) from `from`, or the end of the text. */
function skipTo(html: string, lower: string, name: string, from: number): number {
  const end = lower.indexOf(`</${name}`, from);
  if (end < 0) return html.length;
  const close = html.indexOf('>', end);
  return close < 0 ? html.length : close + 1;
}

export function stripHtml(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out.push(html.slice(i));
      break;
    }
    out.push(html.slice(i, lt));
    const gt = html.indexOf('>', lt);
    if (gt < 0) break;
    const name = /^<\/?([a-z0-9]{1,12})/i.exec(html.slice(lt, lt + 14))?.[1] ?? '';
    const isClose = html[lt + 1] === '/';
    if (!isClose && SKIPPED.includes(name.toLowerCase())) {
      i = skipTo(html, lower, name.toLowerCase(), gt);
      continue;
    }
    out.push(BLOCK.test(name) ? '\n' : ' ');
    i = gt + 1;
  }
  return decode(out.join(''));
}

export function isHtml(raw: string): boolean {
  const lt = raw.indexOf('<');
  return lt >= 0 && lt < 4000 && LOOKS_HTML.test(raw.slice(lt, 4000));
}

/**
 * The parent's text, HTML stripped when it is markup, capped. Not normalised: the tokenizer
 * skips invisible characters and reads any line ending, and our own bodies are NFC.
 */
export function parentText(raw: string, maxChars: number): string {
  const head = raw.length > maxChars * 4 ? raw.slice(0, maxChars * 4) : raw;
  const text = isHtml(head) ? stripHtml(head) : head;
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}
