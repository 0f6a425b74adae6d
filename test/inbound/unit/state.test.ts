import { transitionInbound, type InboundStatus } from '../../../src/domain/state/inbound-email.js';

describe('InboundEmail state machine', () => {
  test.each<[InboundStatus, Parameters<typeof transitionInbound>[1]['type'], InboundStatus | null]>(
    [
      ['received', 'start', 'processing'],
      ['failed', 'start', 'processing'],
      ['processing', 'start', 'processing'],
      ['processed', 'start', null],
      ['ignored', 'start', null],
      ['processing', 'complete', 'processed'],
      ['received', 'complete', null],
      ['processing', 'ignore', 'ignored'],
      ['processing', 'fail', 'failed'],
      ['received', 'fail', null],
      ['processed', 'reprocess', 'received'],
      ['ignored', 'reprocess', 'received'],
      ['failed', 'reprocess', 'received'],
      ['received', 'reprocess', null],
      ['processing', 'reprocess', null],
    ],
  )('%s --%s--> %s', (from, type, to) => {
    const event =
      type === 'ignore'
        ? { type, reason: 'empty' as const }
        : type === 'fail'
          ? { type, error: 'x' }
          : { type };
    const r = transitionInbound(from, event as Parameters<typeof transitionInbound>[1]);
    expect(r.ok ? r.to : null).toBe(to);
  });
});
