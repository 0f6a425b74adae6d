/**
 * SMTP faults over the wire, and the rate limit measured from the sink's receive timestamps.
 */
import { startOutboundApp, type OutboundTestApp } from './support/outbound-app.js';

describe('SMTP faults', () => {
  let t: OutboundTestApp;
  beforeAll(async () => {
    t = await startOutboundApp({ env: { OUTBOUND_MAX_ATTEMPTS: '4' } });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.sink.clear());

  test('451 then 250: deferred, then sent on attempt 2', async () => {
    t.sink.failNext(451, '4.7.1 Greylisted, try again later', 1, 'data');
    const res = await t.api('POST', '/v1/messages', {
      to: ['grey@example.org'],
      subject: 'g',
      text: 'x',
    });
    const msg = await t.waitForStatus(res.body.id, ['sent']);
    expect(msg.attempts).toBe(2);
    const path = msg.events.map((e: { to: string }) => e.to);
    expect(path).toEqual(['queued', 'sending', 'deferred', 'queued', 'sending', 'sent']);
    const deferred = msg.events.find((e: { to: string }) => e.to === 'deferred');
    expect(deferred).toMatchObject({ smtp_code: 451, attempt: 1 });
    expect(t.sink.messages).toHaveLength(1);
  });

  test('550 for the recipient: bounced at once, as for a provider bounce, and the address is suppressed', async () => {
    t.sink.rejectRecipients(/^gone@/, 550, '5.1.1 No such user');
    const res = await t.api('POST', '/v1/messages', {
      to: ['gone@example.org'],
      subject: 'x',
      text: 'x',
    });
    // One state for "the receiving side refused it", whether at RCPT or in a provider's report.
    const msg = await t.waitForStatus(res.body.id, ['bounced']);
    expect(msg.attempts).toBe(1);
    expect(msg.last_smtp_code).toBe(550);
    const s = await t.api('GET', '/v1/suppressions?address=gone@example.org');
    expect(s.body.data).toMatchObject([
      {
        address: 'gone@example.org',
        reason: 'bounce',
        scope: 'all',
        source_message_id: res.body.id,
      },
    ]);
    // The next message to that address never gets to the wire.
    const again = await t.api('POST', '/v1/messages', {
      to: ['gone@example.org'],
      subject: 'x',
      text: 'x',
    });
    expect(again.body.status).toBe('suppressed');
    // A failed message can be retried by hand: a new attempt series (still refused here).
    const retry = await t.api('POST', `/v1/messages/${res.body.id}/retry`);
    expect(retry.status).toBe(202);
    const after = await t.waitForStatus(res.body.id, ['bounced', 'suppressed']);
    expect(after.status).toBe('suppressed');
  });

  test('a connection dropped in the middle of DATA: deferred, then sent', async () => {
    t.sink.dropNext('data', 1);
    const res = await t.api('POST', '/v1/messages', {
      to: ['drop@example.org'],
      subject: 'd',
      text: 'x'.repeat(5000),
    });
    const msg = await t.waitForStatus(res.body.id, ['sent']);
    const deferred = msg.events.filter((e: { to: string }) => e.to === 'deferred');
    expect(deferred).toHaveLength(1);
    expect(deferred[0].smtp_code).toBeNull();
    expect(msg.attempts).toBe(2);
    expect(t.sink.messages).toHaveLength(1);
  });

  test('a connection lost after the server took the message: the retry is flagged possibly_duplicate', async () => {
    t.sink.dropAfterData(1);
    const res = await t.api('POST', '/v1/messages', {
      to: ['ambiguous@example.org'],
      subject: 'a',
      text: 'x',
    });
    const msg = await t.waitForStatus(res.body.id, ['sent']);
    expect(msg.possibly_duplicate).toBe(true);
    expect(msg.attempts).toBe(2);
    // The server had it the first time: it arrived twice, and the copy says so.
    expect(t.sink.messages.map((m) => m.to)).toEqual([
      ['ambiguous@example.org'],
      ['ambiguous@example.org'],
    ]);
  });

  test('retries end: failed after the last attempt, expired past the deadline; resend-failed requeues exactly those', async () => {
    const batch = await t.services.sendBatch({
      messages: [
        { to: ['ok1@example.org'], subject: 'ok', text: 'x' },
        { to: ['busy@example.org'], subject: 'busy', text: 'x' },
      ],
    });
    t.sink.rejectRecipients(/^busy@/, 450, '4.2.1 Mailbox busy');
    const busyId = batch.accepted[1]!.id;
    const failed = await t.waitForStatus(busyId, ['failed'], 20000);
    expect(failed.attempts).toBe(4);
    expect(failed.last_error).toMatch(/attempts exhausted/);
    await t.waitForStatus(batch.accepted[0]!.id, ['sent']);
    const list = await t.api(
      'GET',
      `/v1/messages?batch_id=${batch.batch_id}&status=failed,expired`,
    );
    expect(list.body.data.map((m: { id: string }) => m.id)).toEqual([busyId]);
    t.sink.clear();
    const resend = await t.api('POST', `/v1/batches/${batch.batch_id}/resend-failed`);
    expect(resend.body.requeued).toEqual([busyId]);
    const again = await t.waitForStatus(busyId, ['sent']);
    expect(again.attempts).toBe(1);
    expect(t.sink.messages.map((m) => m.to[0])).toEqual(['busy@example.org']);

    // A message whose retry deadline passes while it waits ends `expired`.
    t.sink.rejectRecipients(/^late@/, 451, '4.3.2 Try again in 1 hour');
    const late = await t.api('POST', '/v1/messages', {
      to: ['late@example.org'],
      subject: 'late',
      text: 'x',
    });
    const deferred = await t.waitForStatus(late.body.id, ['deferred', 'expired']);
    // The server's "try again in 1 hour" is honoured (a floor under the jittered backoff).
    expect(new Date(deferred.next_attempt_at).getTime() - Date.now()).toBeGreaterThan(3500_000);
    await t.app.container.pool.query(
      `UPDATE outbound_messages SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [late.body.id],
    );
    expect((await t.services.sweep.sweep()).expired).toBe(1);
    expect((await t.api('GET', `/v1/messages/${late.body.id}`)).body.status).toBe('expired');
  });
});

describe('rate limits', () => {
  test('transport msgs/s and a per-domain limit hold at the sink; nothing is dropped', async () => {
    const t = await startOutboundApp({
      env: {
        OUTBOUND_RATE_PER_SECOND: '20',
        OUTBOUND_DOMAIN_RATES: 'slow.example=4',
        OUTBOUND_LEASE_SECONDS: '4',
      },
    });
    try {
      const fast = Array.from({ length: 24 }, (_, i) => ({
        to: [`f${i}@fast.example`],
        subject: `f${i}`,
        text: 'x',
      }));
      const slow = Array.from({ length: 6 }, (_, i) => ({
        to: [`s${i}@slow.example`],
        subject: `s${i}`,
        text: 'x',
      }));
      const res = await t.api('POST', '/v1/messages/batch', { messages: [...fast, ...slow] });
      expect(res.body.accepted).toHaveLength(30);
      const received = await t.sink.waitFor(30, 20000);
      expect(new Set(received.map((m) => m.to[0])).size).toBe(30);
      const maxInWindow = (times: number[], windowMs: number) => {
        const sorted = [...times].sort((a, b) => a - b);
        let max = 0;
        for (let i = 0, j = 0; i < sorted.length; i++) {
          while (sorted[i]! - sorted[j]! >= windowMs) j++;
          max = Math.max(max, i - j + 1);
        }
        return max;
      };
      const all = received.map((m) => m.receivedAt);
      const slowTimes = received
        .filter((m) => m.to[0]!.endsWith('@slow.example'))
        .map((m) => m.receivedAt);
      // GCRA spaces sends by 1/rate; allow one extra for network jitter at a window edge.
      expect(maxInWindow(all, 1000)).toBeLessThanOrEqual(21);
      expect(maxInWindow(slowTimes, 1000)).toBeLessThanOrEqual(5);
      expect(Math.max(...all) - Math.min(...all)).toBeGreaterThanOrEqual(1000);
      expect(Math.max(...slowTimes) - Math.min(...slowTimes)).toBeGreaterThanOrEqual(1000);
    } finally {
      await t.stop();
    }
  });
});
