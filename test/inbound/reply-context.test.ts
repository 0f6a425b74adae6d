/**
 * Processing extracts the reply once, before routing, with what correlation learned: the
 * sender's display name and address, and the bodies of our own message the reply answers. The
 * result is stored for every inbound email, routed or not.
 */
import { newId } from '../../src/lib/ids.js';
import { extractReply, type ReplyContext } from '../../src/reply/index.js';
import { relayRequest } from '../../scripts/providers/sign.js';
import { DOMAIN, startHarness, type Harness } from './support/harness.js';

let h: Harness;
const contexts: ReplyContext[] = [];

beforeAll(async () => {
  h = await startHarness(
    { RELAY_TOKENS: 'relay' },
    {
      apiKeyAuth: () => (_req, _res, next) => next(),
      extractReply: (input, context) => {
        contexts.push(context ?? {});
        return extractReply(input, context);
      },
    },
  );
});
afterAll(() => h.stop());
beforeEach(() => (contexts.length = 0));

/** One of our outbound messages to Ana: the parent a reply is read against. */
async function insertOutbound(id: string, messageId: string, text: string, html: string | null) {
  await h.db.pool.query(
    `INSERT INTO outbound_messages (id, status, stream, kind, from_address, to_addresses, recipients, subject,
       message_id_header, text, html, expires_at, created_at, updated_at, metadata)
     VALUES ($1, 'sent', 'transactional', 'api', '{"address":"app@postroom.test"}', '[]', ARRAY['ana@example.org'],
       'Your invoice', $2, $3, $4, now() + interval '1 day', now(), now(), '{}')`,
    [id, messageId, text, html],
  );
}

async function deliver(headers: string, body: string) {
  const raw = Buffer.from(
    `From: Ana Lima <ana@example.org>\r\nTo: hello@${DOMAIN}\r\nSubject: Re: Your invoice\r\n` +
      `Message-ID: <${newId()}@example.org>\r\n${headers}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
  );
  const res = await h.post(relayRequest(raw, { token: 'relay' }));
  expect(res.status).toBe(200);
  await h.processAll();
  const { rows } = await h.db.pool.query('SELECT * FROM inbound_emails WHERE id = $1', [
    res.body.id,
  ]);
  return rows[0] as {
    id: string;
    status: string;
    reason: string | null;
    reply: { text: string } | null;
  };
}

test('a reply by thread is read against the message it answers, and its sender', async () => {
  const id = newId();
  await insertOutbound(
    id,
    '<inv-1@postroom.test>',
    'Your invoice is attached.',
    '<p>Your invoice is attached.</p>',
  );
  const row = await deliver('In-Reply-To: <inv-1@postroom.test>\r\n', 'Paid it, thanks.');
  expect(row.status).toBe('processed');
  expect(row.reply?.text).toBe('Paid it, thanks.');
  expect(contexts).toEqual([
    {
      sender: { name: 'Ana Lima', address: 'ana@example.org', otherNames: [] },
      parents: ['Your invoice is attached.', '<p>Your invoice is attached.</p>'],
    },
  ]);
});

test('unroutable mail still records what the person wrote, read with the sender alone', async () => {
  const row = await deliver('', 'Can you call me back?');
  expect(row).toMatchObject({ status: 'ignored', reason: 'unroutable' });
  expect(row.reply?.text).toBe('Can you call me back?');
  expect(contexts).toEqual([
    { sender: { name: 'Ana Lima', address: 'ana@example.org', otherNames: [] }, parents: [] },
  ]);
});

test('the stored reply and GET /v1/inbound/:id: text, signature, quoted, method, flags', async () => {
  const id = newId();
  const text =
    'Hi Ana, your November invoice is attached. It covers 14 seats and the support plan.';
  await insertOutbound(id, '<inv-2@postroom.test>', text, null);
  // Signed with her first name, over our message pasted under a Maltese attribution.
  const body = [
    'Paid it, thanks.',
    '',
    '- Ana',
    '',
    "Nhar it-Tlieta, 24 ta' Novembru 2026, 17:02 App <app@postroom.test> kiteb:",
    'Hi Ana, your November invoice is attached. It covers',
    '14 seats and the support plan.',
  ].join('\r\n');
  const row = await deliver('In-Reply-To: <inv-2@postroom.test>\r\n', body);
  expect(row.status).toBe('processed');
  const res = await fetch(`${h.baseUrl}/v1/inbound/${row.id}`);
  const detail = (await res.json()) as { reply: Record<string, unknown> };
  expect(detail.reply).toEqual({
    text: 'Paid it, thanks.',
    signature: '- Ana',
    quoted: expect.stringContaining('Nhar it-Tlieta, 24 ta') as unknown,
    method: 'parent',
    flags: expect.arrayContaining(['parent', 'sender-name', 'signature']) as unknown,
  });
});
