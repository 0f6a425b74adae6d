/**
 * The check-in services against real Postgres: outage catch-up, concurrent ticks, prompt and
 * reminder sending, replies (late, duplicated, to the team address), email commands, digests
 * (build, empty, resend) and stats. The outbound engine is a recorder here; the end-to-end
 * test runs the real one to a real SMTP sink.
 */
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import {
  createCheckinsServices,
  type CheckinsServices,
} from '../../src/services/checkins/index.js';
import { parseEntries } from '../../src/domain/entries/index.js';
import { extractReply } from '../../src/reply/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { newId } from '../../src/lib/ids.js';
import { ValidationError } from '../../src/lib/errors.js';
import { RecordingOutbound, RecordingQueue, testSettings } from './support.js';
import { repositories as repos } from '../../src/storage/index.js';
import { createMemberLinks } from '../../src/services/member-links.js';
import { createCheckinsMailbox } from '../../src/services/checkins/mailbox.js';
import type { MailboxTarget, RoutedInbound } from '../../src/services/inbound/mailboxes.js';

let t: TestDatabase;
const memberLinks = createMemberLinks({
  publicUrl: 'http://postroom.test',
  secretKey: 'k'.repeat(40),
  ttlDays: 14,
});

function build(clock: ManualClock, overrides = {}) {
  const queue = new RecordingQueue();
  const outbound = new RecordingOutbound();
  const services = createCheckinsServices({
    db: t.db,
    repositories: repos,
    queue,
    outbound,
    settings: testSettings(overrides),
    clock,
    log: silentLogger,
    extractReply: (i) => extractReply(i),
    parseEntries: (text) => parseEntries(text),
    memberPageUrl: (memberId, now) => memberLinks.url(memberId, now),
  });
  return { queue, outbound, services };
}

async function team(
  s: CheckinsServices,
  zone = 'Europe/Berlin',
  extra: Record<string, unknown> = {},
) {
  return s.admin.createTeam({
    name: 'Core',
    time_zone: zone,
    prompt_time: '17:00',
    digest_time: '08:00',
    weekdays: [1, 2, 3, 4, 5],
    reminder: { enabled: true, minutes_before_cutoff: 60 },
    cutoff_time: '23:00',
    ...extra,
  });
}

async function member(
  s: CheckinsServices,
  teamId: string,
  email: string,
  name = 'Ana Diaz',
  role: 'member' | 'observer' = 'member',
) {
  return s.admin.addMember(teamId, { email, name, role });
}

const promptsOf = async (teamId: string) =>
  (
    await t.pool.query(
      'SELECT id, member_id, local_date, status, due_at FROM prompts WHERE team_id = $1 ORDER BY local_date, member_id',
      [teamId],
    )
  ).rows;

beforeAll(async () => {
  t = await createTestDatabase({ poolMax: 8 });
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.pool.query(
    'TRUNCATE teams CASCADE; TRUNCATE checkin_ticks; TRUNCATE checkin_replies CASCADE',
  );
});

test('outage: no tick for 2 h → the missed prompts are caught up, none twice', async () => {
  const clock = new ManualClock('2026-11-24T12:00:00Z'); // a Tuesday
  const { services: s, queue } = build(clock);
  const berlin = await team(s, 'Europe/Berlin'); // 17:00 = 16:00Z
  const kolkata = await team(s, 'Asia/Kolkata'); // 17:00 = 11:30Z (before the first tick: not planned)
  await member(s, berlin.id, 'a@example.test');
  await member(s, kolkata.id, 'k@example.test');
  await s.planner.tick(new Date('2026-11-24T15:30:00Z'));
  expect(await promptsOf(berlin.id)).toHaveLength(0);
  // The worker is down from 15:30 to 17:30: Berlin's 16:00 prompt is caught up at 17:30.
  const r = await s.planner.tick(new Date('2026-11-24T17:30:00Z'));
  expect(r).toMatchObject({ prompts: 1, missedByOutage: 0 });
  const rows = await promptsOf(berlin.id);
  expect(rows).toMatchObject([{ local_date: '2026-11-24', status: 'scheduled' }]);
  expect(rows[0].due_at.toISOString()).toBe('2026-11-24T16:00:00.000Z');
  // Ticking again, or over the same window again, plans nothing new.
  await s.planner.tick(new Date('2026-11-24T17:31:00Z'));
  await t.pool.query(`UPDATE checkin_ticks SET last_tick_at = '2026-11-24T15:00:00Z'`);
  expect((await s.planner.tick(new Date('2026-11-24T17:32:00Z'))).prompts).toBe(0);
  expect(await promptsOf(berlin.id)).toHaveLength(1);
  expect(queue.named('checkins.prompt.send')).toEqual([{ prompt_ids: [rows[0].id] }]);
});

test('outage longer than catch-up: older prompts become missed_by_outage and are never sent', async () => {
  const clock = new ManualClock('2026-11-24T00:00:00Z');
  const { services: s, queue } = build(clock);
  const kolkata = await team(s, 'Asia/Kolkata'); // due 11:30Z
  const berlin = await team(s, 'Europe/Berlin'); // due 16:00Z
  await member(s, kolkata.id, 'k@example.test');
  await member(s, berlin.id, 'b@example.test');
  await s.planner.tick(new Date('2026-11-24T06:00:00Z'));
  const r = await s.planner.tick(new Date('2026-11-24T18:00:00Z')); // 12 h outage, catch-up 6 h
  expect(r).toMatchObject({ prompts: 1, missedByOutage: 1 });
  expect(await promptsOf(kolkata.id)).toMatchObject([{ status: 'missed_by_outage' }]);
  expect(await promptsOf(berlin.id)).toMatchObject([{ status: 'scheduled' }]);
  expect(
    queue.named('checkins.prompt.send').flatMap((j) => (j as { prompt_ids: string[] }).prompt_ids),
  ).toHaveLength(1);
});

test('concurrency: two workers ticking the same minute create each prompt once', async () => {
  const clock = new ManualClock('2026-11-24T00:00:00Z');
  const a = build(clock);
  const b = build(clock);
  const berlin = await team(a.services, 'Europe/Berlin');
  await a.services.admin.inviteMembers(
    berlin.id,
    Array.from({ length: 50 }, (_, i) => ({
      email: `m${i}@example.test`,
      name: `M ${i}`,
      role: 'member' as const,
    })),
  );
  await a.services.planner.tick(new Date('2026-11-24T15:59:00Z'));
  const now = new Date('2026-11-24T16:00:00Z');
  const [ra, rb] = await Promise.all([a.services.planner.tick(now), b.services.planner.tick(now)]);
  expect(ra.prompts + rb.prompts).toBe(50);
  expect(await promptsOf(berlin.id)).toHaveLength(50);
  const sent = [
    ...a.queue.named('checkins.prompt.send'),
    ...b.queue.named('checkins.prompt.send'),
  ].flatMap((j) => (j as { prompt_ids: string[] }).prompt_ids);
  expect(new Set(sent).size).toBe(50);
  expect(sent).toHaveLength(50);
});

describe('prompts, replies and reminders', () => {
  test('a prompt mail carries the reply address, unsubscribe, marker, date and open goals; a reminder threads under it', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const { services: s, outbound } = build(clock);
    const tm = await team(s, 'Europe/Berlin', {
      reminder: { enabled: true, minutes_before_cutoff: 120 },
    });
    const ana = await member(s, tm.id, 'ana@example.test');
    // An open goal from an earlier day.
    await repos.entries.insertEntries(
      t.db,
      {
        teamId: tm.id,
        memberId: ana.id,
        promptId: null,
        localDate: '2026-11-20',
        inboundEmailId: null,
        source: 'api',
        at: clock.now(),
      },
      [
        {
          kind: 'goal',
          text: 'Write the migration guide',
          tags: [],
          mentions: [],
          completed: false,
        },
      ],
    );
    await s.planner.tick(new Date('2026-11-23T15:59:00Z'));
    clock.set('2026-11-23T16:00:30Z');
    await s.planner.tick(clock.now());
    const [p] = await promptsOf(tm.id);
    expect(await s.prompts.sendPrompts([p.id, p.id])).toEqual({ sent: 1, skipped: 0 });
    expect(await s.prompts.sendPrompts([p.id])).toEqual({ sent: 0, skipped: 0 });
    const [mail] = outbound.ofKind('prompt');
    expect(mail).toMatchObject({
      to: ['ana@example.test'],
      stream: 'transactional',
      kind: 'prompt',
      idempotency_key: `checkins.prompt:${p.id}`,
    });
    expect(mail!.reply_to).toMatch(/^reply\+[a-z2-7]{55}@in\.example\.test$/);
    expect(mail!.list_unsubscribe!.url).toMatch(
      /^http:\/\/postroom\.test\/preferences\/unsubscribe\?token=/,
    );
    expect(mail!.subject).toBe('What did you get done today? (Monday 23 November 2026)');
    expect(mail!.text).toContain('## Reply above this line ##');
    expect(mail!.text).toContain('[] Write the migration guide (Friday 20 November 2026)');
    // The member page link (issue 8) verifies as a link to this member's page.
    const page = /http:\/\/postroom\.test\/m\/([\w.-]+)/.exec(mail!.text!);
    expect(page).not.toBeNull();
    expect(memberLinks.verify(page![1]!, clock.now())).toEqual({ ok: true, memberId: ana.id });
    expect(mail!.html).toContain(`href="${page![0]}"`);
    const row = (await repos.prompts.getPrompt(t.db, p.id))!;
    expect(row.status).toBe('sent');
    expect(row.message_id).toMatch(/^<.+@postroom\.test>$/);
    // Reminder at 23:00 − 120 min = 21:00 Berlin = 20:00Z (before quiet hours), in the prompt's thread.
    expect(row.remind_at!.toISOString()).toBe('2026-11-23T20:00:00.000Z');
    clock.set('2026-11-23T20:00:00Z');
    const tick = await s.planner.tick(clock.now());
    expect(tick.reminders).toBe(1);
    expect(await s.prompts.sendReminders([p.id])).toEqual({ sent: 1 });
    expect(await s.prompts.sendReminders([p.id])).toEqual({ sent: 0 });
    expect(outbound.ofKind('reminder')[0]).toMatchObject({
      in_reply_to: row.message_id,
      references: [row.message_id],
      kind: 'reminder',
    });
    // The cutoff passes without a reply: missed.
    clock.set('2026-11-23T22:00:00Z');
    expect((await s.planner.tick(clock.now())).missed).toBe(1);
    // A late reply is read against the prompt and reminder mail, and the member's name.
    const sent = (await repos.prompts.getPrompt(t.db, p.id))!;
    expect(sent.outbound_message_id).not.toBeNull();
    expect(sent.reminder_message_id).not.toBeNull();
    expect(
      await s.replies.replyHints({ kind: 'prompt', promptId: p.id }, 'ana@example.test'),
    ).toEqual({
      senderNames: [ana.name],
      parentMessageIds: [sent.outbound_message_id, sent.reminder_message_id],
    });
  });

  test('a prompt the outbound engine refuses is skipped with the reason; the rest of the chunk is sent', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const { services: s, outbound } = build(clock);
    const original = outbound.sendMessage.bind(outbound);
    outbound.sendMessage = async (input) => {
      if (input.to[0] === 'bad@example.test')
        throw new ValidationError('Invalid message', { issues: [] });
      return original(input);
    };
    const tm = await team(s);
    await member(s, tm.id, 'bad@example.test');
    await member(s, tm.id, 'good@example.test');
    await s.planner.tick(new Date('2026-11-23T15:59:00Z'));
    await s.planner.tick(new Date('2026-11-23T16:00:00Z'));
    const ids = (await promptsOf(tm.id)).map((p) => p.id);
    expect(await s.prompts.sendPrompts(ids)).toEqual({ sent: 1, skipped: 0 });
    const rows = (
      await t.pool.query(
        'SELECT status, skip_reason FROM prompts WHERE team_id = $1 ORDER BY status',
        [tm.id],
      )
    ).rows;
    expect(rows).toEqual([
      { status: 'sent', skip_reason: null },
      { status: 'skipped', skip_reason: 'rejected:validation_failed' },
    ]);
  });

  test('no reminder after a reply, for an unsubscriber, or in quiet hours', async () => {
    const clock = new ManualClock('2026-11-23T10:00:00Z');
    const { services: s } = build(clock);
    const quiet = await team(s, 'Europe/Berlin', {
      cutoff_time: '23:30',
      reminder: { enabled: true, minutes_before_cutoff: 30 },
    }); // 23:00 is quiet
    const tm = await team(s, 'Europe/Berlin', { name: 'Other', prompt_time: '16:00' });
    await member(s, quiet.id, 'q@example.test');
    const a = await member(s, tm.id, 'a@example.test');
    const b = await member(s, tm.id, 'b@example.test');
    await repos.members.setUnsubscribed(t.db, b.id, 'reminder', true, clock.now());
    await s.planner.tick(new Date('2026-11-23T14:59:00Z'));
    await s.planner.tick(new Date('2026-11-23T16:00:00Z'));
    const quietPrompt = (await promptsOf(quiet.id))[0];
    expect((await repos.prompts.getPrompt(t.db, quietPrompt.id))!.remind_at).toBeNull();
    const ids = (await promptsOf(tm.id)).map((p) => p.id);
    await s.prompts.sendPrompts(ids);
    const pa = (await promptsOf(tm.id)).find((p) => p.member_id === a.id)!;
    await s.replies.handleReply({
      inboundEmailId: newId(),
      from: 'a@example.test',
      target: { kind: 'prompt', promptId: pa.id },
      text: 'Did a thing',
    });
    expect(await s.prompts.sendReminders(ids)).toEqual({ sent: 0 });
  });

  test('replies: kinds and the prompt date, even after midnight; reprocessing adds nothing; a second reply adds only new lines', async () => {
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    const { services: s } = build(clock);
    const tm = await team(s, 'America/New_York');
    const ana = await member(s, tm.id, 'ana@example.test');
    await s.planner.tick(new Date('2026-11-24T21:59:00Z'));
    await s.planner.tick(new Date('2026-11-24T22:00:00Z')); // 17:00 New York
    const [p] = await promptsOf(tm.id);
    await s.prompts.sendPrompts([p.id]);
    // 01:30 the next day in New York.
    clock.set('2026-11-25T06:30:00Z');
    const inboundEmailId = newId();
    const text =
      'Shipped the #billing export\n[] Write the docs\n! Waiting on keys from @bea\n\nOn Tue, Nov 24, 2026 at 5:00 PM Postroom <checkins@example.test> wrote:\n> ## Reply above this line ##\n> What did you get done today?';
    const r1 = await s.replies.handleReply({
      inboundEmailId,
      from: 'ana@example.test',
      target: { kind: 'prompt', promptId: p.id },
      text,
    });
    expect(r1).toMatchObject({ outcome: 'entries', localDate: '2026-11-24' });
    const again = await s.replies.handleReply({
      inboundEmailId,
      from: 'ana@example.test',
      target: { kind: 'prompt', promptId: p.id },
      text,
    });
    expect(again).toEqual({ outcome: 'duplicate' });
    const entries = await s.admin.listEntries(tm.id, { limit: 100 });
    expect(entries.map((e) => [e.kind, e.text, e.local_date])).toEqual([
      ['done', 'Shipped the #billing export', '2026-11-24'],
      ['goal', 'Write the docs', '2026-11-24'],
      ['blocker', 'Waiting on keys from @bea', '2026-11-24'],
    ]);
    expect(entries[0]!.tags).toEqual(['billing']);
    expect(entries[2]!.mentions).toEqual(['bea']);
    expect((await repos.prompts.getPrompt(t.db, p.id))!.status).toBe('answered');
    // A second reply to the same prompt: the repeated line is not duplicated.
    const r2 = await s.replies.handleReply({
      inboundEmailId: newId(),
      from: 'ana@example.test',
      target: { kind: 'prompt', promptId: p.id },
      text: 'Shipped the #billing export\nReviewed two PRs',
    });
    expect(r2).toMatchObject({ outcome: 'entries' });
    expect((await s.admin.listEntries(tm.id, { limit: 100 })).map((e) => e.text)).toHaveLength(4);
    // `[x]` completes the open goal, days later.
    clock.set('2026-11-27T15:00:00Z');
    await s.replies.handleReply({
      inboundEmailId: newId(),
      from: 'ana@example.test',
      target: { kind: 'team', teamId: tm.id },
      text: '[x] Write the docs',
    });
    const goal = (await s.admin.listEntries(tm.id, { limit: 100 })).find((e) => e.kind === 'goal')!;
    expect(goal.completed).toBe(true);
    void ana;
  });

  test('mail to the team address without a prompt is dated the sender’s current local date; strangers are ignored', async () => {
    const clock = new ManualClock('2026-11-24T23:30:00Z'); // already 25 Nov in Berlin, still 24 Nov in New York
    const { services: s } = build(clock);
    const tm = await team(s, 'Europe/Berlin');
    await s.admin.addMember(tm.id, {
      email: 'ny@example.test',
      name: 'Nia',
      role: 'member',
      time_zone: 'America/New_York',
    });
    await member(s, tm.id, 'be@example.test', 'Ben');
    const ny = await s.replies.handleReply({
      inboundEmailId: newId(),
      from: 'NY@example.test',
      target: { kind: 'team', teamId: tm.id },
      text: 'Late night fix',
    });
    const be = await s.replies.handleReply({
      inboundEmailId: newId(),
      from: 'be@example.test',
      target: { kind: 'team', teamId: tm.id },
      text: 'Early start',
    });
    expect(ny).toMatchObject({ outcome: 'entries', localDate: '2026-11-24' });
    expect(be).toMatchObject({ outcome: 'entries', localDate: '2026-11-25' });
    expect(
      await s.replies.handleReply({
        inboundEmailId: newId(),
        from: 'x@example.test',
        target: { kind: 'team', teamId: tm.id },
        text: 'hi',
      }),
    ).toEqual({
      outcome: 'ignored',
      reason: 'unknown_member',
    });
    expect(
      await s.replies.resolveMemberId({ kind: 'team', teamId: tm.id }, 'be@example.test'),
    ).not.toBeNull();
    expect(
      await s.replies.resolveMemberId({ kind: 'team', teamId: tm.id }, 'x@example.test'),
    ).toBeNull();
  });

  test('the check-in mailbox looks the prompt, member and team up once per message and answers the router', async () => {
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    const { services: s } = build(clock);
    const tm = await team(s);
    const ana = await member(s, tm.id, 'ana@example.test');
    await s.planner.tick(new Date('2026-11-24T15:59:00Z'));
    await s.planner.tick(new Date('2026-11-24T16:00:00Z'));
    const [p] = await promptsOf(tm.id);
    await s.prompts.sendPrompts([p.id]);
    const calls: Record<string, number> = {};
    const counted = <F extends (...a: never[]) => unknown>(name: string, f: F) =>
      ((...a: Parameters<F>) => {
        calls[name] = (calls[name] ?? 0) + 1;
        return f(...a);
      }) as F;
    const mailbox = createCheckinsMailbox({
      db: t.db,
      prompts: { getPrompt: counted('getPrompt', repos.prompts.getPrompt) },
      members: {
        getMember: counted('getMember', repos.members.getMember),
        findMemberByEmail: counted('findMemberByEmail', repos.members.findMemberByEmail),
      },
      teams: { getTeam: counted('getTeam', repos.teams.getTeam) },
      replies: s.replies,
    });
    const receive = async (target: MailboxTarget, from: string, text: string) => {
      const opened = await mailbox.open(target, from);
      const message = { inboundEmailId: newId(), from, reply: { text } } as RoutedInbound;
      return { opened, result: await opened.receive(message) };
    };
    const byToken = await receive({ kind: 'prompt', id: p.id }, 'ana@example.test', 'Shipped it');
    expect(byToken.opened.memberId).toBe(ana.id);
    expect(byToken.opened.hints?.senderNames).toEqual([ana.name]);
    expect(byToken.result).toEqual({
      status: 'processed',
      routedTo: { feature: 'checkins', outcome: 'entries', entries: 1, local_date: '2026-11-24' },
    });
    expect(calls).toEqual({ getPrompt: 1, getMember: 1, getTeam: 1 });
    const route = {
      id: newId(),
      name: 'standup',
      priority: 1,
      match: {},
      action: { type: 'checkins' as const, team_id: tm.id },
      enabled: true,
      isDefault: false,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    const viaRoute = await receive(
      { kind: 'route', id: route.id, route },
      'ana@example.test',
      'Reviewed it',
    );
    expect(viaRoute.result).toMatchObject({
      status: 'processed',
      routedTo: { outcome: 'entries' },
    });
    expect(calls).toEqual({ getPrompt: 1, getMember: 1, getTeam: 2, findMemberByEmail: 1 });
    const stranger = await receive(
      { kind: 'route', id: route.id, route },
      'eve@example.test',
      'hi',
    );
    expect(stranger.result).toEqual({ status: 'ignored', reason: 'unknown_sender' });
  });

  test('email commands change settings, are confirmed by mail, and pause/vacation skip prompts', async () => {
    const clock = new ManualClock('2026-11-24T10:00:00Z');
    const { services: s, outbound } = build(clock);
    const tm = await team(s);
    const ana = await member(s, tm.id, 'ana@example.test');
    const bea = await member(s, tm.id, 'bea@example.test', 'Bea');
    const cmd = (from: string, text: string) =>
      s.replies.handleReply({
        inboundEmailId: newId(),
        from,
        target: { kind: 'team', teamId: tm.id },
        text,
      });
    expect(await cmd('ana@example.test', 'pause until 2026-12-01')).toMatchObject({
      outcome: 'command',
      command: { kind: 'pause', until: '2026-12-01' },
    });
    expect(await cmd('bea@example.test', 'vacation 2026-11-24 to 2026-11-25')).toMatchObject({
      outcome: 'command',
    });
    expect(await repos.members.getMember(t.db, ana.id)).toMatchObject({
      status: 'paused',
      pause_until: '2026-12-01',
    });
    expect(await repos.members.listVacations(t.db, bea.id)).toMatchObject([
      { start_date: '2026-11-24', end_date: '2026-11-25' },
    ]);
    const confirmations = outbound.ofKind('system');
    expect(confirmations).toHaveLength(2);
    expect(confirmations[0]!.text).toContain('We will ask you again on Tuesday 1 December 2026');
    await s.planner.tick(new Date('2026-11-24T15:59:00Z'));
    await s.planner.tick(new Date('2026-11-24T16:00:00Z'));
    expect(await promptsOf(tm.id)).toHaveLength(0);
    // resume, then unsubscribe: planned again, then not at all.
    expect(await cmd('ana@example.test', 'resume')).toMatchObject({ outcome: 'command' });
    await s.planner.tick(new Date('2026-11-25T16:00:00Z'));
    expect((await promptsOf(tm.id)).map((p) => p.member_id)).toEqual([ana.id]);
    expect(await cmd('ana@example.test', 'unsubscribe')).toMatchObject({ outcome: 'command' });
    expect(await repos.members.unsubscriptions(t.db, ana.id)).toEqual(['prompt', 'reminder']);
    await s.planner.tick(new Date('2026-11-26T16:00:00Z'));
    expect((await promptsOf(tm.id)).filter((p) => p.local_date === '2026-11-26')).toHaveLength(1); // Bea, back from vacation
    // A bad command is answered, not turned into entries.
    expect(await cmd('bea@example.test', 'vacation 2026-12-20 to 2026-12-01')).toMatchObject({
      outcome: 'command',
      command: { kind: 'invalid' },
    });
    expect(outbound.ofKind('system').at(-1)!.text).toContain('Nothing was changed');
    expect(await s.admin.listEntries(tm.id, { limit: 10 })).toEqual([]);
  });
});

describe('digests', () => {
  test('built once from the previous working day, blockers first, one per team-day, empty days skipped, resend on request', async () => {
    const clock = new ManualClock('2026-11-20T10:00:00Z');
    const { services: s, queue, outbound } = build(clock);
    const tm = await team(s);
    const ana = await member(s, tm.id, 'ana@example.test', 'Ana Diaz');
    const bea = await member(s, tm.id, 'bea@example.test', 'Bea Lee');
    await member(s, tm.id, 'obs@example.test', 'Olu Observer', 'observer');
    const gone = await member(s, tm.id, 'gone@example.test', 'Gus');
    await repos.members.setUnsubscribed(t.db, gone.id, 'digest', true, clock.now());
    const base = {
      teamId: tm.id,
      promptId: null,
      localDate: '2026-11-20',
      inboundEmailId: null,
      source: 'api' as const,
      at: clock.now(),
    };
    await repos.entries.insertEntries(t.db, { ...base, memberId: ana.id }, [
      { kind: 'done', text: 'Fixed login for @bea', tags: [], mentions: ['bea'], completed: false },
      { kind: 'blocker', text: 'Need API keys', tags: [], mentions: [], completed: false },
    ]);
    await repos.entries.insertEntries(t.db, { ...base, memberId: bea.id }, [
      { kind: 'goal', text: 'Docs #docs', tags: ['docs'], mentions: [], completed: false },
    ]);
    // Friday's digest goes out on Monday 23 Nov at 08:00 Berlin (07:00Z).
    await s.planner.tick(new Date('2026-11-21T06:00:00Z'));
    await s.planner.tick(new Date('2026-11-21T12:00:00Z')); // Saturday 08:00: no digest
    await s.planner.tick(new Date('2026-11-23T06:59:00Z'));
    await s.planner.tick(new Date('2026-11-23T07:00:00Z'));
    const digests = (await t.pool.query('SELECT id, local_date, send_date, status FROM digests'))
      .rows;
    expect(digests).toMatchObject([
      { local_date: '2026-11-20', send_date: '2026-11-23', status: 'pending' },
    ]);
    expect(queue.named('checkins.digest.build')).toEqual([{ digest_id: digests[0].id }]);
    const built = await s.digests.build(digests[0].id);
    expect(built.status).toBe('sending');
    expect(built.content!.people.map((p) => [p.name, p.items.map((i) => i.kind)])).toEqual([
      ['Ana Diaz', ['blocker', 'done']],
      ['Bea Lee', ['goal']],
    ]);
    const chunks = queue.named('checkins.digest.send') as Array<{
      digest_id: string;
      round: number;
      member_ids: string[];
    }>;
    expect(chunks.flatMap((c) => c.member_ids).sort()).toHaveLength(3); // Ana, Bea, the observer; not Gus
    // An entry added after the build does not change the frozen digest.
    await repos.entries.insertEntries(t.db, { ...base, memberId: bea.id }, [
      { kind: 'done', text: 'Late addition', tags: [], mentions: [], completed: false },
    ]);
    for (const c of chunks) await s.digests.sendChunk(c.digest_id, c.round, c.member_ids);
    for (const c of chunks) await s.digests.sendChunk(c.digest_id, c.round, c.member_ids); // a retried chunk
    const mails = outbound.ofKind('digest');
    expect(mails.map((m) => m.to[0]).sort()).toEqual([
      'ana@example.test',
      'bea@example.test',
      'obs@example.test',
    ]);
    expect(
      mails.every(
        (m) =>
          m.stream === 'broadcast' && m.list_unsubscribe?.url.includes('/preferences/unsubscribe'),
      ),
    ).toBe(true);
    expect(mails.find((m) => m.to[0] === 'bea@example.test')!.html).toContain(
      '<mark><strong>@bea</strong></mark>',
    );
    expect(mails.find((m) => m.to[0] === 'ana@example.test')!.html).not.toContain('<mark>');
    expect(mails.find((m) => m.to[0] === 'ana@example.test')!.text).not.toContain('Late addition');
    expect((await repos.digests.getDigest(t.db, digests[0].id))!.status).toBe('sent');
    // The operator run is idempotent, and resends on request.
    expect((await s.digests.run(tm.id, '2026-11-20')).action).toBe('already_sent');
    expect((await s.digests.run(tm.id, '2026-11-20', { resend: true })).action).toBe('resending');
    const round2 = (queue.named('checkins.digest.send') as typeof chunks).filter(
      (c) => c.round === 2,
    );
    for (const c of round2) await s.digests.sendChunk(c.digest_id, c.round, c.member_ids);
    expect(outbound.ofKind('digest')).toHaveLength(6);
    // An empty day sends nothing.
    const empty = await s.digests.run(tm.id, '2026-11-23');
    expect(empty.action).toBe('skipped_empty');
    expect(outbound.ofKind('digest')).toHaveLength(6);
  });

  test('stats: completion rate per member and team, and streaks; skipped days do not count', async () => {
    const clock = new ManualClock('2026-11-27T18:00:00Z');
    const { services: s } = build(clock);
    const tm = await team(s);
    const ana = await member(s, tm.id, 'ana@example.test', 'Ana');
    const bea = await member(s, tm.id, 'bea@example.test', 'Bea');
    const rows: Array<[string, string, string]> = [
      [ana.id, '2026-11-23', 'answered'],
      [ana.id, '2026-11-24', 'missed'],
      [ana.id, '2026-11-25', 'answered'],
      [ana.id, '2026-11-26', 'answered'],
      [ana.id, '2026-11-27', 'sent'],
      [bea.id, '2026-11-23', 'answered'],
      [bea.id, '2026-11-24', 'skipped'],
      [bea.id, '2026-11-25', 'missed_by_outage'],
    ];
    for (const [m, d, st] of rows) {
      await t.pool.query(
        `INSERT INTO prompts (id, team_id, member_id, local_date, due_at, cutoff_at, status, created_at) VALUES ($1, $2, $3, $4, now(), now(), $5, now())`,
        [newId(), tm.id, m, d, st],
      );
    }
    const st = await s.admin.stats(tm.id, { from: '2026-11-23', to: '2026-11-27' });
    expect(st.members.find((m) => m.member_id === ana.id)).toMatchObject({
      asked: 5,
      answered: 3,
      completion_rate: 0.6,
      current_streak: 2,
      longest_streak: 2,
    });
    expect(st.members.find((m) => m.member_id === bea.id)).toMatchObject({
      asked: 1,
      answered: 1,
      completion_rate: 1,
      current_streak: 1,
    });
    expect(st.team).toEqual({ asked: 6, answered: 4, completion_rate: 0.667 });
  });
});
