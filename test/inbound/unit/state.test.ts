import {
  inboundMachine,
  type InboundEvent,
  type InboundStatus,
} from '../../../src/domain/state/inbound-email.js';

describe('InboundEmail state machine', () => {
  test.each<[InboundStatus, InboundEvent, InboundStatus | null]>([
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
  ])('%s --%s--> %s', (from, event, to) => {
    const next = inboundMachine.can(from, event) ? inboundMachine.transition(from, event) : null;
    expect(next).toBe(to);
  });
});
