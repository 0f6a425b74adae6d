import { nextRetry } from '../../src/domain/outbound/backoff.js';
import { validateCustomHeaders } from '../../src/domain/outbound/headers.js';
import { allocateSlots } from '../../src/domain/outbound/rate-limit.js';
import { MAX_RECIPIENTS, parseMailbox } from '../../src/domain/outbound/recipients.js';
import {
  classifySmtpFailure,
  mayHaveArrived,
  parseRetryAfter,
} from '../../src/domain/outbound/smtp-reply.js';
import { checkWebhookUrl, isPrivateAddress } from '../../src/lib/net/address-policy.js';
import {
  OUTBOUND_STATUSES,
  outboundMachine,
  type OutboundEvent,
} from '../../src/domain/state/outbound-message.js';

describe('outbound message state machine', () => {
  test.each<[string, OutboundEvent, string | null]>([
    ['scheduled', 'promote', 'queued'],
    ['queued', 'claim', 'sending'],
    ['sending', 'accept', 'sent'],
    ['sent', 'deliver', 'delivered'],
    ['sent', 'bounce', 'bounced'],
    ['delivered', 'complain', 'complained'],
    ['sending', 'defer', 'deferred'],
    ['deferred', 'requeue', 'queued'],
    ['sending', 'fail', 'failed'],
    ['deferred', 'expire', 'expired'],
    ['queued', 'suppress', 'suppressed'],
    ['scheduled', 'cancel', 'canceled'],
    ['failed', 'retry', 'queued'],
    ['sent', 'cancel', null],
    ['sending', 'cancel', null],
    ['queued', 'accept', null],
    ['delivered', 'claim', null],
    ['canceled', 'promote', null],
  ])('%s --%s--> %s', (from, event, to) => {
    const status = from as (typeof OUTBOUND_STATUSES)[number];
    if (to === null) expect(outboundMachine.can(status, event)).toBe(false);
    else expect(outboundMachine.transition(status, event)).toEqual(to);
  });

  test('terminal delivery states accept nothing but late provider reports', () => {
    for (const s of ['bounced', 'complained', 'canceled', 'suppressed'] as const) {
      const events: OutboundEvent[] = [
        'promote',
        'claim',
        'accept',
        'partial',
        'defer',
        'requeue',
        'cancel',
        // Issue 14: a 550 at RCPT now ends `bounced` (it ended `failed`, which could be retried),
        // so a bounced message keeps the manual retry a failed one had.
        ...(s === 'bounced' ? [] : (['retry'] as const)),
      ];
      for (const e of events) expect(outboundMachine.can(s, e)).toBe(false);
    }
  });

  test('every status is reachable and sources come from the table', () => {
    expect(outboundMachine.sources('cancel').sort()).toEqual(['deferred', 'queued', 'scheduled']);
    const reachable = new Set<string>(['scheduled', 'queued']);
    for (const from of OUTBOUND_STATUSES) {
      for (const e of [
        'promote',
        'claim',
        'accept',
        'partial',
        'defer',
        'requeue',
        'fail',
        'expire',
        'suppress',
        'cancel',
        'deliver',
        'bounce',
        'complain',
        'retry',
      ] as OutboundEvent[]) {
        if (outboundMachine.can(from, e)) reachable.add(outboundMachine.transition(from, e));
      }
    }
    expect([...reachable].sort()).toEqual([...OUTBOUND_STATUSES].sort());
  });
});

describe('SMTP reply classification', () => {
  test('4xx and network errors are transient, with "try again in N" honoured', () => {
    expect(
      classifySmtpFailure({
        responseCode: 451,
        response: '451 4.7.1 Greylisted, try again in 5 minutes',
      }),
    ).toEqual({
      kind: 'transient',
      smtpCode: 451,
      reason: '451 4.7.1 Greylisted, try again in 5 minutes',
      retryAfterSeconds: 300,
    });
    expect(
      classifySmtpFailure({ code: 'ECONNECTION', response: 'Connection closed unexpectedly' }).kind,
    ).toBe('transient');
    expect(classifySmtpFailure({ code: 'ETIMEDOUT' }).kind).toBe('transient');
    expect(classifySmtpFailure({ responseCode: 421, response: '421 Try again later' }).kind).toBe(
      'transient',
    );
  });

  test('5xx is permanent; 550/551/553 about a recipient suppress it', () => {
    const v = classifySmtpFailure({
      responseCode: 550,
      response: '550 5.1.1 User unknown',
      command: 'RCPT TO',
    });
    expect(v).toMatchObject({ kind: 'permanent', smtpCode: 550, suppressRecipient: true });
    expect(
      classifySmtpFailure({
        responseCode: 553,
        response: '553 mailbox name not allowed',
        command: 'RCPT TO',
      }),
    ).toMatchObject({ suppressRecipient: true });
    // A content rejection after DATA is not about the mailbox.
    expect(
      classifySmtpFailure({
        responseCode: 550,
        response: '550 5.7.1 Message rejected as spam',
        command: 'DATA',
      }),
    ).toMatchObject({
      kind: 'permanent',
      suppressRecipient: false,
    });
    expect(
      classifySmtpFailure({ responseCode: 552, response: '552 Message too big', command: 'DATA' }),
    ).toMatchObject({ kind: 'permanent', suppressRecipient: false });
  });

  test('a connection lost without a reply may have delivered; a refused connection did not', () => {
    const closed = { code: 'ECONNECTION', response: 'Connection closed unexpectedly' };
    expect(mayHaveArrived(closed)).toBe(true);
    expect(mayHaveArrived({ code: 'ETIMEDOUT', response: 'Timeout' })).toBe(true);
    expect(mayHaveArrived({ code: 'ESOCKET', response: 'connect ECONNREFUSED 127.0.0.1:25' })).toBe(
      false,
    );
    expect(mayHaveArrived({ responseCode: 451, code: 'EMESSAGE', response: '451 busy' })).toBe(
      false,
    );
  });

  test.each([
    ['try again in 30 seconds', 30],
    ['Please retry after 2 minutes', 120],
    ['try again later in 1h', 3600],
    ['Service busy', null],
  ])('parseRetryAfter(%s) = %s', (text, seconds) => {
    expect(parseRetryAfter(text)).toBe(seconds);
  });
});

describe('backoff with full jitter', () => {
  const policy = { baseMs: 30_000, capMs: 3_600_000, maxAttempts: 8, maxAgeMs: 86_400_000 };
  const now = new Date('2026-01-01T00:00:00Z');
  const deadline = new Date('2026-01-02T00:00:00Z');

  test('delay is random in [0, min(cap, base·2^(n-1)))', () => {
    expect(nextRetry(1, now, deadline, policy, null, () => 0.999)).toMatchObject({
      retry: true,
      delayMs: 29_970,
    });
    expect(nextRetry(3, now, deadline, policy, null, () => 0.5)).toMatchObject({
      retry: true,
      delayMs: 60_000,
    });
    expect(nextRetry(7, now, deadline, policy, null, () => 0.999)).toMatchObject({
      delayMs: 1_918_080,
    });
    expect(nextRetry(2, now, deadline, policy, null, () => 0)).toMatchObject({ delayMs: 0 });
  });

  test('the cap bounds large attempts, the server hint is a floor', () => {
    const big = { ...policy, maxAttempts: 100 };
    expect(nextRetry(30, now, deadline, big, null, () => 0.999)).toMatchObject({
      delayMs: 3_596_400,
    });
    expect(nextRetry(1, now, deadline, policy, 600, () => 0.1)).toMatchObject({ delayMs: 600_000 });
  });

  test('attempts and the deadline end retrying', () => {
    expect(nextRetry(8, now, deadline, policy)).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
    expect(nextRetry(2, now, new Date(now.getTime() + 1000), policy, 60)).toEqual({
      retry: false,
      reason: 'deadline_passed',
    });
  });
});

describe('custom headers and addresses', () => {
  test('CRLF injection, owned headers and bad names are refused', () => {
    const issues = validateCustomHeaders({
      'X-Campaign': 'spring',
      'X-Evil': 'a\r\nBcc: victim@example.com',
      'Message-ID': '<x@y>',
      From: 'ceo@example.com',
      'Bad Name': 'x',
      'Auto-Submitted': 'auto-replied',
    });
    expect(issues.map((i) => [i.header, i.code])).toEqual([
      ['X-Evil', 'header_injection'],
      ['Message-ID', 'header_reserved'],
      ['From', 'header_reserved'],
      ['Bad Name', 'header_invalid_name'],
      ['Auto-Submitted', 'header_reserved'],
    ]);
    expect(validateCustomHeaders({ 'Auto-Submitted': 'auto-replied' }, { internal: true })).toEqual(
      [],
    );
  });

  test('mailboxes parse with and without names; injection attempts do not', () => {
    expect(parseMailbox('Ann <ann@example.com>')).toEqual({
      name: 'Ann',
      address: 'ann@example.com',
    });
    expect(parseMailbox('"Ann B" <ann@example.com>')).toEqual({
      name: 'Ann B',
      address: 'ann@example.com',
    });
    expect(parseMailbox('bob@example.org')).toEqual({ name: null, address: 'bob@example.org' });
    for (const bad of [
      'bob',
      'bob@',
      'a@b',
      'x@example.com\r\nBcc: y@example.com',
      'a b@example.com',
      '<a@example.com',
      'a@example.com, b@example.com',
    ]) {
      expect(parseMailbox(bad)).toBeNull();
    }
    expect(MAX_RECIPIENTS).toBe(50);
  });
});

describe('rate-limit slots (GCRA)', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');
  test('messages are spaced by 1/rate across shared keys; past the window they are deferred', () => {
    const keys = [{ key: 'transport:smtp', rate: 10 }];
    const reqs = Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, keys }));
    const { assignments, tats } = allocateSlots(reqs, new Map(), now, 250);
    expect(assignments.map((a) => [a.at.getTime() - now.getTime(), a.inline])).toEqual([
      [0, true],
      [100, true],
      [200, true],
      [300, false],
      [300, false],
    ]);
    // Deferred messages book nothing: the next free slot is right after the last inline one.
    expect(tats.get('transport:smtp')!.getTime() - now.getTime()).toBe(300);
  });

  test('a per-domain limit only slows that domain', () => {
    const t = { key: 'transport:smtp', rate: 1000 };
    const gmail = { key: 'domain:gmail.com', rate: 2 };
    const { assignments } = allocateSlots(
      [
        { id: 'g1', keys: [t, gmail] },
        { id: 'o1', keys: [t] },
        { id: 'g2', keys: [t, gmail] },
      ],
      new Map(),
      now,
      10_000,
    );
    expect(assignments.map((a) => a.at.getTime() - now.getTime())).toEqual([0, 1, 500]);
  });
});

describe('webhook SSRF guard', () => {
  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    'localhost',
    'db.internal',
  ])('%s is private', (a) => expect(isPrivateAddress(a)).toBe(true));
  test.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', 'example.com'])('%s is public', (a) =>
    expect(isPrivateAddress(a)).toBe(false),
  );
  test('only http(s) without credentials', () => {
    expect(checkWebhookUrl('ftp://example.com/x')).toMatchObject({ ok: false });
    expect(checkWebhookUrl('https://user:pw@example.com/x')).toMatchObject({ ok: false });
    expect(checkWebhookUrl('not a url')).toMatchObject({ ok: false });
    expect(checkWebhookUrl('https://example.com/hook')).toMatchObject({ ok: true });
  });
});
