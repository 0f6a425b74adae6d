/**
 * Processing against real Postgres: parse → classify → route → settle, the rejection-mail
 * rules, failures and reprocessing, retention, and the read API.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { newId } from '../../src/lib/ids.js';
import { simpleMailbox } from '../../src/services/inbound/mailboxes.js';
import { createReplyToken } from '../../src/inbound/reply-token.js';
import { relayRequest } from '../../scripts/providers/sign.js';
import { DOMAIN, SECRET, startHarness, type Harness } from './support/harness.js';

// Rows and JSON bodies are checked with toMatchObject; their shape is the assertion.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

let h: Harness;
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/inbound/${name}`, import.meta.url));
const exp = () => new Date(Date.now() + 7 * 86400_000);
const testAuth: RequestHandler = (req, _res, next) => {
  if (req.headers['x-test-key'] !== 'read') {
    const e = new Error('no key') as Error & { status: number };
    e.status = 401;
    throw e;
  }
  next();
};

let n = 0;
function mail(opts: { from?: string; to: string; body?: string; headers?: string }): Buffer {
  n++;
  return Buffer.from(
    `From: ${opts.from ?? 'Ana <ana@example.org>'}\r\nTo: ${opts.to}\r\nSubject: Re: What did you get done today?\r\nMessage-ID: <p${n}.${Date.now()}@example.org>\r\n${opts.headers ?? ''}Content-Type: text/plain; charset=utf-8\r\n\r\n${opts.body ?? 'Wrote the inbound tests.'}\r\n\r\nOn Tue, Postroom wrote:\r\n> What did you get done today?\r\n`,
  );
}
function withHeaders(raw: Buffer, headers: string): Buffer {
  return Buffer.concat([Buffer.from(headers), raw]);
}
const replyTo = (
  email = 'ana@example.org',
  over: Partial<Parameters<typeof createReplyToken>[1]> = {},
) =>
  `reply+${createReplyToken(SECRET, { kind: 'prompt', id: newId(), email, exp: exp(), ...over })}@${DOMAIN}`;

async function deliver(raw: Buffer, to?: string[]) {
  const res = await h.post(relayRequest(raw, { token: 'relay', ...(to ? { to } : {}) }));
  expect(res.status).toBe(200);
  await h.processAll();
  const { rows } = await h.db.pool.query('SELECT * FROM inbound_emails WHERE id = $1', [
    res.body.id,
  ]);
  return rows[0] as Loose;
}

beforeAll(async () => {
  h = await startHarness(
    { RELAY_TOKENS: 'relay', INBOUND_PROCESS_RETRIES: '1' },
    { apiKeyAuth: () => testAuth },
  );
});
afterAll(async () => h.stop());
beforeEach(() => {
  h.outbound.sent = [];
  h.outbound.events = [];
});

describe('routing by reply token', () => {
  test('a valid token → processed, the reply recorded by the generic handler', async () => {
    const row = await deliver(mail({ to: replyTo() }));
    expect(row).toMatchObject({
      status: 'processed',
      reason: null,
      from_address: 'ana@example.org',
    });
    expect(row.reply.text).toBe('Wrote the inbound tests.');
    expect(row.routed_to).toMatchObject({ handler: 'generic', kind: 'prompt', via: 'token' });
    expect(h.outbound.sent).toEqual([]);
  });

  test('the token in the envelope works when the header To is a list address', async () => {
    const row = await deliver(mail({ to: 'team@lists.example.org' }), [replyTo()]);
    expect(row.status).toBe('processed');
  });

  test('a forged token is not routed; one rejection mail per address per reason per 24 h', async () => {
    const forged = `reply+${createReplyToken('another-secret-000000000000000000000', { kind: 'prompt', id: newId(), email: 'ben@example.org', exp: exp() })}@${DOMAIN}`;
    const first = await deliver(mail({ from: 'ben@example.org', to: forged }));
    expect(first).toMatchObject({
      status: 'ignored',
      reason: 'unroutable',
      reason_detail: 'token_bad_signature',
    });
    expect(h.outbound.sent).toHaveLength(1);
    expect(h.outbound.sent[0]).toMatchObject({
      to: ['ben@example.org'],
      kind: 'system',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const second = await deliver(mail({ from: 'ben@example.org', to: forged }));
    expect(second).toMatchObject({ status: 'ignored', reason: 'unroutable' });
    expect(h.outbound.sent).toHaveLength(1);
    expect(second.rejection_sent_at).toBeNull();
  });

  test('an expired token is not routed', async () => {
    const row = await deliver(
      mail({ to: replyTo('ana@example.org', { exp: new Date(Date.now() - 60_000) }) }),
    );
    expect(row).toMatchObject({
      status: 'ignored',
      reason: 'unroutable',
      reason_detail: 'token_expired',
      routed_to: null,
    });
  });

  test('a token used from another address → unknown_sender', async () => {
    const row = await deliver(mail({ from: 'eve@example.net', to: replyTo('ana@example.org') }));
    expect(row).toMatchObject({ status: 'ignored', reason: 'unknown_sender' });
    expect(h.outbound.sent.map((m) => m.to)).toEqual([['eve@example.net']]);
  });

  test('an address without any token → unroutable', async () => {
    const row = await deliver(mail({ from: 'cara@example.org', to: `hello@${DOMAIN}` }));
    expect(row).toMatchObject({
      status: 'ignored',
      reason: 'unroutable',
      reason_detail: 'no_token_or_thread',
    });
  });

  test('an empty reply (only quotes) → ignored empty', async () => {
    const row = await deliver(
      mail({ from: 'dan@example.org', to: replyTo('dan@example.org'), body: '' }),
    );
    expect(row).toMatchObject({ status: 'ignored', reason: 'empty' });
    expect(h.outbound.sent[0]).toMatchObject({
      to: ['dan@example.org'],
      subject: 'Your reply was empty',
    });
  });

  test('a registered handler gets member-bound tokens with the resolved member', async () => {
    const memberId = newId();
    const teamId = newId();
    const seen: unknown[] = [];
    h.feature.services.registerMailbox(
      {
        name: 'test-team',
        async open(target, from) {
          return {
            memberId: target.id === teamId && from === 'ana@example.org' ? memberId : null,
            async receive(m) {
              seen.push({
                kind: m.kind,
                targetId: m.targetId,
                memberId: m.memberId,
                text: m.reply.text,
              });
              return { status: 'processed', routedTo: { team: m.targetId } };
            },
          };
        },
      },
      { tokenKinds: ['team'] },
    );
    const to = h.feature.services.replyAddress({
      kind: 'team',
      id: teamId,
      memberId,
      email: 'ana@example.org',
      exp: exp(),
    });
    expect(to).toMatch(new RegExp(`^team\\+[a-z2-7]{55}@${DOMAIN.replace(/\./g, '\\.')}$`));
    const row = await deliver(mail({ to }));
    expect(row).toMatchObject({ status: 'processed', routed_to: { team: teamId } });
    expect(seen).toEqual([
      { kind: 'team', targetId: teamId, memberId, text: 'Wrote the inbound tests.' },
    ]);
    const other = await deliver(
      mail({
        from: 'ben@example.org',
        to: h.feature.services.replyAddress({
          kind: 'team',
          id: teamId,
          memberId,
          email: 'ben@example.org',
          exp: exp(),
        }),
      }),
    );
    expect(other).toMatchObject({
      status: 'ignored',
      reason: 'unknown_sender',
      reason_detail: 'not_a_member',
    });
  });
});

describe('routing by thread', () => {
  test('In-Reply-To one of our Message-IDs from its recipient → processed; from someone else → unknown_sender', async () => {
    const id = newId();
    await h.db.pool.query(
      `INSERT INTO outbound_messages (id, status, stream, kind, from_address, to_addresses, recipients, subject, message_id_header,
         expires_at, created_at, updated_at, metadata)
       VALUES ($1, 'sent', 'transactional', 'api', '{"address":"app@postroom.test"}', '[]', ARRAY['ana@example.org'], 's',
         '<out-1@postroom.test>', now() + interval '1 day', now(), now(), '{}')`,
      [id],
    );
    const row = await deliver(
      mail({ to: `hello@${DOMAIN}`, headers: 'In-Reply-To: <out-1@postroom.test>\r\n' }),
    );
    expect(row).toMatchObject({
      status: 'processed',
      routed_to: { handler: 'generic', kind: 'message', id, via: 'thread' },
    });
    const stranger = await deliver(
      mail({
        from: 'zed@example.org',
        to: `hello@${DOMAIN}`,
        headers: 'References: <x@y> <out-1@postroom.test>\r\n',
      }),
    );
    expect(stranger).toMatchObject({ status: 'ignored', reason: 'unknown_sender' });
  });
});

describe('auto-replies and bounces', () => {
  test.each(['auto-reply-ooo.eml', 'auto-reply-precedence.eml'])(
    '%s → ignored auto_reply, no rejection mail',
    async (name) => {
      const row = await deliver(
        withHeaders(fixture(name), `Delivered-To: ${replyTo('stranger@example.org')}\r\n`),
      );
      expect(row).toMatchObject({ status: 'ignored', reason: 'auto_reply' });
      expect(h.outbound.sent).toEqual([]);
    },
  );

  test('a DSN → ignored bounce; a hard bounce event goes to the outbound engine and is stored', async () => {
    h.outbound.known.add('prompt-123@postroom.test');
    const row = await deliver(fixture('bounce-dsn.eml'));
    expect(row).toMatchObject({ status: 'ignored', reason: 'bounce' });
    expect(h.outbound.sent).toEqual([]);
    expect(h.outbound.events).toEqual([
      {
        ref: { messageId: 'prompt-123@postroom.test' },
        event: expect.objectContaining({
          type: 'bounced',
          bounce: 'hard',
          recipient: 'gone@example.net',
        }),
      },
    ]);
    const { rows } = await h.db.pool.query(
      `SELECT type, bounce, matched, source FROM provider_events WHERE message_id = 'prompt-123@postroom.test'`,
    );
    expect(rows).toEqual([{ type: 'bounced', bounce: 'hard', matched: true, source: 'dsn' }]);
  });

  test('a delayed DSN is a deferral, not a bounce', async () => {
    const row = await deliver(fixture('bounce-soft.eml'));
    expect(row).toMatchObject({ status: 'ignored', reason: 'bounce' });
    expect(h.outbound.events).toEqual([]); // no original Message-ID: stored, nothing to match
    const { rows } = await h.db.pool.query(
      `SELECT type, matched FROM provider_events WHERE recipient = 'full@example.com'`,
    );
    expect(rows).toEqual([{ type: 'deferred', matched: false }]);
  });

  test('a null sender never gets rejection mail', async () => {
    const row = await deliver(
      mail({ from: 'ghost@example.org', to: `nobody@${DOMAIN}`, headers: 'Return-Path: <>\r\n' }),
    );
    expect(row.status).toBe('ignored');
    expect(h.outbound.sent).toEqual([]);
  });
});

describe('charsets through processing', () => {
  test.each([
    ['windows-1252.eml', 'Paid the €120 invoice – it said “done”.'],
    ['shift-jis.eml', '今日はテストを書きました。'],
    ['invalid-utf8.eml', 'Réunion à 10h, déjà prête.'],
    ['iso-8859-1.eml', "Résumé fini, café avec l'équipe. Façade réparée."],
  ])('%s keeps its text in the recorded reply', async (name, text) => {
    const row = await deliver(fixture(name), [replyTo('ana@example.org')]);
    expect(row.status).toBe('processed');
    expect(row.reply.text).toBe(text);
  });
});

describe('raw bytes of every size', () => {
  // Small messages travel inline with the receipt and the claim; larger ones are written as a
  // binary parameter and read back in 4 MB slices. Each size keeps its bytes and is processed.
  test.each([
    ['inline', 2 * 1024],
    ['binary, one slice', 300 * 1024],
    ['binary, two slices', 4 * 1024 * 1024 + 123],
  ])('%s (%i bytes) is stored byte for byte and processed', async (_name, size) => {
    const head = mail({ to: replyTo() });
    // Quoted lines after the reply bring the message to the wanted size.
    const raw = Buffer.concat([head, Buffer.alloc(size - head.length, '> x\r\n')]);
    const row = await deliver(raw);
    expect(row.status).toBe('processed');
    expect(row.size_bytes).toBe(size);
    const { rows } = await h.db.pool.query(
      'SELECT raw FROM inbound_email_raw WHERE inbound_email_id = $1',
      [row.id],
    );
    expect(Buffer.compare(rows[0].raw as Buffer, raw)).toBe(0);
  });
});

describe('failures, reprocessing and retention', () => {
  test('a handler error → failed, retried, then dead with its error; reprocess runs it again', async () => {
    let fail = true;
    h.feature.services.registerMailbox(
      simpleMailbox('flaky', async () => {
        if (fail) throw new Error('downstream unavailable');
        return { status: 'processed', routedTo: { handler: 'flaky' } };
      }),
      { tokenKinds: ['message'] },
    );
    const to = h.feature.services.replyAddress({
      kind: 'message',
      id: newId(),
      email: 'ana@example.org',
      exp: exp(),
    });
    const res = await h.post(relayRequest(mail({ to }), { token: 'relay' }));
    const id = res.body.id as string;
    const svc = h.feature.services.process;
    expect(await svc.process(id, { maxAttempts: 2 })).toMatchObject({
      status: 'failed',
      error: 'downstream unavailable',
    });
    let row = (
      await h.db.pool.query(
        'SELECT status, last_error, dead_at FROM inbound_emails WHERE id = $1',
        [id],
      )
    ).rows[0];
    expect(row).toMatchObject({
      status: 'failed',
      last_error: 'downstream unavailable',
      dead_at: null,
    });
    expect(await svc.process(id, { maxAttempts: 2 })).toMatchObject({ status: 'failed' });
    row = (await h.db.pool.query('SELECT status, dead_at FROM inbound_emails WHERE id = $1', [id]))
      .rows[0];
    expect(row.status).toBe('failed');
    expect(row.dead_at).toBeInstanceOf(Date);
    fail = false;
    expect(await svc.reprocess({ status: 'failed', limit: 100 })).toContain(id);
    expect(await svc.process(id, { maxAttempts: 2 })).toEqual({ status: 'processed' });
    // A settled message is never processed twice by a stale job.
    expect(await svc.process(id, { maxAttempts: 2 })).toEqual({ status: 'skipped' });
  });

  test('retention deletes raw bytes by status and age; rows stay', async () => {
    const processed = await deliver(mail({ to: replyTo() }));
    const ignored = await deliver(mail({ from: 'x@example.org', to: `nope@${DOMAIN}` }));
    await h.db.pool.query(
      `UPDATE inbound_emails SET processed_at = now() - interval '10 days' WHERE id = ANY($1::uuid[])`,
      [[processed.id, ignored.id]],
    );
    await h.feature.services.retention.run();
    const { rows } = await h.db.pool.query(
      `SELECT e.id, e.raw_deleted_at IS NOT NULL AS deleted, r.inbound_email_id IS NOT NULL AS has_raw
         FROM inbound_emails e LEFT JOIN inbound_email_raw r ON r.inbound_email_id = e.id WHERE e.id = ANY($1::uuid[])`,
      [[processed.id, ignored.id]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[processed.id]).toMatchObject({ deleted: false, has_raw: true });
    expect(byId[ignored.id]).toMatchObject({ deleted: true, has_raw: false });
  });
});

describe('attachments under retention', () => {
  function withAttachments(to: string, parts: Buffer[]): Buffer {
    n++;
    const files = parts.map(
      (p, i) =>
        `--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="f${i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${p.toString('base64')}\r\n`,
    );
    return Buffer.from(
      `From: Ana <ana@example.org>\r\nTo: ${to}\r\nSubject: files\r\nMessage-ID: <att${n}.${Date.now()}@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n${files.join('')}--b--\r\n`,
    );
  }
  const blobs = async (...parts: Buffer[]) =>
    (
      await h.db.pool.query(
        'SELECT count(*)::int AS n FROM inbound_attachment_blobs WHERE sha256 = ANY($1)',
        [parts.map((p) => createHash('sha256').update(p).digest('hex'))],
      )
    ).rows[0].n as number;
  const rowsOf = async (id: string) =>
    (await h.db.pool.query('SELECT n FROM inbound_attachments WHERE inbound_email_id = $1', [id]))
      .rows.length;

  test('the same bytes twice in one message: two rows, one blob, stored byte for byte', async () => {
    const twice = randomBytes(1024 * 1024);
    const row = await deliver(withAttachments(replyTo(), [twice, twice]));
    expect([await rowsOf(row.id), await blobs(twice)]).toEqual([2, 1]);
    const { rows } = await h.db.pool.query(
      'SELECT content FROM inbound_attachment_blobs WHERE sha256 = $1',
      [createHash('sha256').update(twice).digest('hex')],
    );
    expect(Buffer.compare(rows[0].content as Buffer, twice)).toBe(0);
  });

  test('stored once per sha256; retention takes them with the raw bytes, a shared blob stays', async () => {
    const shared = Buffer.from(`shared bytes ${Date.now()}`);
    const own = Buffer.from(`own bytes ${Date.now()}`);
    const old = await deliver(withAttachments(replyTo(), [shared, own]));
    const kept = await deliver(withAttachments(replyTo(), [shared]));
    expect([await rowsOf(old.id), await rowsOf(kept.id), await blobs(shared, own)]).toEqual([
      2, 1, 2,
    ]);
    await h.db.pool.query(
      `UPDATE inbound_emails SET processed_at = now() - interval '40 days' WHERE id = $1`,
      [old.id],
    );
    const result = await h.feature.services.retention.run();
    expect(result.attachments).toBe(2);
    expect([await rowsOf(old.id), await rowsOf(kept.id)]).toEqual([0, 1]);
    expect([await blobs(shared), await blobs(own)]).toEqual([1, 0]);
  });
});

describe('read API', () => {
  const get = (path: string, key = 'read') =>
    fetch(h.baseUrl + path, { headers: { 'x-test-key': key } });

  test('list filters by status and pages with a cursor; detail and raw', async () => {
    const raw = mail({ to: replyTo() });
    const id = (await h.post(relayRequest(raw, { token: 'relay' }))).body.id as string;
    await h.processAll();
    expect((await get('/v1/inbound', 'nope')).status).toBe(401);
    const page1 = (await (await get('/v1/inbound?status=processed&limit=2')).json()) as {
      data: Array<{ id: string; status: string }>;
      has_more: boolean;
      next_cursor: string;
    };
    expect(page1.data).toHaveLength(2);
    expect(page1.data.every((d) => d.status === 'processed')).toBe(true);
    expect(page1.has_more).toBe(true);
    const page2 = (await (
      await get(`/v1/inbound?status=processed&limit=2&cursor=${page1.next_cursor}`)
    ).json()) as { data: Array<{ id: string }> };
    expect(page2.data[0]!.id < page1.data[1]!.id).toBe(true);
    const detail = (await (await get(`/v1/inbound/${id}`)).json()) as Loose;
    expect(detail).toMatchObject({
      id,
      status: 'processed',
      provider: 'relay',
      reply: { text: 'Wrote the inbound tests.' },
      routed_to: { kind: 'prompt' },
    });
    expect(detail.classification).toMatchObject({ kind: 'normal' });
    const rawRes = await get(`/v1/inbound/${id}/raw`);
    expect(rawRes.headers.get('content-type')).toContain('message/rfc822');
    expect(Buffer.from(await rawRes.arrayBuffer()).equals(raw)).toBe(true);
    expect((await get('/v1/inbound?status=bogus')).status).toBe(422);
    expect((await get(`/v1/inbound/${newId()}`)).status).toBe(404);
    const byMessageId = (await (
      await get(`/v1/inbound?message_id=${encodeURIComponent(detail.message_id)}`)
    ).json()) as { data: unknown[] };
    expect(byMessageId.data).toHaveLength(1);
  });
});

describe('receive batching', () => {
  test('concurrent receipts share a batch, and one bad message does not fail the others', async () => {
    const receive = h.feature.services.receive;
    const item = (provider: string, i: number) => ({
      provider: provider as 'relay',
      providerEventId: null,
      raw: Buffer.from(
        `From: a@example.org\r\nMessage-ID: <batch-${i}-${Date.now()}@example.org>\r\n\r\nbody ${i}\r\n`,
      ),
      envelope: { from: null, to: [] },
      verdicts: {},
      extras: {},
    });
    const first = item('relay', 1);
    const results = await Promise.allSettled([
      receive.receive(first),
      receive.receive(item('not-a-provider', 2)),
      receive.receive(item('relay', 3)),
      receive.receive(first),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const [a, , b] = results as Array<PromiseFulfilledResult<{ id: string; duplicate: boolean }>>;
    expect(a!.value.duplicate).toBe(false);
    expect(b!.value.duplicate).toBe(false);
    expect(
      (results[3] as PromiseFulfilledResult<{ id: string; duplicate: boolean }>).value,
    ).toEqual({ id: a!.value.id, duplicate: true });
    const { rows } = await h.db.pool.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'inbound.process' AND data->>'inboundEmailId' = ANY($1)`,
      [[a!.value.id, b!.value.id]],
    );
    expect(rows[0].n).toBe(2);
  });
});

describe('routing by thread to a prompt', () => {
  // Last in the file: the prompt handler it registers stays registered on the shared harness.
  test('a reply that lost its reply address reaches the prompt handler through a prompt or its reminder', async () => {
    const promptId = newId();
    const seen: Array<{ kind: string; targetId: string }> = [];
    h.feature.services.registerMailbox(
      {
        name: 'test-prompt',
        async open() {
          return {
            memberId: null,
            async receive(m) {
              seen.push({ kind: m.kind, targetId: m.targetId });
              return { status: 'processed', routedTo: { prompt: m.targetId } };
            },
          };
        },
      },
      { tokenKinds: ['prompt'] },
    );
    for (const [kind, header] of [
      ['prompt', '<prompt-7@postroom.test>'],
      ['reminder', '<reminder-7@postroom.test>'],
    ] as const) {
      await h.db.pool.query(
        `INSERT INTO outbound_messages (id, status, stream, kind, from_address, to_addresses, recipients, subject, message_id_header,
           expires_at, created_at, updated_at, metadata)
         VALUES ($1, 'sent', 'transactional', $2, '{"address":"app@postroom.test"}', '[]', ARRAY['ana@example.org'], 's',
           $3, now() + interval '1 day', now(), now(), $4)`,
        [newId(), kind, header, JSON.stringify({ prompt_id: promptId })],
      );
      const row = await deliver(
        mail({ to: `hello@${DOMAIN}`, headers: `In-Reply-To: ${header}\r\n` }),
      );
      expect(row).toMatchObject({
        status: 'processed',
        routed_to: { prompt: promptId },
      });
    }
    expect(seen).toEqual([
      { kind: 'prompt', targetId: promptId },
      { kind: 'prompt', targetId: promptId },
    ]);
  });
});
