/**
 * Every lifecycle, tested as data: each machine's allowed transitions are written out here as
 * the specification, and every (status, event) pair not listed must be refused.
 */
import {
  messageVerdict,
  reportedVerdict,
  verdictEvent,
  type MessageVerdict,
  type RecipientState,
} from '../../src/domain/outbound/recipient-outcome.js';
import { digestMachine } from '../../src/domain/state/digest.js';
import { inboundMachine } from '../../src/domain/state/inbound-email.js';
import { TransitionError, type StateMachine } from '../../src/domain/state/machine.js';
import { outboundMachine } from '../../src/domain/state/outbound-message.js';
import { promptMachine } from '../../src/domain/state/prompt.js';
import { recipientMachine } from '../../src/domain/state/recipient-delivery.js';

type Spec = ReadonlyArray<readonly [from: string, event: string, to: string]>;

const OUTBOUND: Spec = [
  ['scheduled', 'promote', 'queued'],
  ['queued', 'claim', 'sending'],
  ['sending', 'accept', 'sent'],
  ['sending', 'partial', 'partially_sent'],
  ['deferred', 'partial', 'partially_sent'],
  ['sent', 'partial', 'partially_sent'],
  ['delivered', 'partial', 'partially_sent'],
  ['sending', 'defer', 'deferred'],
  ['deferred', 'requeue', 'queued'],
  ['sending', 'fail', 'failed'],
  ['deferred', 'fail', 'failed'],
  ['queued', 'fail', 'failed'],
  ['scheduled', 'expire', 'expired'],
  ['queued', 'expire', 'expired'],
  ['deferred', 'expire', 'expired'],
  ['sending', 'expire', 'expired'],
  ['scheduled', 'suppress', 'suppressed'],
  ['queued', 'suppress', 'suppressed'],
  ['sending', 'suppress', 'suppressed'],
  ['deferred', 'suppress', 'suppressed'],
  ['scheduled', 'cancel', 'canceled'],
  ['queued', 'cancel', 'canceled'],
  ['deferred', 'cancel', 'canceled'],
  ['sent', 'deliver', 'delivered'],
  ['sending', 'bounce', 'bounced'],
  ['sent', 'bounce', 'bounced'],
  ['delivered', 'bounce', 'bounced'],
  ['partially_sent', 'bounce', 'bounced'],
  ['sent', 'complain', 'complained'],
  ['delivered', 'complain', 'complained'],
  ['partially_sent', 'complain', 'complained'],
  ['failed', 'retry', 'queued'],
  ['expired', 'retry', 'queued'],
  ['bounced', 'retry', 'queued'],
  ['partially_sent', 'retry', 'queued'],
];

const RECIPIENT: Spec = [
  ['pending', 'accept', 'accepted'],
  ['deferred', 'accept', 'accepted'],
  ['pending', 'defer', 'deferred'],
  ['deferred', 'defer', 'deferred'],
  ['pending', 'bounce', 'bounced'],
  ['deferred', 'bounce', 'bounced'],
  ['accepted', 'bounce', 'bounced'],
  ['delivered', 'bounce', 'bounced'],
  ['pending', 'fail', 'failed'],
  ['deferred', 'fail', 'failed'],
  ['pending', 'expire', 'expired'],
  ['deferred', 'expire', 'expired'],
  ['pending', 'suppress', 'suppressed'],
  ['deferred', 'suppress', 'suppressed'],
  ['accepted', 'deliver', 'delivered'],
  ['accepted', 'complain', 'complained'],
  ['delivered', 'complain', 'complained'],
  ['bounced', 'retry', 'pending'],
  ['failed', 'retry', 'pending'],
  ['expired', 'retry', 'pending'],
  ['suppressed', 'retry', 'pending'],
];

const INBOUND: Spec = [
  ['received', 'start', 'processing'],
  ['failed', 'start', 'processing'],
  ['processing', 'start', 'processing'],
  ['processing', 'complete', 'processed'],
  ['processing', 'ignore', 'ignored'],
  ['processing', 'fail', 'failed'],
  ['processed', 'reprocess', 'received'],
  ['ignored', 'reprocess', 'received'],
  ['failed', 'reprocess', 'received'],
];

const PROMPT: Spec = [
  ['scheduled', 'send', 'sent'],
  ['sent', 'remind', 'reminded'],
  ['sent', 'answer', 'answered'],
  ['reminded', 'answer', 'answered'],
  ['missed', 'answer', 'answered'],
  ['answered', 'answer', 'answered'],
  ['sent', 'miss', 'missed'],
  ['reminded', 'miss', 'missed'],
  ['scheduled', 'outage', 'missed_by_outage'],
  ['scheduled', 'skip', 'skipped'],
];

const DIGEST: Spec = [
  ['pending', 'build', 'built'],
  ['pending', 'skip_empty', 'skipped_empty'],
  ['built', 'start_sending', 'sending'],
  ['sending', 'finish', 'sent'],
  ['sent', 'resend', 'sending'],
];

const MACHINES: Array<[StateMachine<string, string>, Spec]> = [
  [outboundMachine, OUTBOUND],
  [recipientMachine, RECIPIENT],
  [inboundMachine, INBOUND],
  [promptMachine, PROMPT],
  [digestMachine, DIGEST],
];

describe.each(MACHINES.map(([m, s]) => [m.name, m, s] as const))(
  '%s machine',
  (_name, machine, spec) => {
    const pairs = machine.statuses.flatMap((from) => machine.events.map((e) => [from, e] as const));

    test('every allowed transition leads where the specification says', () => {
      for (const [from, event, to] of spec) {
        expect([from, event, machine.transition(from, event)]).toEqual([from, event, to]);
      }
    });

    test('every other (status, event) pair is refused with a TransitionError', () => {
      const allowed = new Set(spec.map(([from, event]) => `${from}/${event}`));
      const refused = pairs.filter(([from, event]) => !allowed.has(`${from}/${event}`));
      expect(refused.length + spec.length).toBe(pairs.length);
      for (const [from, event] of refused) {
        expect(machine.can(from, event)).toBe(false);
        expect(() => machine.transition(from, event)).toThrow(TransitionError);
        expect(() => machine.transition(from, event)).toThrow(
          `${machine.name} cannot ${event} from ${from}`,
        );
      }
    });

    test('the UPDATE guard of each event is exactly its allowed sources', () => {
      for (const event of machine.events) {
        const expected = spec.filter(([, e]) => e === event).map(([from]) => from);
        expect(machine.sources(event).sort()).toEqual(expected.sort());
        expect(
          spec.filter(([, e]) => e === event).every(([, , to]) => to === machine.target(event)),
        ).toBe(true);
      }
    });

    test('every status is a known one, and every event is used', () => {
      for (const [from, event, to] of spec) {
        expect(machine.isStatus(from) && machine.isStatus(to)).toBe(true);
        expect(machine.events).toContain(event);
      }
      expect(new Set(spec.map(([, e]) => e))).toEqual(new Set(machine.events));
      expect(machine.isStatus('no_such_status')).toBe(false);
    });
  },
);

/**
 * The message's event at the end of an attempt, derived from its recipients, as data: each row
 * is the recipients' statuses (with `suppressed0` for one the suppression list stopped before any
 * attempt) and the verdict. `reported` is what a provider's report does to a sent message.
 */
describe('a message status derives from its recipients', () => {
  const state = (s: string): RecipientState =>
    s === 'suppressed0'
      ? { address: 'x', status: 'suppressed', attempts: 0 }
      : { address: 'x', status: s as RecipientState['status'], attempts: 1 };

  test.each<[string[], MessageVerdict]>([
    [['accepted'], 'accept'],
    [['accepted', 'accepted'], 'accept'],
    [['accepted', 'deferred'], 'defer'],
    [['pending', 'bounced'], 'defer'],
    [['accepted', 'bounced'], 'partial'],
    [['accepted', 'failed'], 'partial'],
    [['accepted', 'expired'], 'partial'],
    [['accepted', 'suppressed'], 'partial'],
    [['accepted', 'suppressed0'], 'accept'],
    [['bounced'], 'bounce'],
    [['bounced', 'bounced'], 'bounce'],
    [['bounced', 'suppressed0'], 'bounce'],
    [['expired', 'expired'], 'expire'],
    [['bounced', 'expired'], 'fail'],
    [['failed'], 'fail'],
    [['suppressed0'], 'suppress'],
    [['suppressed', 'suppressed0'], 'suppress'],
    [['delivered', 'complained'], 'accept'],
  ])('%j → %s', (statuses, verdict) => {
    expect(messageVerdict(statuses.map(state))).toBe(verdict);
    expect(outboundMachine.events).toContain(verdictEvent(verdict));
  });

  test.each<[string[], string | null]>([
    [['delivered'], 'deliver'],
    [['delivered', 'accepted'], null],
    [['delivered', 'bounced'], 'partial'],
    [['bounced', 'bounced'], 'bounce'],
    [['bounced', 'failed'], 'bounce'],
    [['delivered', 'suppressed0'], 'deliver'],
    [['accepted', 'deferred'], null],
  ])('reported: %j → %s', (statuses, verdict) => {
    expect(reportedVerdict(statuses.map(state))).toBe(verdict);
  });
});
