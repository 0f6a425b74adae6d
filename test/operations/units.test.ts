/** The pure parts of operating Postroom: redaction, linked objects, errors, labels, durations. */
import { jobError, linkedRefs, redactSecrets } from '../../src/domain/operations/job-payload.js';
import { decodeCursor, duration, encodeCursor } from '../../src/http/dashboard/view-models/jobs.js';
import { labelValue, statusClass } from '../../src/main/metrics/prometheus.js';
import { TransportError } from '../../src/outbound/composed-message.js';
import { replyClass } from '../../src/services/outbound/instrumented.js';
import { headerRecipients } from '../../src/main/commands/replay.js';

const id = '0190f5a2-1111-7000-8000-000000000001';

test('redactSecrets hides secret-looking keys and URL parameters, at any depth', () => {
  expect(
    redactSecrets({
      deliveryId: id,
      secret: 'x',
      nested: [{ apiKey: 'k', Authorization: 'Bearer y', note: 'kept' }],
      url: 'https://h/?a=1&token=abc&sig=zz#f',
    }),
  ).toEqual({
    deliveryId: id,
    secret: '[redacted]',
    nested: [{ apiKey: '[redacted]', Authorization: '[redacted]', note: 'kept' }],
    url: 'https://h/?a=1&token=[redacted]&sig=[redacted]#f',
  });
});

test('linkedRefs names the objects a payload is about', () => {
  expect(linkedRefs({ ids: [id, 'nope'] })).toEqual([{ kind: 'message', id }]);
  expect(linkedRefs({ inboundEmailId: id })).toEqual([{ kind: 'inbound_email', id }]);
  expect(linkedRefs({ prompt_ids: [id] })).toEqual([{ kind: 'prompt', id }]);
  expect(linkedRefs({ digest_id: id, round: 1, member_ids: [id] })).toEqual([
    { kind: 'digest', id },
  ]);
  expect(linkedRefs({ ids: Array(30).fill(id) })).toHaveLength(20);
  expect(linkedRefs(null)).toEqual([]);
});

test('jobError keeps the message and the first lines of the stack', () => {
  const stack = ['Error: boom', ...Array.from({ length: 9 }, (_, i) => `    at f${i} (x.ts:${i})`)];
  expect(jobError({ error: 'boom', stack: stack.join('\n') })).toEqual({
    message: 'boom',
    stack: stack.slice(0, 6),
  });
  expect(jobError({ message: 'expired' })).toEqual({ message: 'expired', stack: [] });
  expect(jobError({ status: 'processed' })).toBeNull();
});

test('label values stay short and tame; status classes', () => {
  expect(labelValue('rejected:invalid_recipient')).toBe('rejected');
  expect(labelValue('Quote Header')).toBe('quote_header');
  expect(labelValue(null)).toBe('none');
  expect(labelValue('x'.repeat(100))).toHaveLength(48);
  expect([statusClass(204), statusClass(503), statusClass(99)]).toEqual(['2xx', '5xx', 'other']);
});

test('SMTP reply classes: by the server code, else timeout or connection', () => {
  expect(replyClass(new TransportError('x', { responseCode: 421 }))).toBe('4xx');
  expect(replyClass(new TransportError('x', { responseCode: 550 }))).toBe('5xx');
  expect(replyClass(new TransportError('Timeout', { code: 'ETIMEDOUT' }))).toBe('timeout');
  expect(replyClass(new TransportError('refused', { code: 'ECONNECTION' }))).toBe('connection');
  expect(replyClass(new Error('socket hang up'))).toBe('connection');
});

test('durations and job cursors for the pages', () => {
  expect([duration(null), duration(5), duration(125), duration(3_720), duration(90_000)]).toEqual([
    '–',
    '5 s',
    '2 min',
    '1 h 2 min',
    '1 d 1 h',
  ]);
  const c = { createdOn: '2026-11-24T08:00:00.123456Z', id };
  expect(decodeCursor(encodeCursor(c))).toEqual(c);
  expect(decodeCursor('2026-11-24~nope')).toBeNull();
  // Cursors PostgreSQL would refuse read as none (the first page), never as a 500.
  expect(decodeCursor(`2026-13-40T25:61:61Z~${c.id}`)).toBeNull();
  expect(decodeCursor(`2026-02-30T10:00:00Z~${c.id}`)).toBeNull();
  expect(decodeCursor(`${c.createdOn}~${'-'.repeat(36)}`)).toBeNull();
});

test("replay's default recipients are the file's To and Cc", () => {
  const raw = Buffer.from(
    'From: a@x.org\r\nTo: "Team" <t@in.example>,\r\n b@y.org\r\nCc: c@z.org\r\nSubject: s\r\n\r\nTo: d@nope.org\r\n',
  );
  expect(headerRecipients(raw)).toEqual(['t@in.example', 'b@y.org', 'c@z.org']);
});
