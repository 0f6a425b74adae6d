import { buildSendsChart, fillHours } from '../../src/http/dashboard/view-models/chart.js';
import {
  highlight,
  monthGrid,
  parseSearchBox,
  participation,
  shiftMonth,
} from '../../src/http/dashboard/view-models/archive.js';
import {
  parseSendAt,
  readComposeFields,
  toComposeInput,
} from '../../src/http/dashboard/view-models/compose-form.js';
import { formatAddresses } from '../../src/http/dashboard/view-models/format.js';
import { entryLine, localDate } from '../../src/http/dashboard/pages/member.js';

describe('sends-per-hour chart', () => {
  test('fills missing hours with zeros and scales bars to the busiest hour', () => {
    const start = new Date('2026-11-24T00:30:00Z');
    const filled = fillHours(
      [{ hour: new Date('2026-11-24T02:00:00Z'), sent: 8, failed: 2 }],
      start,
      4,
    );
    expect(filled.map((b) => b.sent + b.failed)).toEqual([0, 0, 10, 0]);
    const chart = buildSendsChart(filled);
    expect(chart.max).toBe(10);
    expect(chart.bars).toHaveLength(4);
    const busy = chart.bars[2]!;
    expect(busy.sentH + busy.failedH).toBeCloseTo(chart.height - 18 - 14, 0);
    expect(busy.sentH).toBeGreaterThan(busy.failedH);
    expect(busy.title).toBe('02:00 UTC: 8 sent, 2 failed');
    expect(chart.empty).toBe(false);
  });

  test('an idle day is flagged empty and draws no height', () => {
    const chart = buildSendsChart(fillHours([], new Date('2026-11-24T00:00:00Z'), 24));
    expect(chart.empty).toBe(true);
    expect(chart.bars.every((b) => b.sentH === 0 && b.failedH === 0)).toBe(true);
    expect(chart.labels[0]!.text).toBe('00h');
  });
});

describe('archive view models', () => {
  test('participation counts closed prompts and the current answered streak', () => {
    const p = participation([
      { date: '2026-11-24', status: 'sent' },
      { date: '2026-11-23', status: 'answered' },
      { date: '2026-11-20', status: 'answered' },
      { date: '2026-11-19', status: 'missed' },
      { date: '2026-11-18', status: 'answered' },
    ]);
    expect(p).toEqual({ completionRate: '75%', answered: 3, asked: 4, streak: 2 });
    expect(participation([]).completionRate).toBe('–');
  });

  test('month grid starts on Monday and pads both ends', () => {
    const g = monthGrid('2026-11', new Map([['2026-11-24', 5]]));
    expect(g.weeks[0]!.slice(0, 6).every((c) => c.date === null)).toBe(true);
    expect(g.weeks[0]![6]!.date).toBe('2026-11-01');
    expect(g.weeks.flat().find((c) => c.date === '2026-11-24')!.count).toBe(5);
    expect(g.last).toBe('2026-11-30');
    expect(g.weeks.every((w) => w.length === 7)).toBe(true);
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
  });

  test('the search box splits #tags and @mentions from free text', () => {
    expect(parseSearchBox('  #Billing deploy @ana "slow query" ')).toEqual({
      text: 'deploy "slow query"',
      tags: ['billing'],
      mentions: ['ana'],
    });
  });

  test('highlight returns plain segments, leaving escaping to the template', () => {
    expect(highlight('Fixed <b>Deploy</b> script', ['deploy'])).toEqual([
      { text: 'Fixed <b>', hit: false },
      { text: 'Deploy', hit: true },
      { text: '</b> script', hit: false },
    ]);
  });
});

describe('compose form', () => {
  const now = new Date('2026-11-24T08:00:00Z');
  const base = readComposeFields({
    to: 'a@example.com, b@example.com',
    subject: 'Hi',
    html: '<p>x</p>',
    tags: 'x, y',
  });

  test('builds a send input with lists, attachments and tags', () => {
    const r = toComposeInput(
      base,
      [{ originalname: 'a.txt', mimetype: 'text/plain', buffer: Buffer.from('hi'), size: 2 }],
      now,
    );
    expect(r.ok && r.input).toMatchObject({
      to: ['a@example.com', 'b@example.com'],
      subject: 'Hi',
      html: '<p>x</p>',
      tags: ['x', 'y'],
      attachments: [{ filename: 'a.txt', contentType: 'text/plain' }],
    });
  });

  test('reports every problem at once', () => {
    const r = toComposeInput(
      readComposeFields({ to: 'nope', when: 'schedule', send_at: '2026-11-23T10:00' }),
      [],
      now,
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      '"nope" is not an email address.',
      'Add a subject.',
      'Write an HTML or a text body.',
      'The scheduled time is in the past.',
    ]);
  });

  test('a schedule time is read as UTC', () => {
    expect(parseSendAt('2026-11-25T09:30')!.toISOString()).toBe('2026-11-25T09:30:00.000Z');
    expect(parseSendAt('tomorrow')).toBeNull();
  });

  test('template mode needs JSON object data', () => {
    const r = toComposeInput(
      readComposeFields({
        to: 'a@example.com',
        mode: 'template',
        template: 'welcome',
        data: '[1]',
      }),
      [],
      now,
    );
    expect(!r.ok && r.problems).toEqual(['Template data must be a JSON object.']);
  });
});

describe('member page', () => {
  test('entries are shown back in the same grammar', () => {
    expect(entryLine({ kind: 'goal', text: 'x', completed: true })).toBe('[x] x');
    expect(entryLine({ kind: 'blocker', text: 'y', completed: false })).toBe('! y');
    expect(localDate(new Date('2026-11-24T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-25');
    expect(localDate(new Date('2026-11-24T23:30:00Z'), 'Not/AZone')).toBe('2026-11-24');
  });
});

test('addresses print from strings and {name, address} objects', () => {
  expect(formatAddresses([{ name: 'Ana', address: 'ana@example.com' }, 'b@example.com'])).toBe(
    'Ana <ana@example.com>, b@example.com',
  );
  expect(formatAddresses(null)).toBe('');
});

test('raw headers are unfolded and stop at the body', async () => {
  const { rawHeaderRows } = await import('../../src/http/dashboard/view-models/format.js');
  const raw = Buffer.from('Subject: a\r\n long subject\r\nX-Tag: 1\r\n\r\nBody: not a header\r\n');
  expect(rawHeaderRows(raw)).toEqual([
    { name: 'Subject', value: 'a long subject' },
    { name: 'X-Tag', value: '1' },
  ]);
});
