/**
 * The read pages over real rows: overview, message log and detail, inbound, teams and archive
 * search, and the member page reached by a signed link. Also checks that user content is
 * escaped everywhere and email HTML only reaches the sandboxed preview route.
 */
import { parseEntries } from '../../src/domain/entries/index.js';
import { createMemberLinks } from '../../src/services/member-links.js';
import { createEntryService } from '../../src/services/checkins/entries.js';
import { createLinks } from '../../src/services/checkins/links.js';
import { createPreferencesService } from '../../src/services/checkins/preferences.js';
import { memberPageActions } from '../../src/main/features/checkins.js';
import { createReadModels, repositories } from '../../src/storage/index.js';
import { seedInbound, seedOutbound, seedTeam } from './seed.js';
import { Browser, SECRET, startDashboardTestApp, type DashboardTestApp } from './support.js';
import { testSettings } from '../checkins/support.js';

const links = createMemberLinks({ publicUrl: 'http://x', secretKey: SECRET, ttlDays: 14 });

describe('dashboard pages', () => {
  let app: DashboardTestApp;
  let b: Browser;
  let team: Awaited<ReturnType<typeof seedTeam>>;
  let msg: { id: string };
  let inbound: { id: string };
  const canceled: string[] = [];

  beforeAll(async () => {
    app = await startDashboardTestApp({
      pageSize: 2,
      extra: (s, t, clock) => ({
        ...s,
        messages: {
          reader: createReadModels(t.db, { bossSchema: 'pgboss' }).messages,
          actions: { cancel: async (id) => void canceled.push(id), retry: async () => {} },
        },
        teams: createReadModels(t.db, { bossSchema: 'pgboss' }).teams,
        inbound: {
          reader: createReadModels(t.db, { bossSchema: 'pgboss' }).inbound,
          actions: null,
        },
        member: {
          verify: (token, now) => links.verify(token, now),
          ...memberPageActions({
            entries: createEntryService({ db: t.db, clock, ...repositories }),
            preferences: createPreferencesService({
              db: t.db,
              clock,
              ...repositories,
              links: createLinks(testSettings()),
            }),
          }),
          parseEntries: (text) =>
            parseEntries(text).map(({ kind, text: t, tags, mentions, completed }) => ({
              kind,
              text: t,
              tags,
              mentions,
              completed,
            })),
        },
      }),
    });
    team = await seedTeam(app.t.pool);
    msg = await seedOutbound(app.t.pool);
    inbound = await seedInbound(app.t.pool);
    await app.auth.createAdmin('ops@example.com');
    b = new Browser(app.baseUrl);
    await b.signIn(app, 'ops@example.com');
  });
  afterAll(() => app.close());

  const page = async (path: string, status = 200) => {
    const res = await b.request(path);
    expect(res.status).toBe(status);
    const html = await res.text();
    // User content is escaped wherever it appears.
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    return { res, html };
  };

  test('overview: 24 h counts, failure rate, inbound counts, queues and the sends chart', async () => {
    const { html, res } = await page('/');
    expect(html).toMatch(/id="outbound-total">1</);
    expect(html).toContain('id="failure-rate">0.0%');
    expect(html).toContain('href="/inbound?status=processed"');
    expect(html).toMatch(/<svg viewBox="0 0 720 160"/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  test('message log filters and pages by keyset', async () => {
    for (let i = 0; i < 3; i++)
      await seedOutbound(app.t.pool, new Date(Date.UTC(2026, 10, 24, 6, i)));
    const first = await page('/messages');
    expect(first.html.match(/href="\/messages\/[0-9a-f-]{36}"/g)).toHaveLength(2);
    // Handlebars escapes `=` in attribute values as &#x3D;, which browsers decode.
    const older = first.html
      .match(/href="(\/messages\?before[^"]+)" rel="next"/)![1]!
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    const second = await page(older);
    expect(second.html.match(/href="\/messages\/[0-9a-f-]{36}"/g)).toHaveLength(2);
    expect(second.html).toContain('← Newest');
    const none = await page('/messages?tag=nothing-like-this');
    expect(none.html).toContain('No messages match.');
    const bad = await page('/messages?status=failed&recipient=ana@example.com');
    expect(bad.html).toContain('No messages match.');
  });

  test('message detail: timeline, text, headers, raw download, and HTML only in the sandbox', async () => {
    const { html } = await page(`/messages/${msg.id}`);
    expect(html).toContain('250 OK queued');
    expect(html).toContain('X-Campaign');
    expect(html).toContain(
      `<iframe class="preview" sandbox="" referrerpolicy="no-referrer" src="/messages/${msg.id}/preview"`,
    );
    expect(html).not.toContain('tracker.example');
    expect(html).not.toContain('id="cancel-message"');

    const preview = await b.request(`/messages/${msg.id}/preview`);
    const csp = preview.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).toMatch(/(^|; )sandbox(;|$)/);
    expect(await preview.text()).toContain('<p>Hi</p>');

    const missing = await b.request(`/messages/0190a0b0-0000-7000-8000-000000000000/preview`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toContain("script-src 'self'");
    const raw = await b.request(`/messages/${msg.id}/raw`);
    expect(raw.headers.get('content-type')).toContain('message/rfc822');
    expect(raw.headers.get('content-disposition')).toContain('attachment');
    expect(await raw.text()).toContain('Subject: Hello');
  });

  test('cancel is offered for a scheduled message and goes through the action', async () => {
    const { id } = await seedOutbound(app.t.pool);
    await app.t.pool.query(
      `UPDATE outbound_messages SET status = 'scheduled', send_at = now() + interval '1 day' WHERE id = $1`,
      [id],
    );
    const { html } = await page(`/messages/${id}`);
    expect(html).toContain('id="cancel-message"');
    const res = await b.request(`/messages/${id}/cancel`, {
      method: 'POST',
      form: { _csrf: Browser.csrf(html) },
    });
    expect(res.status).toBe(303);
    expect(canceled).toEqual([id]);
  });

  test('inbound list and detail show raw and extracted reply side by side', async () => {
    const list = await page('/inbound?provider=relay');
    expect(list.html).toContain(`/inbound/${inbound.id}`);
    const { html } = await page(`/inbound/${inbound.id}`);
    expect(html).toMatch(/<pre id="raw">From: Ana &lt;ana@example.com&gt;/);
    expect(html).toContain('<pre id="reply">Shipped it</pre>');
    // The parts cut from the reply, each marked as such, with the rule that decided.
    expect(html).toContain(
      '<pre id="reply-signature" class="reply-part reply-signature">- Ana</pre>',
    );
    expect(html).toContain(
      '<pre id="reply-quoted" class="reply-part reply-quoted">&gt; quoted history</pre>',
    );
    expect(html).toMatch(
      /Decided by <strong>quote-block<\/strong>.*<span class="badge">sender-name<\/span>/,
    );
    expect(html).toContain('&quot;autoReply&quot;: false');
    expect(html).not.toContain('id="reprocess"');
    const raw = await b.request(`/inbound/${inbound.id}/raw`);
    expect((await raw.text()).startsWith('From: Ana')).toBe(true);
  });

  test('team page: members with completion and streak', async () => {
    const { html } = await page(`/teams/${team.teamId}`);
    expect(html).toContain('Platform &lt;script&gt;');
    const ana = html.slice(html.indexOf('>Ana<'));
    expect(ana).toMatch(
      /67% <small class="muted">\(2\/3\)<\/small><\/td>\s*<td class="num">2<\/td>/,
    );
  });

  test('archive calendar, day view (digest shape) and per-person view', async () => {
    const cal = await page(`/teams/${team.teamId}/archive?month=2026-11`);
    expect(cal.html).toMatch(/archive\/2026-11-23">23<\/a><span class="count">3<\/span>/);
    const day = await page(`/teams/${team.teamId}/archive/2026-11-23`);
    // People with blockers come first, as in the digest.
    expect(day.html.indexOf('>Bo<')).toBeLessThan(day.html.indexOf('>Ana<'));
    expect(day.html).toContain('1 done · 1 goals · 1 blockers');
    const person = await page(`/teams/${team.teamId}/members/${team.bo}`);
    expect(person.html).toContain('Tuned the #billing queries');
  });

  test('archive search: #tag, @mention, kind, date and full text', async () => {
    const count = async (q: string) => {
      const { html } = await page(`/teams/${team.teamId}/search?${q}`);
      return Number(html.match(/id="result-count">(\d+) entries/)![1]);
    };
    expect(await count('q=%23billing')).toBe(2);
    expect(await count('q=%23billing&from=2026-11-21')).toBe(1);
    expect(await count('q=%40bo')).toBe(1);
    expect(await count('q=&kind=blocker')).toBe(1);
    expect(await count('q=deploy')).toBe(1);
    const { html } = await page(`/teams/${team.teamId}/search?q=deploy`);
    expect(html).toContain('Reviewed <mark>deploy</mark> scripts');
    expect(await count('q=nothing%20matches')).toBe(0);
  });

  describe('member page by signed link', () => {
    test('adds, edits and deletes own entries for a date, and manages unsubscribes', async () => {
      const m = new Browser(app.baseUrl);
      const base = `/m/${links.token(team.ana, app.clock.now())}`;
      let html = await (await m.request(`${base}?date=2026-11-23`)).text();
      expect(html).toContain('Shipped the #billing export for @bo');
      let res = await m.request(`${base}/entries`, {
        method: 'POST',
        form: {
          _csrf: Browser.csrf(html),
          date: '2026-11-24',
          lines: '[] plan #q1 roadmap\nFixed login',
        },
      });
      expect(res.status).toBe(303);
      const rows = await app.t.pool.query<{
        id: string;
        kind: string;
        text: string;
        tags: string[];
        source: string;
      }>(
        `SELECT id, kind, text, tags, source FROM entries WHERE member_id = $1 AND local_date = '2026-11-24' ORDER BY text`,
        [team.ana],
      );
      expect(rows.rows.map((r) => [r.kind, r.text, r.tags, r.source])).toEqual([
        ['done', 'Fixed login', [], 'api'],
        ['goal', 'plan #q1 roadmap', ['q1'], 'api'],
      ]);
      html = await (await m.request(`${base}?date=2026-11-24`)).text();
      const target = rows.rows[0]!.id;
      res = await m.request(`${base}/entries/${target}`, {
        method: 'POST',
        form: {
          _csrf: Browser.csrf(html),
          date: '2026-11-24',
          line: '! login still flaky',
          action: 'save',
        },
      });
      expect(res.status).toBe(303);
      const edited = await app.t.pool.query(`SELECT kind, text FROM entries WHERE id = $1`, [
        target,
      ]);
      expect(edited.rows[0]).toEqual({ kind: 'blocker', text: 'login still flaky' });
      res = await m.request(`${base}/entries/${target}`, {
        method: 'POST',
        form: { _csrf: Browser.csrf(html), date: '2026-11-24', action: 'delete' },
      });
      expect(res.status).toBe(303);
      expect(
        (await app.t.pool.query(`SELECT 1 FROM entries WHERE id = $1`, [target])).rowCount,
      ).toBe(0);

      res = await m.request(`${base}/subscriptions`, {
        method: 'POST',
        form: { _csrf: Browser.csrf(html), kind: 'digest', action: 'unsubscribe' },
      });
      expect(res.status).toBe(303);
      const unsub = await app.t.pool.query(
        `SELECT kind FROM member_unsubscriptions WHERE member_id = $1`,
        [team.ana],
      );
      expect(unsub.rows).toEqual([{ kind: 'digest' }]);
    });

    test("a member's link cannot touch another member's entries", async () => {
      const m = new Browser(app.baseUrl);
      const base = `/m/${links.token(team.ana, app.clock.now())}`;
      const html = await (await m.request(base)).text();
      const bos = await app.t.pool.query<{ id: string }>(
        `SELECT id FROM entries WHERE member_id = $1 LIMIT 1`,
        [team.bo],
      );
      const res = await m.request(`${base}/entries/${bos.rows[0]!.id}`, {
        method: 'POST',
        form: { _csrf: Browser.csrf(html), date: '2026-11-20', action: 'delete' },
      });
      expect(res.status).toBe(404);
      expect(
        (await app.t.pool.query(`SELECT 1 FROM entries WHERE id = $1`, [bos.rows[0]!.id])).rowCount,
      ).toBe(1);
    });

    test('an edit that makes a line identical to another of the day is a 409, not a 500', async () => {
      const m = new Browser(app.baseUrl);
      const base = `/m/${links.token(team.ana, app.clock.now())}`;
      let html = await (await m.request(`${base}?date=2026-11-25`)).text();
      await m.request(`${base}/entries`, {
        method: 'POST',
        form: { _csrf: Browser.csrf(html), date: '2026-11-25', lines: 'Wrote docs\nWrote tests' },
      });
      const rows = await app.t.pool.query<{ id: string; text: string }>(
        `SELECT id, text FROM entries WHERE member_id = $1 AND local_date = '2026-11-25' ORDER BY text`,
        [team.ana],
      );
      const tests = rows.rows.find((r) => r.text === 'Wrote tests')!;
      html = await (await m.request(`${base}?date=2026-11-25`)).text();
      const res = await m.request(`${base}/entries/${tests.id}`, {
        method: 'POST',
        form: { _csrf: Browser.csrf(html), date: '2026-11-25', line: 'Wrote docs', action: 'save' },
      });
      expect(res.status).toBe(409);
      expect(await res.text()).toContain('An identical entry exists on that day');
      const json = await m.request(`${base}/entries/${tests.id}`, {
        method: 'POST',
        headers: { accept: 'application/json' },
        form: { _csrf: Browser.csrf(html), date: '2026-11-25', line: 'Wrote docs', action: 'save' },
      });
      expect(json.status).toBe(409);
      expect(await json.json()).toMatchObject({ error: { code: 'entry_exists' } });
      const after = await app.t.pool.query(`SELECT text FROM entries WHERE id = $1`, [tests.id]);
      expect(after.rows[0]).toEqual({ text: 'Wrote tests' });
    });

    test('expired and tampered links are refused', async () => {
      const m = new Browser(app.baseUrl);
      const old = links.token(team.ana, new Date(app.clock.now().getTime() - 15 * 86_400_000));
      expect((await m.request(`/m/${old}`)).status).toBe(410);
      const good = links.token(team.ana, app.clock.now());
      const forged = `${good.slice(0, -3)}${good.endsWith('AAA') ? 'BBB' : 'AAA'}`;
      expect((await m.request(`/m/${forged}`)).status).toBe(410);
      const other = createMemberLinks({
        publicUrl: 'http://x',
        secretKey: 'another-secret-0123456789abcdef0123',
        ttlDays: 14,
      });
      expect((await m.request(`/m/${other.token(team.ana, app.clock.now())}`)).status).toBe(410);
    });
  });
});
