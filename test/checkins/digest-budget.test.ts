/**
 * Issue 15: the digest shows each tag once, and stays readable in every inbox. A 10,000-member
 * team's digest is shortened under its HTML budget (Gmail clips above 102 KB): every blocker
 * and each shown person's first lines stay, and the mail links to the day in the archive.
 */
import {
  DIGEST_HTML_BUDGET,
  estimateDigestBytes,
} from '../../src/domain/checkins/digest-budget.js';
import {
  digestViewFor,
  freezeDigest,
  type DigestSourceEntry,
} from '../../src/domain/checkins/digest-view.js';
import {
  renderDigestMail,
  renderSharedDigestMail,
} from '../../src/templates/checkins/digest-mail.js';

const links = { preferencesUrl: 'https://p.example/prefs', unsubscribeUrl: 'https://p.example/u' };
const archiveUrl = 'https://postroom.example/teams/t1/archive/2026-11-23';
const reader = { name: 'Ana Diaz', email: 'ana@example.com' };

function entry(i: number, kind: DigestSourceEntry['kind'], text: string): DigestSourceEntry {
  return {
    memberId: `m${i}`,
    memberName: `Member ${String(i).padStart(5, '0')}`,
    kind,
    text,
    tags: [],
    mentions: [],
  };
}

test('each tag is shown once: in the text, or as a chip when the text does not carry it', () => {
  const frozen = freezeDigest('Core', '2026-11-23', [
    { ...entry(1, 'done', 'Shipped the importer #backend'), tags: ['backend'] },
    { ...entry(1, 'goal', 'Write docs'), tags: ['docs'] },
  ]);
  const mail = renderDigestMail({
    ...digestViewFor(frozen, reader),
    subject: 's',
    ...links,
    archiveUrl,
  });
  expect(mail.html.split('#backend')).toHaveLength(2);
  expect(mail.html.split('#docs')).toHaveLength(2);
  expect(mail.html).not.toContain('Shortened');
});

test('a 10,000-member digest stays under its budget, keeps every blocker and links to the archive', () => {
  const entries: DigestSourceEntry[] = [];
  for (let i = 0; i < 10_000; i++) {
    entries.push(entry(i, 'done', `Shipped part ${i} of the importer, reviewed two pull requests`));
    entries.push(entry(i, 'done', `Paired on the search index for ticket ${i}`));
    entries.push(entry(i, 'goal', `Write the migration guide, chapter ${i}`));
    if (i % 250 === 0) entries.push(entry(i, 'blocker', `Waiting on staging keys (${i})`));
  }
  const view = digestViewFor(freezeDigest('Everyone', '2026-11-23', entries), reader);
  expect(estimateDigestBytes(view)).toBeGreaterThan(5 * 1024 * 1024);

  const mail = renderSharedDigestMail({ ...view, subject: 's', archiveUrl })(links);
  expect(Buffer.byteLength(mail.html)).toBeLessThanOrEqual(DIGEST_HTML_BUDGET);
  for (let i = 0; i < 10_000; i += 250)
    expect(mail.html).toContain(`Waiting on staging keys (${i})`);
  expect(mail.html).toContain(`<a href="${archiveUrl}">See the whole day in the archive</a>`);
  expect(mail.html).toMatch(
    /Shortened to stay readable in every inbox: \d+ more people, \d+ more lines/,
  );
  expect(mail.text).toContain(`The whole day: ${archiveUrl}`);
  // The people shown keep their first lines, with a count of the rest.
  expect(mail.html).toContain('Shipped part 0 of the importer');
  expect(mail.html).toContain('+ 1 more');
});
