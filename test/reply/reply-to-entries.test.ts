/**
 * From a raw reply to entries: every corpus message whose reply is the list variant (done, done,
 * goal, blocker, in 18 languages and every client) yields exactly those four entries.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { parseEntries } from '../../src/domain/entries/index.js';
import { extractReply } from '../../src/reply/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/replies');
const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as {
  id: string;
  kind: string;
  input: string;
  expected: string;
}[];
const listCases = index.filter(
  (e) =>
    e.kind === 'eml' &&
    /^- .*\n- .*\n\[ \] .*\n! .*\n$/.test(readFileSync(join(root, e.expected), 'utf8')),
);

describe('reply → entries', () => {
  it('covers the list reply in many messages', () => {
    expect(listCases.length).toBeGreaterThanOrEqual(50);
  });

  it.each(listCases.map((e) => [e.id, e] as const))('%s', async (_id, entry) => {
    const parsed = await simpleParser(readFileSync(join(root, entry.input)));
    const entries = parseEntries(extractReply(parsed).text);
    expect(entries.map((e) => e.kind)).toEqual(['done', 'done', 'goal', 'blocker']);
    expect(
      entries.every((e) => e.text.length > 0 && !e.text.startsWith('-') && !e.text.startsWith('[')),
    ).toBe(true);
  });
});
