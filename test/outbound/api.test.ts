/**
 * The send API end to end: HTTP → Postgres → pg-boss → nodemailer → a real SMTP sink.
 */
import { simpleParser } from 'mailparser';
import { ManualClock } from '../../src/lib/clock.js';
import { startOutboundApp, type OutboundTestApp } from './support/outbound-app.js';

describe('send API (SMTP sink)', () => {
  let t: OutboundTestApp;
  beforeAll(async () => {
    t = await startOutboundApp({ env: { API_KEY_DAILY_QUOTA: '0' } });
  });
  afterAll(async () => {
    await t.stop();
  });

  test('a message with attachments arrives byte for byte, and the stored raw equals what was sent', async () => {
    const pdfish = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) % 256));
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0x00,
    ]);
    const before = t.sink.messages.length;
    const res = await t.api('POST', '/v1/messages', {
      to: ['Ann <ann@example.org>'],
      cc: 'cc@example.org',
      bcc: ['secret@example.org'],
      subject: 'Report',
      html: '<h1>Report</h1><p>See attached.</p>',
      attachments: [
        {
          filename: 'report.bin',
          content: pdfish.toString('base64'),
          content_type: 'application/octet-stream',
        },
        {
          filename: 'dot.png',
          content: png.toString('base64'),
          content_type: 'image/png',
          content_id: 'dot',
        },
      ],
      tags: ['report'],
      metadata: { user: 42 },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'queued',
      id: expect.any(String),
      message_id: expect.stringMatching(/^<.+@example\.com>$/),
    });
    const msg = await t.waitForStatus(res.body.id, ['sent']);
    expect(msg.attempts).toBe(1);
    expect(msg.events.map((e: { to: string }) => e.to)).toEqual(['queued', 'sending', 'sent']);
    expect(msg.events[2].smtp_code).toBe(250);

    const [received] = (await t.sink.waitFor(before + 1)).slice(before);
    expect(received!.to.sort()).toEqual([
      'ann@example.org',
      'cc@example.org',
      'secret@example.org',
    ]);
    expect(received!.raw.toString()).not.toContain('secret@example.org');
    const parsed = await simpleParser(received!.raw);
    expect(parsed.subject).toBe('Report');
    expect(parsed.messageId).toBe(res.body.message_id);
    expect(parsed.text).toContain('See attached.');
    const byName = Object.fromEntries(parsed.attachments.map((a) => [a.filename, a]));
    expect(Buffer.compare(byName['report.bin']!.content, pdfish)).toBe(0);
    expect(Buffer.compare(byName['dot.png']!.content, png)).toBe(0);
    expect(byName['dot.png']!.cid).toBe('dot');

    const raw = await fetch(`${t.app.baseUrl}/v1/messages/${res.body.id}/raw`, {
      headers: { authorization: `Bearer ${t.key}` },
    });
    expect(raw.headers.get('content-type')).toMatch(/message\/rfc822/);
    const stored = Buffer.from(await raw.arrayBuffer());
    expect(Buffer.compare(stored, received!.raw)).toBe(0);
  });

  test('multipart/form-data: files become attachments', async () => {
    const file = Buffer.from('col1,col2\n1,2\n');
    const form = new FormData();
    form.append(
      'message',
      JSON.stringify({ to: ['multi@example.org'], subject: 'CSV', text: 'attached' }),
    );
    form.append('attachments', new Blob([file], { type: 'text/csv' }), 'data.csv');
    const res = await fetch(`${t.app.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.key}` },
      body: form,
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await t.waitForStatus(id, ['sent']);
    const mail = t.sink.messages.find((m) => m.to.includes('multi@example.org'))!;
    const parsed = await simpleParser(mail.raw);
    expect(Buffer.compare(parsed.attachments[0]!.content, file)).toBe(0);
  });

  test('Idempotency-Key: same body replays the first answer, different body is 409', async () => {
    const body = { to: ['idem@example.org'], subject: 'Once', text: 'only once' };
    const a = await t.api('POST', '/v1/messages', body, { 'idempotency-key': 'k-1' });
    const b = await t.api('POST', '/v1/messages', body, { 'idempotency-key': 'k-1' });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.body.id).toBe(a.body.id);
    const c = await t.api(
      'POST',
      '/v1/messages',
      { ...body, subject: 'Twice?' },
      { 'idempotency-key': 'k-1' },
    );
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('idempotency_key_reused');
    const list = await t.api('GET', '/v1/messages?to=idem@example.org');
    expect(list.body.data).toHaveLength(1);
  });

  test('a batch with bad items: invalid ones reported by index, valid ones accepted and sent', async () => {
    const res = await t.api('POST', '/v1/messages/batch', {
      messages: [
        { to: ['b1@example.org'], subject: 'one', text: '1' },
        { to: ['not-an-address'], subject: 'two', text: '2' },
        {
          to: ['b3@example.org'],
          subject: 'three',
          text: '3',
          headers: { 'X-Bad': 'a\r\nBcc: x@example.org' },
        },
        { to: ['b4@example.org'], subject: 'four' },
        { to: ['b5@example.org'], subject: 'five', html: '<b>5</b>' },
        { subject: 'no recipients', text: 'x', bogus: true },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted.map((a: { index: number }) => a.index)).toEqual([0, 4]);
    expect(
      res.body.errors.map((e: { index: number; error: { code: string } }) => [
        e.index,
        e.error.code,
      ]),
    ).toEqual([
      [1, 'invalid_address'],
      [2, 'header_injection'],
      [3, 'body_required'],
      [5, 'validation_failed'],
    ]);
    for (const a of res.body.accepted) await t.waitForStatus(a.id, ['sent']);
    const failedOnly = await t.api(
      'GET',
      `/v1/messages?batch_id=${res.body.batch_id}&status=failed`,
    );
    expect(failedOnly.body.data).toEqual([]);
  });

  test('a body that is not JSON is 415 on every JSON route, not a confusing 422', async () => {
    for (const [method, path] of [
      ['POST', '/v1/messages'],
      ['POST', '/v1/messages/batch'],
      ['PUT', '/v1/templates/welcome'],
      ['POST', '/v1/suppressions'],
      ['POST', '/v1/webhooks'],
      ['POST', '/v1/teams'],
    ]) {
      const res = await fetch(`${t.app.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${t.key}`, 'content-type': 'text/plain' },
        body: 'to=x@example.org',
      });
      expect([path, res.status]).toEqual([path, 415]);
      expect(await res.json()).toMatchObject({
        error: { code: 'unsupported_media_type', details: { content_type: 'text/plain' } },
      });
    }
  });

  test('header injection and owned headers are 422', async () => {
    const inj = await t.api('POST', '/v1/messages', {
      to: ['x@example.org'],
      subject: 'ok',
      text: 'x',
      headers: { 'X-Tag': 'v\r\nBcc: evil@example.org' },
    });
    expect(inj.status).toBe(422);
    expect(inj.body.error.code).toBe('header_injection');
    const subj = await t.api('POST', '/v1/messages', {
      to: ['x@example.org'],
      subject: 'hi\r\nBcc: evil@example.org',
      text: 'x',
    });
    expect(subj.status).toBe(422);
    expect(subj.body.error.code).toBe('header_injection');
    const owned = await t.api('POST', '/v1/messages', {
      to: ['x@example.org'],
      subject: 'ok',
      text: 'x',
      headers: { 'Message-ID': '<forged@x>' },
    });
    expect(owned.status).toBe(422);
    expect(owned.body.error.code).toBe('invalid_headers');
    const auto = await t.api('POST', '/v1/messages', {
      to: ['x@example.org'],
      subject: 'ok',
      text: 'x',
      headers: { 'Auto-Submitted': 'no' },
    });
    expect(auto.status).toBe(422);
    const tooMany = await t.api('POST', '/v1/messages', {
      to: Array.from({ length: 51 }, (_, i) => `r${i}@example.org`),
      subject: 'x',
      text: 'x',
    });
    expect(tooMany.status).toBe(422);
  });

  test('templates: versions are kept, HTML escaped, strict mode lists missing variables', async () => {
    const put1 = await t.api('PUT', '/v1/templates/welcome', {
      subject: 'Welcome {{name}}',
      html: '<p>Hi {{name}}, code {{code}}</p>',
    });
    expect(put1.status).toBe(201);
    expect(put1.body.version).toBe(1);
    const put2 = await t.api('PUT', '/v1/templates/welcome', {
      subject: 'Welcome, {{name}}!',
      html: '<p>Hello {{name}}</p><p>{{code}}</p>',
    });
    expect(put2.body.version).toBe(2);
    const got = await t.api('GET', '/v1/templates/welcome');
    expect(got.body).toMatchObject({ version: 2, versions: [2, 1] });
    expect((await t.api('GET', '/v1/templates/welcome?version=1')).body.subject).toBe(
      'Welcome {{name}}',
    );

    const missing = await t.api('POST', '/v1/templates/welcome/preview', { data: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({
      code: 'template_variables_missing',
      details: { missing: ['code', 'name'] },
    });
    const preview = await t.api('POST', '/v1/templates/welcome/preview', {
      data: { name: '<b>Bo</b>', code: 7 },
    });
    expect(preview.body.html).toBe('<p>Hello &lt;b&gt;Bo&lt;/b&gt;</p><p>7</p>');
    expect(preview.body.subject).toBe('Welcome, <b>Bo</b>!');

    const send422 = await t.api('POST', '/v1/messages', {
      to: ['tpl@example.org'],
      template: { name: 'welcome', data: { name: 'x' } },
    });
    expect(send422.status).toBe(422);
    expect(send422.body.error.details.missing).toEqual(['code']);
    const sent = await t.api('POST', '/v1/messages', {
      to: ['tpl@example.org'],
      template: { name: 'welcome', version: 1, data: { name: 'Cy', code: 'A1' } },
    });
    expect(sent.status).toBe(202);
    const msg = await t.waitForStatus(sent.body.id, ['sent']);
    expect(msg.template).toEqual({ name: 'welcome', version: 1 });
    expect(msg.subject).toBe('Welcome Cy');

    // Bulk: one template, per-recipient data; a recipient with missing data is reported alone.
    const bulk = await t.api('POST', '/v1/messages/batch', {
      template: { name: 'welcome' },
      recipients: [
        { to: 'bulk1@example.org', data: { name: 'A', code: '1' } },
        { to: 'bulk2@example.org', data: { name: 'B' } },
      ],
    });
    expect(bulk.status).toBe(202);
    expect(bulk.body.accepted).toHaveLength(1);
    expect(bulk.body.errors[0]).toMatchObject({
      index: 1,
      error: { code: 'template_variables_missing' },
    });
    await t.waitForStatus(bulk.body.accepted[0].id, ['sent']);
    const bulkMail = t.sink.messages.find((m) => m.to.includes('bulk1@example.org'))!;
    const parsed = await simpleParser(bulkMail.raw);
    const rawText = bulkMail.raw.toString();
    expect(rawText).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');

    // One-click unsubscribe from that bulk mail: POST suppresses at once.
    const url = /<(https:\/\/postroom\.test\/u\/[^>]+)>/.exec(
      rawText.replace(/\r\n[ \t]+/g, ' '),
    )![1]!;
    const path = url.replace('https://postroom.test', '');
    const page = await fetch(`${t.app.baseUrl}${path}`);
    expect(await page.text()).toContain('bulk1@example.org');
    expect((await t.api('GET', '/v1/suppressions?address=bulk1@example.org')).body.data).toEqual(
      [],
    );
    const one = await fetch(`${t.app.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(one.status).toBe(200);
    expect(
      (await t.api('GET', '/v1/suppressions?address=bulk1@example.org')).body.data,
    ).toMatchObject([{ reason: 'unsubscribe', scope: 'broadcast' }]);

    expect((await t.api('DELETE', '/v1/templates/welcome')).status).toBe(204);
    expect((await t.api('GET', '/v1/templates/welcome')).status).toBe(404);
  });

  test('a suppressed address ends `suppressed` and never reaches the sink', async () => {
    expect(
      (
        await t.api('POST', '/v1/suppressions', {
          address: 'Blocked@Example.org',
          reason: 'manual',
        })
      ).status,
    ).toBe(201);
    const res = await t.api('POST', '/v1/messages', {
      to: ['blocked@example.org'],
      subject: 'nope',
      text: 'x',
    });
    expect(res.body.status).toBe('suppressed');
    // Mixed: the suppressed recipient is dropped, the other one gets it.
    const mixed = await t.api('POST', '/v1/messages', {
      to: ['blocked@example.org', 'fine@example.org'],
      subject: 'mixed',
      text: 'x',
    });
    await t.waitForStatus(mixed.body.id, ['sent']);
    // Suppressed after acceptance: caught again at send time.
    const late = await t.services.sendMessage({
      to: ['late@example.org'],
      subject: 'late',
      text: 'x',
      send_at: new Date(Date.now() + 3600_000).toISOString(),
    });
    await t.services.suppressions.add({ address: 'late@example.org', reason: 'complaint' });
    await t.app.container.pool.query(
      `UPDATE outbound_messages SET status = 'queued', send_at = NULL WHERE id = $1`,
      [late.id],
    );
    await t.services.deliver.processSend([late.id]);
    expect((await t.api('GET', `/v1/messages/${late.id}`)).body.status).toBe('suppressed');
    expect(
      t.sink.messages.some(
        (m) => m.to.includes('blocked@example.org') || m.to.includes('late@example.org'),
      ),
    ).toBe(false);
    expect(t.sink.messages.find((m) => m.to.includes('fine@example.org'))!.to).toEqual([
      'fine@example.org',
    ]);
  });

  test('recordDeliveryEvent moves sent → delivered/bounced and suppresses hard bounces; unknown is not an error', async () => {
    const a = await t.api('POST', '/v1/messages', {
      to: ['dlv@example.org'],
      subject: 'd',
      text: 'x',
    });
    const b = await t.api('POST', '/v1/messages', {
      to: ['hard@example.org'],
      subject: 'b',
      text: 'x',
    });
    await t.waitForStatus(a.body.id, ['sent']);
    await t.waitForStatus(b.body.id, ['sent']);
    expect(
      await t.services.recordDeliveryEvent(
        { messageId: a.body.message_id },
        { type: 'delivered', at: new Date() },
      ),
    ).toMatchObject({ found: true, status: 'delivered' });
    expect(
      await t.services.recordDeliveryEvent(
        { messageId: b.body.id },
        { type: 'bounced', bounce: 'hard', at: new Date(), reason: '5.1.1' },
      ),
    ).toMatchObject({
      found: true,
      status: 'bounced',
    });
    expect(await t.services.suppressions.isSuppressed('hard@example.org', 'transactional')).toBe(
      true,
    );
    expect(
      await t.services.recordDeliveryEvent(
        { providerMessageId: 'nope' },
        { type: 'delivered', at: new Date() },
      ),
    ).toEqual({ found: false });
  });

  test('listing filters by tag and pages with a keyset cursor; suppressions can be removed', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (
          await t.api('POST', '/v1/messages', {
            to: [`page${i}@example.org`],
            subject: 'p',
            text: 'x',
            tags: ['paged'],
          })
        ).body.id,
      );
    }
    const first = await t.api('GET', '/v1/messages?tag=paged&limit=2');
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual([ids[2], ids[1]]);
    const second = await t.api(
      'GET',
      `/v1/messages?tag=paged&limit=2&cursor=${first.body.next_cursor}`,
    );
    expect(second.body.data.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
    expect(second.body.next_cursor).toBeNull();
    expect((await t.api('GET', '/v1/messages?status=bogus')).status).toBe(422);

    await t.api('POST', '/v1/suppressions', {
      address: 'undo@example.org',
      reason: 'manual',
      scope: 'broadcast',
    });
    expect(await t.services.suppressions.isSuppressed('undo@example.org', 'broadcast')).toBe(true);
    expect(await t.services.suppressions.isSuppressed('undo@example.org', 'transactional')).toBe(
      false,
    );
    expect((await t.api('DELETE', '/v1/suppressions/undo@example.org')).status).toBe(204);
    expect((await t.api('DELETE', '/v1/suppressions/undo@example.org')).status).toBe(404);
    expect(await t.services.suppressions.isSuppressed('undo@example.org', 'broadcast')).toBe(false);
  });

  test('priority lanes: prompts and transactional mail are fetched before digests and broadcast', async () => {
    const lanes = [
      { kind: 'prompt', stream: 'transactional' },
      { kind: 'api', stream: 'transactional' },
      { kind: 'digest', stream: 'transactional' },
      { kind: 'api', stream: 'broadcast' },
    ] as const;
    const ids = [];
    for (const l of lanes)
      ids.push(
        (await t.services.sendMessage({ to: ['lane@example.org'], subject: 'l', text: 'x', ...l }))
          .id,
      );
    const { rows } = await t.app.container.pool.query<{ id: string; priority: number }>(
      `SELECT data->'ids'->>0 AS id, priority FROM pgboss.job WHERE name = 'outbound.send' AND data->'ids'->>0 = ANY($1)`,
      [ids],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r.priority]));
    expect(ids.map((id) => byId[id])).toEqual([10, 10, 5, 0]);
  });

  test('auth, scopes, the OpenAPI document', async () => {
    const none = await fetch(`${t.app.baseUrl}/v1/messages`);
    expect(none.status).toBe(401);
    const { key } = await t.services.apiKeys.create({ name: 'reader', scopes: ['read'] });
    const denied = await fetch(`${t.app.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe(
      'insufficient_scope',
    );
    const doc = (await t.api('GET', '/v1/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(
      doc.paths['/v1/messages'].post.requestBody.content['application/json'].schema.properties.to,
    ).toBeDefined();
    expect(doc.paths['/v1/messages/{id}'].get['x-required-scope']).toBe('read');
  });
});

describe('quota and scheduling', () => {
  test('the daily quota answers 429 with Retry-After', async () => {
    const t = await startOutboundApp({ noSmtp: true });
    try {
      const { key } = await t.services.apiKeys.create({
        name: 'small',
        scopes: ['send'],
        dailyQuota: 2,
      });
      const send = () =>
        fetch(`${t.app.baseUrl}/v1/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ to: ['q@example.org'], subject: 'q', text: 'q' }),
        });
      expect((await send()).status).toBe(202);
      expect((await send()).status).toBe(202);
      const third = await send();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      // The outbox transport (no SMTP_URL) still walks the state machine and keeps the MIME.
      const list = await t.api('GET', '/v1/messages?to=q@example.org');
      const id = list.body.data[0].id;
      await t.waitForStatus(id, ['sent']);
      const raw = await t.api('GET', `/v1/messages/${id}/raw`);
      expect(String(raw.body)).toContain('Subject: q');
    } finally {
      await t.stop();
    }
  });

  test('a scheduled send fires at send_at on the injected clock; cancel stops another', async () => {
    const clock = new ManualClock('2030-05-01T08:00:00Z');
    const t = await startOutboundApp({ clock });
    try {
      const at = '2030-05-01T09:00:00Z';
      const a = await t.api('POST', '/v1/messages', {
        to: ['sched@example.org'],
        subject: 'later',
        text: 'x',
        send_at: at,
      });
      const b = await t.api('POST', '/v1/messages', {
        to: ['cancel@example.org'],
        subject: 'never',
        text: 'x',
        send_at: at,
      });
      expect(a.body.status).toBe('scheduled');
      const tooFar = await t.api('POST', '/v1/messages', {
        to: ['x@example.org'],
        subject: 'x',
        text: 'x',
        send_at: '2030-06-15T00:00:00Z',
      });
      expect(tooFar.status).toBe(422);
      expect((await t.api('POST', `/v1/messages/${b.body.id}/cancel`)).body.status).toBe(
        'canceled',
      );
      expect((await t.api('POST', `/v1/messages/${b.body.id}/cancel`)).status).toBe(409);

      clock.set('2030-05-01T08:59:59Z');
      await t.services.sweep.sweep();
      expect((await t.api('GET', `/v1/messages/${a.body.id}`)).body.status).toBe('scheduled');

      clock.set('2030-05-01T09:00:00Z');
      expect((await t.services.sweep.sweep()).promoted).toBe(1);
      const msg = await t.waitForStatus(a.body.id, ['sent']);
      expect(msg.sent_at).toBe('2030-05-01T09:00:00.000Z');
      expect(t.sink.messages.map((m) => m.to[0])).toEqual(['sched@example.org']);
    } finally {
      await t.stop();
    }
  });
});
