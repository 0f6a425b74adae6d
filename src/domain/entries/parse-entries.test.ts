/**
 * The entries grammar, table-tested: kinds, bullets, tags, mentions, greetings, sign-offs,
 * headings, quoted lines, maximum length and de-duplication.
 */
import { normalizeEntryText, parseEntries } from './index.js';
import type { Entry } from './index.js';

type Expect = Partial<Entry> & Pick<Entry, 'kind' | 'text'>;

const pick = (e: Entry): Expect => ({
  kind: e.kind,
  text: e.text,
  ...(e.completed ? { completed: true } : {}),
});

describe('parseEntries', () => {
  it.each<[string, string, Expect[]]>([
    [
      'a plain line is done',
      'Fixed the login bug',
      [{ kind: 'done', text: 'Fixed the login bug' }],
    ],
    ['"[ ]" is a goal', '[ ] Write the docs', [{ kind: 'goal', text: 'Write the docs' }]],
    ['"[]" is a goal', '[]Write the docs', [{ kind: 'goal', text: 'Write the docs' }]],
    [
      '"[x]" is a completed goal',
      '[x] Ship 2.3',
      [{ kind: 'goal', text: 'Ship 2.3', completed: true }],
    ],
    [
      '"[X]" is a completed goal',
      '[X] Ship 2.3',
      [{ kind: 'goal', text: 'Ship 2.3', completed: true }],
    ],
    ['"!" is a blocker', '! Waiting on legal', [{ kind: 'blocker', text: 'Waiting on legal' }]],
    [
      '"!" without a space is a blocker',
      '!no staging access',
      [{ kind: 'blocker', text: 'no staging access' }],
    ],
    ['a dash bullet is stripped', '- Reviewed #412', [{ kind: 'done', text: 'Reviewed #412' }]],
    ['a star bullet is stripped', '* Paired with Tom', [{ kind: 'done', text: 'Paired with Tom' }]],
    ['a dot bullet is stripped', '• Deployed', [{ kind: 'done', text: 'Deployed' }]],
    [
      'a numbered bullet is stripped',
      '1. First\n2) Second',
      [
        { kind: 'done', text: 'First' },
        { kind: 'done', text: 'Second' },
      ],
    ],
    [
      'a bullet before a goal marker',
      '- [ ] Plan the offsite',
      [{ kind: 'goal', text: 'Plan the offsite' }],
    ],
    ['a bullet before a blocker marker', '* ! VPN down', [{ kind: 'blocker', text: 'VPN down' }]],
    ['a dash without a space is text', '-fixed typo', [{ kind: 'done', text: '-fixed typo' }]],
    [
      'blank lines are ignored',
      '\n\nA\n\n\nB\n',
      [
        { kind: 'done', text: 'A' },
        { kind: 'done', text: 'B' },
      ],
    ],
    [
      'a greeting on the first line is ignored',
      'Hi team,\nShipped it',
      [{ kind: 'done', text: 'Shipped it' }],
    ],
    [
      'a greeting in another language is ignored',
      'Bonjour à tous,\nLivré',
      [{ kind: 'done', text: 'Livré' }],
    ],
    [
      'a greeting-like first line with content stays',
      'Hey, shipped the release',
      [{ kind: 'done', text: 'Hey, shipped the release' }],
    ],
    [
      'a greeting later in the text stays',
      'Shipped it\nHi Tom!',
      [
        { kind: 'done', text: 'Shipped it' },
        { kind: 'done', text: 'Hi Tom!' },
      ],
    ],
    [
      'a sign-off and name are ignored',
      'Shipped it\n\nThanks,\nJane',
      [{ kind: 'done', text: 'Shipped it' }],
    ],
    [
      'a German sign-off is ignored',
      'Erledigt\n\nViele Grüße\nJonas Becker',
      [{ kind: 'done', text: 'Erledigt' }],
    ],
    [
      '"Thanks to Tom for the review" stays',
      'Thanks to Tom for the review',
      [{ kind: 'done', text: 'Thanks to Tom for the review' }],
    ],
    [
      'a sign-off followed by long lines is content',
      'Thanks,\nthis week was about the importer and the export',
      [
        { kind: 'done', text: 'Thanks,' },
        { kind: 'done', text: 'this week was about the importer and the export' },
      ],
    ],
    [
      'a "Tomorrow:" heading makes goals',
      'Tomorrow:\n- Write tests\n- Demo\n\nLunch with Ana',
      [
        { kind: 'goal', text: 'Write tests' },
        { kind: 'goal', text: 'Demo' },
        { kind: 'done', text: 'Lunch with Ana' },
      ],
    ],
    [
      'a "Blockers:" heading makes blockers',
      'Blockers:\n- VPN',
      [{ kind: 'blocker', text: 'VPN' }],
    ],
    [
      'an unknown heading is dropped and keeps done',
      'Support rotation:\n- 4 tickets',
      [{ kind: 'done', text: '4 tickets' }],
    ],
    [
      'a known label on the line sets the kind',
      'Blocked: waiting on legal\nTomorrow: demo\nDone: release',
      [
        { kind: 'blocker', text: 'waiting on legal' },
        { kind: 'goal', text: 'demo' },
        { kind: 'done', text: 'release' },
      ],
    ],
    [
      '"Blockers: none" is no entry',
      'Shipped\nBlockers: none',
      [{ kind: 'done', text: 'Shipped' }],
    ],
    [
      'an unknown label stays in the text',
      'Status: green',
      [{ kind: 'done', text: 'Status: green' }],
    ],
    [
      'markers beat the heading',
      'Tomorrow:\n! Still no access',
      [{ kind: 'blocker', text: 'Still no access' }],
    ],
    [
      'quoted lines are not entries',
      '> Did you deploy?\nYes, at 3 pm',
      [{ kind: 'done', text: 'Yes, at 3 pm' }],
    ],
    [
      'rules are not entries',
      'A\n---\nB',
      [
        { kind: 'done', text: 'A' },
        { kind: 'done', text: 'B' },
      ],
    ],
    [
      'identical lines are kept once',
      '- Fixed CI\n* fixed ci.',
      [{ kind: 'done', text: 'Fixed CI' }],
    ],
    [
      'the same text with another kind stays',
      'Fix CI\n[ ] Fix CI',
      [
        { kind: 'done', text: 'Fix CI' },
        { kind: 'goal', text: 'Fix CI' },
      ],
    ],
    [
      'CRLF and nbsp are handled',
      '- A\u00a0B\r\n[ ] C\r\n',
      [
        { kind: 'done', text: 'A B' },
        { kind: 'goal', text: 'C' },
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseEntries(text).map(pick)).toEqual(expected);
  });

  it.each<[string, string[], string[]]>([
    ['Shipped #billing export for #Q4 @anna', ['billing', 'q4'], ['anna']],
    ['Reviewed PR #412 with @tom.berg and @ana-l.', [], ['tom.berg', 'ana-l']],
    ['Mail jane@example.com about #ops, #ops again', ['ops'], []],
    ['#日本 と @田中', ['日本'], ['田中']],
  ])('collects tags and mentions in %s', (text, tags, mentions) => {
    const [entry] = parseEntries(text);
    expect(entry?.tags).toEqual(tags);
    expect(entry?.mentions).toEqual(mentions);
  });

  it('records the source line and cuts entries at the maximum length', () => {
    const entries = parseEntries(`Hi,\n\n${'x'.repeat(30)}`, { maxLength: 10 });
    expect(entries).toEqual([
      {
        kind: 'done',
        text: 'xxxxxxxxx…',
        completed: false,
        tags: [],
        mentions: [],
        line: 2,
        truncated: true,
      },
    ]);
  });

  it('keeps duplicates when asked to', () => {
    expect(parseEntries('A\nA', { dedupe: false })).toHaveLength(2);
  });

  it('gives nothing for an empty reply or a greeting and sign-off only', () => {
    expect(parseEntries('')).toEqual([]);
    expect(parseEntries('Hi team,\n\nThanks,\nJane')).toEqual([]);
  });
});

describe('normalizeEntryText', () => {
  it.each([
    ['- Fixed CI.', 'fixed ci'],
    ['[ ]  Write   docs!', 'write docs'],
    ['! VPN down', 'vpn down'],
    ['Ｆｉｘ', 'ｆｉｘ'],
    ['e\u0301te\u0301', 'été'],
  ])('%s → %s', (input, output) => {
    expect(normalizeEntryText(input)).toBe(output);
  });
});
