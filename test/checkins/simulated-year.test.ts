/**
 * A simulated 2026: an injected clock drives the real planner SQL through a year in 40 zones.
 * The tick runs once a day (the test widens catch-up to 26 h so a coarse step loses nothing)
 * and minute by minute around every DST transition of every zone, from 5 minutes before to 5
 * after (from 65 minutes before a fall-back in the zones whose members are asked at night every
 * day of the week), so a nonexistent or repeated prompt time is planned as production plans it.
 */
import { IANAZone } from 'luxon';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { createPlannerService } from '../../src/services/checkins/planner.js';
import { localInstant, localTimeAt, addDays } from '../../src/domain/schedule/local-time.js';
import {
  isWorkingDay,
  previousWorkingDay,
  skipReason,
  type Holiday,
} from '../../src/domain/schedule/skip-rules.js';
import { newId } from '../../src/lib/ids.js';
import { RecordingQueue, testSettings } from './support.js';
import { repositories as repos } from '../../src/storage/index.js';
import { ZONES } from './zones.js';

/** Members asked at night, in teams that work every day, so the DST nights are working days. */
const NIGHT: Record<string, Array<{ time: string }>> = {
  'America/New_York': [{ time: '02:30' }, { time: '01:30' }],
  'Europe/London': [{ time: '01:30' }, { time: '00:59' }],
  'Australia/Lord_Howe': [{ time: '02:15' }, { time: '01:45' }],
  'Pacific/Chatham': [{ time: '03:00' }, { time: '02:45' }],
  'Australia/Adelaide': [{ time: '02:30' }],
};
const EXTRA: Record<string, Array<Partial<SimMember>>> = {
  'America/New_York': [{ role: 'observer' }],
  'Europe/Berlin': [
    { vacations: [{ start: '2026-07-06', end: '2026-07-10' }] },
    { paused: true, pauseUntil: '2026-03-02' },
    { paused: true, pauseUntil: null },
    { unsubscribed: true },
    { zone: 'Asia/Kolkata' },
  ],
};
const CATCH_UP_H = 26;

const START = Date.parse('2025-12-31T12:00:00Z');
const END = Date.parse('2027-01-01T12:00:00Z');
const MIN = 60_000;
const HOUR = 3_600_000;

interface SimMember {
  id: string;
  teamId: string;
  zone: string;
  time: string;
  role: 'member' | 'observer';
  vacations: Array<{ start: string; end: string }>;
  paused: boolean;
  pauseUntil: string | null;
  unsubscribed: boolean;
}
interface SimTeam {
  id: string;
  zone: string;
  weekdays: number[];
  holidays: Holiday[];
}

function transitions(zone: string): number[] {
  const z = IANAZone.create(zone);
  const out: number[] = [];
  for (let t = START; t < END; t += HOUR) {
    if (z.offset(t) !== z.offset(t + HOUR)) {
      let lo = t;
      let hi = t + HOUR;
      while (hi - lo > MIN) {
        const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
        if (z.offset(mid) === z.offset(t)) lo = mid;
        else hi = mid;
      }
      out.push(hi);
    }
  }
  return out;
}

describe('a simulated year of ticks', () => {
  let t: TestDatabase;
  const teams: SimTeam[] = [];
  const members: SimMember[] = [];
  const created = new Date('2025-12-01T00:00:00Z');
  const minuteWindows: Array<[number, number]> = [];

  async function addTeam(
    zone: string,
    weekdays: number[],
    specs: Array<Omit<Partial<SimMember>, 'time'> & { time?: string | null }>,
  ) {
    const id = newId();
    const holidays: Holiday[] =
      zone === 'Europe/Berlin' && weekdays.length === 5
        ? [
            { date: '2025-12-25', yearly: true },
            { date: '2026-05-01', yearly: false },
          ]
        : [];
    await repos.teams.createTeam(
      t.db,
      {
        id,
        name: zone,
        time_zone: zone,
        prompt_time: '17:00',
        digest_time: '08:00',
        weekdays,
        question: 'What did you get done today?',
        reminder_enabled: true,
        reminder_minutes_before_cutoff: 60,
        cutoff_time: '23:00',
      },
      created,
    );
    for (const h of holidays)
      await repos.teams.addHoliday(
        t.db,
        { id: newId(), team_id: id, date: h.date, name: 'h', yearly: h.yearly },
        created,
      );
    teams.push({ id, zone, weekdays, holidays });
    for (const spec of specs) {
      const sm: SimMember = {
        id: newId(),
        teamId: id,
        zone: spec.zone ?? zone,
        time: spec.time ?? '17:00',
        role: spec.role ?? 'member',
        vacations: spec.vacations ?? [],
        paused: spec.paused ?? false,
        pauseUntil: spec.pauseUntil ?? null,
        unsubscribed: spec.unsubscribed ?? false,
      };
      members.push(sm);
      await repos.members.createMembers(
        t.db,
        [
          {
            id: sm.id,
            team_id: id,
            email: `${sm.id}@example.test`,
            name: 'M',
            role: sm.role,
            time_zone: spec.zone ?? null,
            prompt_time: spec.time ?? null,
          },
        ],
        created,
      );
      if (sm.paused)
        await repos.members.updateMember(
          t.db,
          sm.id,
          { status: 'paused', pause_until: sm.pauseUntil },
          created,
        );
      for (const v of sm.vacations)
        await repos.members.addVacation(
          t.db,
          { id: newId(), member_id: sm.id, start_date: v.start, end_date: v.end },
          created,
        );
      if (sm.unsubscribed)
        await repos.members.setUnsubscribed(t.db, sm.id, 'prompt', true, created);
    }
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    for (const zone of ZONES) {
      await addTeam(zone, zone === 'Asia/Jerusalem' ? [7, 1, 2, 3, 4] : [1, 2, 3, 4, 5], [
        { time: null },
        ...(EXTRA[zone] ?? []),
      ]);
      if (NIGHT[zone]) await addTeam(zone, [1, 2, 3, 4, 5, 6, 7], NIGHT[zone]!);
      for (const tr of transitions(zone)) {
        // Falling back repeats up to an hour before the transition instant: start before it.
        const fallBack = IANAZone.create(zone).offset(tr) < IANAZone.create(zone).offset(tr - MIN);
        const before = NIGHT[zone] && fallBack ? 65 : 5;
        minuteWindows.push([tr - before * MIN, tr + 5 * MIN]);
      }
    }
  });

  afterAll(async () => {
    await t.close();
  });

  test('plans exactly the working days, at the right local minute, and one digest per team-day', async () => {
    const queue = new RecordingQueue();
    const planner = createPlannerService({
      db: t.db,
      checkInTicks: repos.checkInTicks,
      queue,
      settings: testSettings({ catchUpHours: CATCH_UP_H }),
    });
    const ticks = new Set<number>();
    for (let x = START; x <= END; x += 24 * HOUR) ticks.add(x);
    ticks.add(END);
    for (const [a, b] of minuteWindows) for (let x = a; x <= b; x += MIN) ticks.add(x);
    const sorted = [...ticks].sort((a, b) => a - b);
    for (const x of sorted) {
      await planner.tick(new Date(x));
    }
    // Every DST transition of 2026 in these zones got its minutely window (both hemispheres, both directions).
    expect(minuteWindows.length).toBeGreaterThanOrEqual(40);
    expect(sorted.length).toBeGreaterThan(366 + 40 * 10);

    const rows = (
      await t.pool.query<{
        member_id: string;
        local_date: string;
        due_at: Date;
        created_at: Date;
        status: string;
      }>(
        'SELECT member_id, local_date, due_at, created_at, status FROM prompts ORDER BY member_id, local_date',
      )
    ).rows;
    const byMember = new Map<string, typeof rows>();
    for (const r of rows) byMember.set(r.member_id, [...(byMember.get(r.member_id) ?? []), r]);
    expect(rows.every((r) => r.status === 'scheduled')).toBe(true);

    let checkedDays = 0;
    for (const m of members) {
      const team = teams.find((x) => x.id === m.teamId)!;
      const expected: string[] = [];
      if (m.role === 'member' && !m.unsubscribed) {
        for (let d = '2025-12-30'; d <= '2027-01-02'; d = addDays(d, 1)) {
          const due = localInstant(d, m.time, m.zone).getTime();
          if (due <= START - CATCH_UP_H * HOUR || due > END) continue;
          if (
            skipReason(d, {
              weekdays: team.weekdays,
              holidays: team.holidays,
              vacations: m.vacations,
              paused: m.paused,
              pauseUntil: m.pauseUntil,
            }) === null
          )
            expected.push(d);
        }
      }
      const got = (byMember.get(m.id) ?? []).map((r) => r.local_date);
      expect({ member: `${m.zone} ${m.time}`, dates: got }).toEqual({
        member: `${m.zone} ${m.time}`,
        dates: expected,
      });
      for (const r of byMember.get(m.id) ?? []) {
        expect(r.due_at.toISOString()).toBe(
          localInstant(r.local_date, m.time, m.zone).toISOString(),
        );
        // Planned by the first tick at or after the due instant.
        const firstTick = sorted.find((x) => x >= r.due_at.getTime())!;
        expect(r.created_at.getTime()).toBe(firstTick);
        checkedDays++;
      }
    }
    expect(checkedDays).toBeGreaterThan(10_000);

    const at = (zone: string, time: string, date: string) => {
      const m = members.find((x) => x.zone === zone && x.time === time)!;
      return byMember.get(m.id)!.filter((r) => r.local_date === date);
    };
    const local = (r: { due_at: Date }, zone: string) => localTimeAt(r.due_at, zone);
    // Spring forward: the time does not exist, so the prompt comes at the next valid minute.
    expect(
      at('America/New_York', '02:30', '2026-03-08').map((r) => local(r, 'America/New_York')),
    ).toEqual(['03:00']);
    expect(
      at('Australia/Lord_Howe', '02:15', '2026-10-04').map((r) => local(r, 'Australia/Lord_Howe')),
    ).toEqual(['02:30']);
    expect(
      at('Pacific/Chatham', '03:00', '2026-09-27').map((r) => local(r, 'Pacific/Chatham')),
    ).toEqual(['03:45']);
    expect(
      at('Australia/Adelaide', '02:30', '2026-10-04').map((r) => local(r, 'Australia/Adelaide')),
    ).toEqual(['03:00']);
    // Fall back: the time happens twice; exactly one prompt, at the first occurrence.
    expect(
      at('America/New_York', '01:30', '2026-11-01').map((r) => r.due_at.toISOString()),
    ).toEqual(['2026-11-01T05:30:00.000Z']);
    expect(at('Europe/London', '01:30', '2026-10-25').map((r) => r.due_at.toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
    ]);
    expect(
      at('Australia/Lord_Howe', '01:45', '2026-04-05').map((r) => r.due_at.toISOString()),
    ).toEqual(['2026-04-04T14:45:00.000Z']);
    expect(at('Pacific/Chatham', '03:00', '2026-04-05')).toHaveLength(1);
    // ... and those nights were planned by the minutely ticks, within a minute of the due time.
    for (const r of [
      ...at('America/New_York', '02:30', '2026-03-08'),
      ...at('Europe/London', '01:30', '2026-10-25'),
    ]) {
      expect(r.created_at.getTime() - r.due_at.getTime()).toBeLessThan(MIN);
    }
    // Weekends and holidays
    const berlin = members.find(
      (x) =>
        x.zone === 'Europe/Berlin' &&
        x.time === '17:00' &&
        !x.paused &&
        !x.unsubscribed &&
        x.vacations.length === 0,
    )!;
    const berlinDates = new Set(byMember.get(berlin.id)!.map((r) => r.local_date));
    expect(berlinDates.has('2026-12-25')).toBe(false); // yearly holiday from 2025
    expect(berlinDates.has('2026-05-01')).toBe(false);
    expect(berlinDates.has('2026-11-28')).toBe(false); // Saturday
    expect(berlinDates.has('2026-11-27')).toBe(true);
    // 2026 has 261 weekdays; 25 Dec and 1 May fall on weekdays.
    expect([...berlinDates].filter((d) => d.startsWith('2026-'))).toHaveLength(259);
    const vac = members.find((x) => x.vacations.length > 0)!;
    expect(
      byMember
        .get(vac.id)!
        .some((r) => r.local_date >= '2026-07-06' && r.local_date <= '2026-07-10'),
    ).toBe(false);
    const paused = members.find((x) => x.paused && x.pauseUntil)!;
    expect(byMember.get(paused.id)![0]!.local_date).toBe('2026-03-02');
    expect(byMember.get(members.find((x) => x.paused && !x.pauseUntil)!.id)).toBeUndefined();
    const jerusalem = members.find((x) => x.zone === 'Asia/Jerusalem')!;
    expect(byMember.get(jerusalem.id)!.some((r) => r.local_date === '2026-11-29')).toBe(true); // a Sunday

    // Digests: one per team per reported working day, none twice.
    const digests = (
      await t.pool.query<{ team_id: string; local_date: string; send_date: string; due_at: Date }>(
        'SELECT team_id, local_date, send_date, due_at FROM digests',
      )
    ).rows;
    for (const team of teams) {
      const expectedDigests: string[] = [];
      for (let s = '2025-12-30'; s <= '2027-01-02'; s = addDays(s, 1)) {
        const due = localInstant(s, '08:00', team.zone).getTime();
        if (due <= START - CATCH_UP_H * HOUR || due > END || !isWorkingDay(s, team)) continue;
        expectedDigests.push(previousWorkingDay(s, team)!);
      }
      const got = digests
        .filter((d) => d.team_id === team.id)
        .map((d) => d.local_date)
        .sort();
      expect({ zone: team.zone, got }).toEqual({ zone: team.zone, got: expectedDigests.sort() });
    }
    expect(queue.named('checkins.digest.build')).toHaveLength(digests.length);
    expect(
      new Set(
        queue
          .named('checkins.prompt.send')
          .flatMap((j) => (j as { prompt_ids: string[] }).prompt_ids),
      ).size,
    ).toBe(rows.length);
  }, 120_000);
});
