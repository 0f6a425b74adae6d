/**
 * Issue 15 end to end: every signed case of the reply corpus, sent by a member as a reply to
 * their prompt through the Mailgun webhook, becomes exactly the entries of what the person
 * wrote. No signature line (sign-off, name, title, phone, footer, disclaimer) is ever an entry.
 * Prompts go out through the real outbound engine to an SMTP sink; each member answers with the
 * reply address of their own prompt.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { localTimeAt } from '../../src/domain/schedule/local-time.js';
import { normalizeEntryText, parseEntries } from '../../src/domain/entries/index.js';
import type { CheckinsFeature } from '../../src/main/features/checkins.js';
import type { OutboundTestApp } from '../outbound/support/outbound-app.js';
import { postThroughMailgun, ShiftedClock, startCheckinsApp, waitFor } from './support.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/replies');
const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as {
  id: string;
  kind: 'eml' | 'text';
  input: string;
  expected: string;
  signature?: string;
  sender?: { name: string };
}[];

const KEY = 'mg-signatures-key';
const clock = new ShiftedClock();
let h: OutboundTestApp;

interface SignedCase {
  id: string;
  raw: string;
  name: string;
  expected: string;
  signature: string;
}

/** Each signed case with the name its author signs with (From: for mail, the stated sender else). */
async function signedCases(): Promise<SignedCase[]> {
  const out: SignedCase[] = [];
  for (const e of index) {
    const signature = e.signature ? readFileSync(join(root, e.signature), 'utf8').trim() : '';
    if (signature === '') continue;
    const raw = readFileSync(join(root, e.input), 'utf8');
    const name =
      e.kind === 'eml'
        ? ((await simpleParser(raw)).from?.value[0]?.name ?? 'Dana Smith')
        : (e.sender?.name ?? 'Dana Smith');
    const expected = readFileSync(join(root, e.expected), 'utf8');
    out.push({ id: e.id, raw, name, expected, signature });
  }
  return out;
}

/** The case's message as the member sends it: their From, their prompt's reply address. */
function asMemberMail(c: SignedCase, from: string, to: string, kind: 'eml' | 'text'): Buffer {
  const ours = `From: ${c.name} <${from}>\r\nTo: ${to}\r\n`;
  if (kind === 'text') {
    return Buffer.from(
      `${ours}Subject: Re: check-in\r\nMessage-ID: <${c.id}@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${c.raw.replace(/\r?\n/g, '\r\n')}`,
    );
  }
  const split = c.raw.search(/\r?\n\r?\n/);
  const headers = c.raw
    .slice(0, split)
    .split(/\r?\n(?![ \t])/)
    .filter((l) => !/^(?:from|to|in-reply-to|references):/i.test(l));
  return Buffer.from(ours + headers.join('\r\n') + c.raw.slice(split));
}

beforeAll(async () => {
  h = await startCheckinsApp(clock, KEY);
});
afterAll(async () => {
  await h?.stop();
});

/** One member per signer, each with a prompt sent; returns name → {email, reply address}. */
async function membersWithPrompts(names: string[]) {
  const promptAt = new Date(Date.now() - 3 * 60_000);
  clock.offsetMs = -10 * 60_000;
  const team = await h.api('POST', '/v1/teams', {
    name: 'Signers',
    time_zone: 'UTC',
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    reminder: { enabled: false, minutes_before_cutoff: 60 },
  });
  expect(team.status).toBe(201);
  const members = new Map<string, { email: string; id: string; replyTo: string }>();
  for (const [i, name] of names.entries()) {
    const email = `signer${i}@example.org`;
    const created = await h.api('POST', `/v1/teams/${team.body.id}/members`, {
      email,
      name,
      role: 'member',
      time_zone: 'UTC',
      prompt_time: localTimeAt(promptAt, 'UTC'),
    });
    expect(created.status).toBe(201);
    members.set(name, { email, id: created.body.id, replyTo: '' });
  }
  clock.offsetMs = 0;
  const checkins = (h.app.container.features.find((f) => f.name === 'checkins') as CheckinsFeature)
    .services;
  expect((await checkins.planner.tick(clock.now())).prompts).toBe(names.length);
  for (const m of members.values()) {
    m.replyTo = await waitFor(async () => {
      const sent = h.sink.messages.find((s) => s.to.includes(m.email));
      if (!sent) return undefined;
      const address = (await simpleParser(sent.raw)).replyTo?.value[0]?.address;
      return address?.toLowerCase();
    }, `the prompt to ${m.email}`);
  }
  return members;
}

test('no signature line of any signed corpus case becomes an entry', async () => {
  const cases = await signedCases();
  expect(cases.length).toBeGreaterThanOrEqual(150);
  const members = await membersWithPrompts([...new Set(cases.map((c) => c.name))]);
  const kinds = new Map(index.map((e) => [e.id, e.kind]));

  const inboundIds: string[] = [];
  for (const c of cases) {
    const m = members.get(c.name)!;
    inboundIds.push(
      await postThroughMailgun(
        h,
        asMemberMail(c, m.email, m.replyTo, kinds.get(c.id)!),
        m.replyTo,
        KEY,
      ),
    );
  }
  const settled = await waitFor(
    async () => {
      const { rows } = await h.app.db.pool.query<{ id: string; status: string }>(
        `SELECT id, status FROM inbound_emails WHERE id = ANY($1::uuid[])`,
        [inboundIds],
      );
      return rows.every((r) => r.status !== 'received' && r.status !== 'processing')
        ? rows
        : undefined;
    },
    'every reply processed',
    60_000,
  );
  expect(settled.filter((r) => r.status !== 'processed')).toEqual([]);

  const { rows: entries } = await h.app.db.pool.query<{ text: string; member_id: string }>(
    `SELECT text, member_id FROM entries`,
  );
  const signatureLines = new Set(
    cases.flatMap((c) =>
      c.signature
        .split('\n')
        .map((l) => normalizeEntryText(l))
        .filter((l) => l !== ''),
    ),
  );
  const leaked = entries.filter((e) => signatureLines.has(normalizeEntryText(e.text)));
  expect(leaked).toEqual([]);

  // And what the person wrote is all there: each member's entries are their replies' lines.
  for (const [name, m] of members) {
    const expected = new Set(
      cases
        .filter((c) => c.name === name)
        .flatMap((c) => parseEntries(c.expected).map((e) => normalizeEntryText(e.text))),
    );
    const got = new Set(
      entries.filter((e) => e.member_id === m.id).map((e) => normalizeEntryText(e.text)),
    );
    expect({ name, got: [...got].sort() }).toEqual({ name, got: [...expected].sort() });
  }
}, 240_000);
