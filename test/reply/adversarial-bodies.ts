/**
 * 1 MB bodies built to make a naive reply parser backtrack: long runs of ">", repeated header
 * prefixes, whitespace runs, separators, and markup nesting. Shared by the ReDoS test.
 */
const MB = 1 << 20;

function fill(unit: string, size = MB): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

export const ADVERSARIAL_TEXT: [string, string][] = [
  ['one line of ">"', fill('>')],
  ['lines of ">" 1000 wide', fill('>'.repeat(1000) + '\n')],
  ['nested "> >" quote prefixes', fill('> '.repeat(400) + 'x\n')],
  ['"On On On … wrote" on one line', fill('On 1/2/2026, ') + ' wrote:'],
  ['repeated attribution lines', fill('On Tue, Nov 24, 2026 at 5:02 PM A <a@b.example> wrote:\n')],
  ['attribution prefixes without an end', fill('On Tue, Nov 24, 2026 at 5:02 PM A <a@b.example> ')],
  ['repeated "From:" header lines', fill('From: A <a@b.example>\n')],
  ['header keys without values', fill('From:\nSent:\nTo:\nSubject:\n')],
  ['whitespace run', fill(' ')],
  ['whitespace run ending in a colon', fill(' ') + ':'],
  ['blank lines with spaces', fill(' \n\t\n')],
  ['dash runs', fill('-')],
  ['dash lines', fill('-----\n')],
  ['dash-fenced phrases', fill('----- Original Message ----- ')],
  ['underscore lines', fill('_'.repeat(40) + '\n')],
  ['addresses ending in a colon', fill('a@b.example <a@b.example> ') + ':'],
  ['alternating quote and text lines', fill('> question\nanswer\n')],
  ['signature delimiters', fill('-- \n')],
  ['mobile footers', fill('Sent from my iPhone\n')],
  ['marker look-alikes', fill('reply above this line? ')],
  ['colons and brackets', fill('<([{:')],
  ['long CJK line ending in 写道', fill('在日期时间写道') + '：'],
  ['mixed newline styles', fill('x\r\n\r>\r\n')],
  ['zero-width and nbsp', fill('\u200b\u00a0>\u200d ')],
];

export const ADVERSARIAL_HTML: [string, string][] = [
  ['nested blockquotes', fill('<blockquote type="cite">', MB / 2) + 'x'],
  ['many paragraphs', fill('<p>done</p>')],
  ['unclosed tags', fill('<div class="gmail_quote"><b>')],
  ['attribute soup', fill('<div style="border-top:solid #E1E1E1 1.0pt" id="x">')],
  ['line breaks', fill('line<br>')],
  ['comments and styles', fill('<!-- x --><style>p{}</style>')],
  ['class attributes without quotes end', fill('<div class="yahoo_quoted ')],
];
