/**
 * End to end through the whole app, with the real outbound engine and a real SMTP sink:
 * the tick plans a prompt → it reaches the sink → a reply quoting it is POSTed through the
 * Mailgun webhook → entries with the right kinds and date → the next day's digest holds them
 * and reaches the sink. Then an email command and the one-click unsubscribe.
 *
 * Outbound and pg-boss run on real time, so the clock here is real time plus an offset, and
 * the "next day" comes from zones rather than from waiting: the member lives in UTC−12 and
 * the team in a zone where it is already the following date.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { addDays, localDateAt, localTimeAt } from '../../src/domain/schedule/local-time.js';
import { formatDateLabel } from '../../src/domain/checkins/digest-view.js';
import type { CheckinsFeature } from '../../src/main/features/checkins.js';
import { runDigestsCommand, runPromptsCommand } from '../../src/main/commands/checkins.js';
import type { OutboundTestApp } from '../outbound/support/outbound-app.js';
import {
  INBOUND_DOMAIN as DOMAIN,
  postThroughMailgun,
  ShiftedClock,
  startCheckinsApp,
  waitFor,
} from './support.js';

const KEY = 'mg-checkins-key';
const MEMBER_ZONE = 'Etc/GMT+12';
const clock = new ShiftedClock();
let h: OutboundTestApp;
let checkins: CheckinsFeature['services'];

async function mailTo(address: string, subjectPart: string): Promise<ParsedMail> {
  return waitFor(async () => {
    for (const m of h.sink.messages) {
      if (!m.to.includes(address)) continue;
      const p = await simpleParser(m.raw);
      if (p.subject?.includes(subjectPart)) return p;
    }
    return undefined;
  }, `mail to ${address} about "${subjectPart}"`);
}

/** The raw header (mailparser turns List-Unsubscribe into an object). */
function rawHeader(m: ParsedMail, name: string): string {
  return (
    m.headerLines
      .find((l) => l.key === name)
      ?.line.replace(/^[^:]+:\s*/, '')
      .replace(/\r?\n\s+/g, ' ') ?? ''
  );
}

async function postReply(from: string, to: string, body: string, inReplyTo?: string) {
  const raw = Buffer.from(
    `From: ${from}\r\nTo: ${to}\r\nSubject: Re: check-in\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@example.org>\r\n${inReplyTo ? `In-Reply-To: ${inReplyTo}\r\n` : ''}Content-Type: text/plain; charset=utf-8\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`,
  );
  const id = await postThroughMailgun(h, raw, to, KEY);
  return waitFor(async () => {
    const r = (
      await h.app.db.pool.query('SELECT status, reason FROM inbound_emails WHERE id = $1', [id])
    ).rows[0];
    return r && ['processed', 'ignored', 'failed'].includes(r.status) ? r : undefined;
  }, 'inbound processing');
}

beforeAll(async () => {
  h = await startCheckinsApp(clock, KEY);
  checkins = (h.app.container.features.find((f) => f.name === 'checkins') as CheckinsFeature)
    .services;
});
afterAll(async () => {
  await h?.stop();
});

test('prompt → reply → entries → next day’s digest, through SMTP and the webhook', async () => {
  const start = Date.now();
  const promptAt = new Date(start - 3 * 60_000);
  const promptDate = localDateAt(promptAt, MEMBER_ZONE);
  // A team zone where, two minutes from now, it is already the day after the prompt's date.
  const digestAt = new Date(start + 2 * 60_000);
  const teamZone = Array.from({ length: 27 }, (_, i) =>
    i - 12 <= 0 ? `Etc/GMT+${12 - i}` : `Etc/GMT-${i - 12}`,
  )
    .map((z) => z.replace('Etc/GMT+0', 'Etc/GMT'))
    .find((z) => localDateAt(digestAt, z) === addDays(promptDate, 1))!;
  expect(teamZone).toBeDefined();

  // Created ten minutes ago, so the member exists before the prompt time.
  clock.offsetMs = -10 * 60_000;
  const team = await h.api('POST', '/v1/teams', {
    name: 'Core',
    time_zone: teamZone,
    digest_time: localTimeAt(digestAt, teamZone),
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    reminder: { enabled: false, minutes_before_cutoff: 60 },
  });
  expect(team.status).toBe(201);
  const ana = await h.api('POST', `/v1/teams/${team.body.id}/members`, {
    email: 'ana@example.org',
    name: 'Ana Diaz',
    role: 'member',
    time_zone: MEMBER_ZONE,
    prompt_time: localTimeAt(promptAt, MEMBER_ZONE),
  });
  expect(ana.status).toBe(201);
  const bea = await h.api('POST', `/v1/teams/${team.body.id}/members/bulk`, {
    members: [{ email: 'bea@example.org', name: 'Bea Lee', role: 'observer' }],
  });
  expect(bea.body.created).toHaveLength(1);
  clock.offsetMs = 0;

  // 1. The tick plans the prompt; a worker sends it through the outbound engine to the sink.
  const tick = await checkins.planner.tick(clock.now());
  expect(tick.prompts).toBe(1);
  const prompt = await mailTo('ana@example.org', formatDateLabel(promptDate));
  const replyTo = (prompt.replyTo!.value[0]!.address as string).toLowerCase();
  expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{55}@${DOMAIN.replace(/\./g, '\\.')}$`));
  expect(prompt.text).toContain('## Reply above this line ##');
  expect(rawHeader(prompt, 'list-unsubscribe')).toContain('/preferences/unsubscribe?token=');
  expect(rawHeader(prompt, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  const prompts = await h.api('GET', `/v1/teams/${team.body.id}/prompts?date=${promptDate}`);
  expect(prompts.body.data).toMatchObject([
    { member_id: ana.body.id, status: 'sent', message_id: prompt.messageId },
  ]);

  // 2–3. A reply quoting the prompt, POSTed through the provider webhook, becomes entries.
  const quoted = prompt
    .text!.split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  const processed = await postReply(
    'Ana Diaz <ana@example.org>',
    replyTo,
    `Shipped the #billing export\n[] Write the migration guide\n! Waiting on API keys from @bea\n\nOn ${promptDate}, Postroom <checkins@example.com> wrote:\n${quoted}`,
    prompt.messageId,
  );
  expect(processed.status).toBe('processed');
  const entries = await h.api(
    'GET',
    `/v1/teams/${team.body.id}/entries?from=${promptDate}&to=${promptDate}`,
  );
  expect(
    entries.body.data.map((e: { kind: string; text: string; local_date: string }) => [
      e.kind,
      e.text,
      e.local_date,
    ]),
  ).toEqual([
    ['done', 'Shipped the #billing export', promptDate],
    ['goal', 'Write the migration guide', promptDate],
    ['blocker', 'Waiting on API keys from @bea', promptDate],
  ]);
  expect(
    (await h.api('GET', `/v1/teams/${team.body.id}/prompts?date=${promptDate}`)).body.data[0]
      .status,
  ).toBe('answered');

  // 4. The team's next morning: the digest of the prompt's date reaches both readers.
  clock.offsetMs = 3 * 60_000;
  expect((await checkins.planner.tick(clock.now())).digests).toBe(1);
  const digest = await mailTo('bea@example.org', `Core: ${formatDateLabel(promptDate)}`);
  const text = digest.text!;
  expect(text.indexOf('! Waiting on API keys from >>@bea<<')).toBeGreaterThan(-1);
  expect(text.indexOf('! Waiting on')).toBeLessThan(text.indexOf('Shipped the #billing export'));
  expect(digest.html).toContain('<mark><strong>@bea</strong></mark>');
  expect(rawHeader(digest, 'list-unsubscribe')).toContain('/preferences/unsubscribe?token=');
  await mailTo('ana@example.org', `Core: ${formatDateLabel(promptDate)}`);
  await waitFor(
    async () =>
      (await h.app.db.pool.query(`SELECT status FROM digests WHERE team_id = $1`, [team.body.id]))
        .rows[0]?.status === 'sent',
    'digest sent',
  );

  // A late reply that lost the reply address (sent to another inbound address) is matched
  // through In-Reply-To by the inbound engine and still dated the prompt's day.
  const viaThread = await postReply(
    'ana@example.org',
    `hello@${DOMAIN}`,
    'Reviewed two PRs',
    prompt.messageId,
  );
  expect(viaThread.status).toBe('processed');
  const after = await h.api('GET', `/v1/teams/${team.body.id}/entries?member=${ana.body.id}`);
  expect(
    after.body.data.map((e: { text: string; local_date: string }) => [e.text, e.local_date]),
  ).toContainEqual(['Reviewed two PRs', promptDate]);

  // An email command to the team address from the digest: pause, confirmed by mail.
  const teamAddress = (digest.replyTo!.value[0]!.address as string).toLowerCase();
  expect(teamAddress).toMatch(/^team\+/);
  const until = addDays(localDateAt(clock.now(), MEMBER_ZONE), 10);
  expect((await postReply('bea@example.org', teamAddress, `pause until ${until}`)).status).toBe(
    'processed',
  );
  const confirmation = await mailTo('bea@example.org', 'Done: pause');
  expect(confirmation.text).toContain(formatDateLabel(until));
  const beaRow = await h.api('GET', `/v1/teams/${team.body.id}/members/${bea.body.created[0].id}`);
  expect(beaRow.body).toMatchObject({ status: 'paused', pause_until: until });

  // RFC 8058 one-click unsubscribe from the prompt's List-Unsubscribe URL.
  const url = /<(http[^>]+)>/.exec(rawHeader(prompt, 'list-unsubscribe'))![1]!;
  const oneClick = await fetch(url.replace('https://postroom.test', h.app.baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  expect(oneClick.status).toBe(200);
  expect(await oneClick.json()).toEqual({ unsubscribed: 'prompt' });
  expect(
    (
      await h.app.db.pool.query('SELECT kind FROM member_unsubscriptions WHERE member_id = $1', [
        ana.body.id,
      ])
    ).rows,
  ).toEqual([{ kind: 'prompt' }]);

  // The signed preferences page from the prompt's footer: shows the state, saves all kinds at once.
  const prefs = /Email preferences: (\S+)/
    .exec(prompt.text!)![1]!
    .replace('https://postroom.test', h.app.baseUrl);
  const page = await fetch(prefs);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('name="prompt" value="on"> Daily');
  expect(html).toContain('name="digest" value="on" checked>');
  const saved = await fetch(prefs, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: 'prompt=on&digest=on',
  });
  expect(((await saved.json()) as { subscriptions: unknown }).subscriptions).toEqual({
    prompt: true,
    reminder: false,
    digest: true,
  });
  expect((await fetch(prefs.replace(/token=[^&]+/, 'token=forged.x'))).status).toBe(401);
});

test('the API validates input with machine-readable codes', async () => {
  const bad = await h.api('POST', '/v1/teams', {
    name: 'X',
    time_zone: 'Mars/Olympus',
    prompt_time: '25:00',
  });
  expect(bad.status).toBe(422);
  expect(bad.body.error.code).toBe('validation_failed');
  expect(bad.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
    'prompt_time',
    'time_zone',
  ]);
  expect((await h.api('GET', '/v1/teams/not-a-uuid')).body.error.code).toBe('invalid_id');
  expect((await h.api('GET', '/v1/teams/0190a0a0-0000-7000-8000-000000000000')).status).toBe(404);
  const unauth = await fetch(`${h.app.baseUrl}/v1/teams`);
  expect(unauth.status).toBe(401);
  const t = await h.api('POST', '/v1/teams', { name: 'Dup', time_zone: 'Europe/Berlin' });
  expect(t.body).toMatchObject({
    prompt_time: '17:00',
    digest_time: '08:00',
    weekdays: [1, 2, 3, 4, 5],
    cutoff_time: '23:00',
    reminder: { enabled: true, minutes_before_cutoff: 60 },
  });
  await h.api('POST', `/v1/teams/${t.body.id}/members`, { email: 'x@example.org', name: 'X' });
  expect(
    (await h.api('POST', `/v1/teams/${t.body.id}/members`, { email: 'X@example.org', name: 'X' }))
      .body.error.code,
  ).toBe('member_exists');
  const hol = await h.api('POST', `/v1/teams/${t.body.id}/holidays`, {
    date: '2026-12-25',
    yearly: true,
  });
  expect(hol.status).toBe(201);
  expect(
    (await h.api('POST', `/v1/teams/${t.body.id}/holidays`, { date: '2026-12-25' })).status,
  ).toBe(409);
  const doc = await h.api('GET', '/v1/openapi.json');
  expect(Object.keys(doc.body.paths)).toEqual(
    expect.arrayContaining([
      '/v1/teams',
      '/v1/teams/{id}/members',
      '/v1/teams/{id}/entries',
      '/v1/entries/{id}',
      '/v1/teams/{id}/stats',
      '/v1/members/{id}/vacations',
    ]),
  );
});

test('the admin API: members, vacations, holidays, entries, stats', async () => {
  const t = await h.api('POST', '/v1/teams', {
    name: 'Admin',
    time_zone: 'Europe/Berlin',
    weekdays: [1, 2, 3, 4, 5],
  });
  const m = await h.api('POST', `/v1/teams/${t.body.id}/members`, {
    email: 'cy@example.org',
    name: 'Cy',
    time_zone: 'Asia/Kathmandu',
  });
  expect(m.body).toMatchObject({
    role: 'member',
    status: 'active',
    time_zone: 'Asia/Kathmandu',
    prompt_time: null,
  });
  const paused = await h.api('PATCH', `/v1/teams/${t.body.id}/members/${m.body.id}`, {
    status: 'paused',
    pause_until: '2026-12-01',
  });
  expect(paused.body).toMatchObject({ status: 'paused', pause_until: '2026-12-01' });
  expect(
    (await h.api('PATCH', `/v1/teams/${t.body.id}/members/${m.body.id}`, { status: 'active' }))
      .body,
  ).toMatchObject({ status: 'active', pause_until: null });
  const v = await h.api('POST', `/v1/members/${m.body.id}/vacations`, {
    start_date: '2026-12-20',
    end_date: '2027-01-03',
  });
  expect(v.status).toBe(201);
  expect(
    (
      await h.api('POST', `/v1/members/${m.body.id}/vacations`, {
        start_date: '2027-01-03',
        end_date: '2026-12-20',
      })
    ).status,
  ).toBe(422);
  expect((await h.api('GET', `/v1/members/${m.body.id}/vacations`)).body.data).toHaveLength(1);
  expect((await h.api('DELETE', `/v1/members/${m.body.id}/vacations/${v.body.id}`)).status).toBe(
    204,
  );
  const hol = await h.api('POST', `/v1/teams/${t.body.id}/holidays`, {
    date: '2026-05-01',
    name: 'Labour Day',
    yearly: true,
  });
  expect((await h.api('GET', `/v1/teams/${t.body.id}/holidays`)).body.data).toMatchObject([
    { date: '2026-05-01', yearly: true, name: 'Labour Day' },
  ]);
  expect((await h.api('DELETE', `/v1/teams/${t.body.id}/holidays/${hol.body.id}`)).status).toBe(
    204,
  );
  // Entries: written by a reply to the team address, then edited and deleted through the API.
  await checkins.replies.handleReply({
    inboundEmailId: '0190a0a0-0000-7000-8000-0000000000e1',
    from: 'cy@example.org',
    target: { kind: 'team', teamId: t.body.id },
    text: 'Paired on the export\n[] Release notes',
  });
  const listed = await h.api('GET', `/v1/teams/${t.body.id}/entries?member=${m.body.id}`);
  expect(listed.body.data.map((e: { kind: string }) => e.kind)).toEqual(['done', 'goal']);
  const goal = listed.body.data[1];
  expect(goal.completed).toBe(false);
  const patched = await h.api('PATCH', `/v1/entries/${goal.id}`, {
    completed: true,
    text: 'Release notes v2',
  });
  expect(patched.body).toMatchObject({ kind: 'goal', text: 'Release notes v2', completed: true });
  expect((await h.api('PATCH', `/v1/entries/${goal.id}`, { kind: 'sideways' })).status).toBe(422);
  expect((await h.api('DELETE', `/v1/entries/${listed.body.data[0].id}`)).status).toBe(204);
  expect((await h.api('DELETE', `/v1/entries/${listed.body.data[0].id}`)).status).toBe(404);
  const stats = await h.api('GET', `/v1/teams/${t.body.id}/stats`);
  expect(stats.body).toMatchObject({
    team: { asked: 0, answered: 0, completion_rate: null },
    members: [{ member_id: m.body.id, current_streak: 0 }],
  });
  expect((await h.api('DELETE', `/v1/teams/${t.body.id}/members/${m.body.id}`)).status).toBe(204);
  expect((await h.api('DELETE', `/v1/teams/${t.body.id}`)).status).toBe(204);
  expect((await h.api('GET', `/v1/teams/${t.body.id}`)).status).toBe(404);
});

test('operator CLI: digests run and prompts run', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = {
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    withContainer: <T>(fn: (c: never) => Promise<T>) => fn(h.app.container as never),
  };
  clock.offsetMs = -60 * 60_000;
  const team = await h.api('POST', '/v1/teams', {
    name: 'Ops',
    time_zone: 'UTC',
    prompt_time: localTimeAt(new Date(Date.now() - 30 * 60_000), 'UTC'),
    weekdays: [1, 2, 3, 4, 5, 6, 7],
  });
  await h.api('POST', `/v1/teams/${team.body.id}/members`, {
    email: 'ops@example.org',
    name: 'Ops',
  });
  clock.offsetMs = 0;
  expect(await runPromptsCommand(['run', '--team', team.body.id], ctx)).toBe(0);
  expect(JSON.parse(out.pop()!)).toMatchObject({ planned: 1, missed_by_outage: 0 });
  expect(await runPromptsCommand(['run', '--team', team.body.id], ctx)).toBe(0);
  expect(JSON.parse(out.pop()!)).toMatchObject({ planned: 0 });
  expect(
    await runDigestsCommand(['run', '--team', team.body.id, '--date', '2026-11-20'], ctx),
  ).toBe(0);
  expect(JSON.parse(out.pop()!)).toMatchObject({
    local_date: '2026-11-20',
    status: 'skipped_empty',
    action: 'skipped_empty',
  });
  expect(
    await runDigestsCommand(['run', '--team', team.body.id, '--date', '2026-11-20'], ctx),
  ).toBe(0);
  expect(JSON.parse(out.pop()!)).toMatchObject({ action: 'skipped_empty' });
  expect(await runDigestsCommand(['run', '--team', team.body.id], ctx)).toBe(2);
  expect(await runDigestsCommand(['run', '--team', 'x', '--date', '2026-13-01'], ctx)).toBe(2);
  expect(
    await runDigestsCommand(
      ['run', '--team', '0190a0a0-0000-7000-8000-000000000000', '--date', '2026-11-20'],
      ctx,
    ),
  ).toBe(3);
  expect(err.at(-1)).toContain('team_not_found');
});
