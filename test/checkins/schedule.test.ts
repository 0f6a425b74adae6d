import { localDateAt, localInstant, localTimeAt } from '../../src/domain/schedule/local-time.js';
import {
  isWorkingDay,
  previousWorkingDay,
  skipReason,
} from '../../src/domain/schedule/skip-rules.js';
import { classifyDue, tickWindow } from '../../src/domain/schedule/catch-up.js';
import { inQuietHours, slotsInWindow } from '../../src/domain/schedule/slots.js';

describe('localInstant', () => {
  test.each([
    // zone, date, time, expected UTC instant
    ['Europe/Berlin', '2026-06-01', '17:00', '2026-06-01T15:00:00.000Z'],
    ['Asia/Kolkata', '2026-06-01', '17:00', '2026-06-01T11:30:00.000Z'],
    ['Asia/Kathmandu', '2026-06-01', '17:00', '2026-06-01T11:15:00.000Z'],
    ['Pacific/Chatham', '2026-01-05', '17:00', '2026-01-05T03:15:00.000Z'],
    ['America/St_Johns', '2026-01-05', '17:00', '2026-01-05T20:30:00.000Z'],
    // spring forward: 02:30 does not exist, the next valid minute is 03:00 EDT
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z'],
    ['America/New_York', '2026-03-08', '02:00', '2026-03-08T07:00:00.000Z'],
    ['America/New_York', '2026-03-08', '03:00', '2026-03-08T07:00:00.000Z'],
    // fall back: 01:30 exists twice, the first (EDT) is used
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'],
    ['Europe/London', '2026-03-29', '01:15', '2026-03-29T01:00:00.000Z'],
    ['Europe/London', '2026-10-25', '01:15', '2026-10-25T00:15:00.000Z'],
    // Lord Howe: 30-minute DST; 02:00→02:30 on 2026-10-04, 02:00→01:30 on 2026-04-05
    ['Australia/Lord_Howe', '2026-10-04', '02:10', '2026-10-03T15:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00.000Z'],
    // southern hemisphere: Adelaide forward on 2026-10-04 02:00 → 03:00 (+10:30)
    ['Australia/Adelaide', '2026-10-04', '02:30', '2026-10-03T16:30:00.000Z'],
  ])('%s %s %s', (zone, date, time, expected) => {
    expect(localInstant(date, time, zone).toISOString()).toBe(expected);
  });

  test('the instant reads back as the same local date', () => {
    const t = localInstant('2026-03-08', '02:30', 'America/New_York');
    expect(localDateAt(t, 'America/New_York')).toBe('2026-03-08');
    expect(localTimeAt(t, 'America/New_York')).toBe('03:00');
  });

  test('rejects an unknown zone', () => {
    expect(() => localInstant('2026-01-01', '17:00', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('skip rules', () => {
  const base = {
    weekdays: [1, 2, 3, 4, 5],
    holidays: [
      { date: '2025-12-25', yearly: true },
      { date: '2026-05-01', yearly: false },
    ],
    vacations: [{ start: '2026-07-06', end: '2026-07-10' }],
    paused: false,
    pauseUntil: null,
  };
  test.each([
    ['2026-11-28', 'weekend'],
    ['2026-12-25', 'holiday'],
    ['2026-05-01', 'holiday'],
    ['2027-05-03', null],
    ['2026-07-08', 'vacation'],
    ['2026-07-13', null],
  ])('%s → %s', (date, reason) => {
    expect(skipReason(date, base)).toBe(reason);
  });
  test('pause until is exclusive, pause without end is open', () => {
    expect(skipReason('2026-11-30', { ...base, paused: true, pauseUntil: '2026-12-01' })).toBe(
      'paused',
    );
    expect(
      skipReason('2026-12-01', { ...base, paused: true, pauseUntil: '2026-12-01' }),
    ).toBeNull();
    expect(skipReason('2030-12-02', { ...base, paused: true, pauseUntil: null })).toBe('paused');
  });
  test('previous working day skips weekends and holidays', () => {
    expect(previousWorkingDay('2026-11-30', base)).toBe('2026-11-27');
    expect(previousWorkingDay('2026-12-28', base)).toBe('2026-12-24');
    expect(isWorkingDay('2026-12-24', base)).toBe(true);
  });
});

describe('tick window and slots', () => {
  const now = new Date('2026-06-01T20:00:00Z');
  test('first tick: only the catch-up window, nothing missed', () => {
    const w = tickWindow({ now, watermark: null, catchUpHours: 6, maxLookbackHours: 48 });
    expect(classifyDue(new Date('2026-06-01T15:00:00Z'), w)).toBe('send');
    expect(classifyDue(new Date('2026-06-01T13:00:00Z'), w)).toBeNull();
  });
  test('after an outage older instants are missed_by_outage', () => {
    const w = tickWindow({
      now,
      watermark: new Date('2026-06-01T10:00:00Z'),
      catchUpHours: 6,
      maxLookbackHours: 48,
    });
    expect(classifyDue(new Date('2026-06-01T13:00:00Z'), w)).toBe('missed_by_outage');
    expect(classifyDue(new Date('2026-06-01T14:00:00Z'), w)).toBe('send');
    expect(classifyDue(new Date('2026-06-01T09:00:00Z'), w)).toBeNull();
  });
  test('slots carry cutoff and a reminder outside quiet hours', () => {
    const w = tickWindow({
      now: new Date('2026-06-01T15:00:00Z'),
      watermark: new Date('2026-06-01T14:59:00Z'),
      catchUpHours: 6,
      maxLookbackHours: 48,
    });
    const [s, ...rest] = slotsInWindow(
      [
        { zone: 'Europe/Berlin', promptTime: '17:00', cutoffTime: '23:00', reminderMinutes: 120 },
        { zone: 'Europe/Berlin', promptTime: '17:00', cutoffTime: '23:00', reminderMinutes: 30 },
      ],
      w,
      { start: '22:00', end: '08:00' },
    );
    expect(s).toMatchObject({ localDate: '2026-06-01', status: 'scheduled' });
    expect(s!.cutoffAt.toISOString()).toBe('2026-06-01T21:00:00.000Z');
    expect(s!.remindAt!.toISOString()).toBe('2026-06-01T19:00:00.000Z');
    expect(rest[0]!.remindAt).toBeNull(); // 22:30 is quiet
  });
  test('quiet hours wrap midnight', () => {
    expect(inQuietHours('23:30', { start: '22:00', end: '07:00' })).toBe(true);
    expect(inQuietHours('06:59', { start: '22:00', end: '07:00' })).toBe(true);
    expect(inQuietHours('07:00', { start: '22:00', end: '07:00' })).toBe(false);
  });
});
