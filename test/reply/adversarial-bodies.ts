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

/** Shapes aimed at the issue-15 stages: signature scoring and pasted-parent matching. */
export const ADVERSARIAL_SIGNATURE_TEXT: [string, string][] = [
  [
    '10,000 short signature-like lines',
    fill('Dana Smith | Head of Platform\nM: +1 555 123 4567\n'),
  ],
  ['name and title lines', fill('Jane Doe\nStaff Engineer, Acme Inc.\nwww.acme.example\n')],
  ['valediction lines', fill('Best regards,\n')],
  ['phone-like digit runs', fill('+1 (555) 123-4567 ext 89 ')],
  ['domain-like runs', fill('a.b.c.d.e.f.example.')],
  ['pipes and dots', fill('| · | · ')],
];

/** A 1 MB parent, and a reply that pastes it back, quoted and unquoted. */
export const LARGE_PARENT = fill(
  'Please send your update before the sync. Agenda: importer, on-call, retro.\n',
);
export const PASTED_LARGE_PARENT: [string, string][] = [
  [
    '1 MB parent pasted unquoted',
    `Shipped it.\n\nAm 24.11.2026 schrieb Postroom <a@b.example>:\n${LARGE_PARENT}`,
  ],
  ['1 MB parent pasted quoted', `Shipped it.\n\n${LARGE_PARENT.replace(/^/gm, '> ')}`],
  [
    '1 MB parent under an unknown attribution',
    `Shipped it.\n\nNhar it-Tlieta 24.11.2026 Postroom <a@b.example> kiteb:\n${LARGE_PARENT}`,
  ],
  ['1 MB reply against a 1 MB parent', fill('word ')],
];
