import { parseEmailCommand } from '../../src/domain/checkins/email-command.js';
import { digestViewFor, freezeDigest } from '../../src/domain/checkins/digest-view.js';
import { promptView } from '../../src/domain/checkins/prompt-view.js';
import { digestMachine } from '../../src/domain/state/digest.js';
import { TransitionError } from '../../src/domain/state/machine.js';
import { promptMachine } from '../../src/domain/state/prompt.js';
import { renderDigestMail } from '../../src/templates/checkins/digest-mail.js';
import { renderPromptMail } from '../../src/templates/checkins/prompt-mail.js';

describe('email commands', () => {
  test.each([
    ['pause until 2026-12-01', { kind: 'pause', until: '2026-12-01' }],
    ['  Pause until 2026-12-01.\n\n', { kind: 'pause', until: '2026-12-01' }],
    [
      'vacation 2026-12-20 to 2027-01-03',
      { kind: 'vacation', start: '2026-12-20', end: '2027-01-03' },
    ],
    ['UNSUBSCRIBE', { kind: 'unsubscribe' }],
    ['resume', { kind: 'resume' }],
  ])('%j', (text, command) => {
    expect(parseEmailCommand(text, '2026-11-24')).toEqual({ ok: true, command });
  });
  test.each(['resume writing the docs', 'pause\nuntil 2026-12-01', 'Shipped it\nresume', ''])(
    'not a command: %j',
    (text) => {
      expect(parseEmailCommand(text)).toEqual({ ok: false, reason: 'not_a_command' });
    },
  );
  test('invalid dates are reported, not ignored', () => {
    expect(parseEmailCommand('vacation 2027-01-03 to 2026-12-20')).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(parseEmailCommand('pause until 2026-02-30')).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(parseEmailCommand('pause until 2026-11-01', '2026-11-24')).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });
});

describe('state machines', () => {
  test('prompt', () => {
    expect(promptMachine.transition('scheduled', 'send')).toBe('sent');
    expect(promptMachine.transition('missed', 'answer')).toBe('answered');
    expect(() => promptMachine.transition('skipped', 'send')).toThrow('cannot send');
    expect(promptMachine.sources('remind')).toEqual(['sent']);
  });
  test('digest', () => {
    expect(digestMachine.transition('pending', 'skip_empty')).toBe('skipped_empty');
    expect(digestMachine.transition('sent', 'resend')).toBe('sending');
    expect(() => digestMachine.transition('skipped_empty', 'build')).toThrow(TransitionError);
    expect(() => digestMachine.transition('skipped_empty', 'build')).toThrow(
      'Digest cannot build from skipped_empty',
    );
  });
});

describe('digest view model', () => {
  const frozen = freezeDigest('Core', '2026-11-23', [
    {
      memberId: 'b',
      memberName: 'Bea Lee',
      kind: 'done',
      text: 'Shipped export, thanks @ana',
      tags: [],
      mentions: ['ana'],
    },
    {
      memberId: 'a',
      memberName: 'Ana Diaz',
      kind: 'goal',
      text: 'Write docs',
      tags: ['docs'],
      mentions: [],
    },
    {
      memberId: 'b',
      memberName: 'Bea Lee',
      kind: 'blocker',
      text: 'Need keys',
      tags: [],
      mentions: [],
    },
    {
      memberId: 'a',
      memberName: 'Ana Diaz',
      kind: 'done',
      text: 'Fixed login',
      tags: [],
      mentions: [],
    },
  ]);
  test('grouped by person, blockers first, people with blockers first', () => {
    expect(frozen.people.map((p) => p.name)).toEqual(['Bea Lee', 'Ana Diaz']);
    expect(frozen.people[0]!.items.map((i) => i.kind)).toEqual(['blocker', 'done']);
    expect(frozen.people[1]!.items.map((i) => i.kind)).toEqual(['done', 'goal']);
    expect(frozen.counts).toEqual({ blocker: 1, done: 2, goal: 1 });
  });
  test('mentions of the reader are highlighted, others are not', () => {
    const ana = digestViewFor(frozen, { name: 'Ana Diaz', email: 'ana@example.com' });
    expect(ana.mentionCount).toBe(1);
    const mail = renderDigestMail({
      ...ana,
      subject: 's',
      preferencesUrl: 'http://p',
      unsubscribeUrl: 'http://u',
    });
    expect(mail.html).toContain('<mark><strong>@ana</strong></mark>');
    expect(mail.text).toContain('>>@ana<<');
    expect(mail.text).toContain('! Need keys');
    expect(mail.html).toContain('#docs');
    const bea = digestViewFor(frozen, { name: 'Bea Lee', email: 'bea@example.com' });
    expect(bea.mentionCount).toBe(0);
  });
});

describe('prompt mail', () => {
  test('teaches the format, lists open goals, carries the marker and escapes HTML', () => {
    const view = promptView({
      memberName: 'Ana Diaz',
      teamName: 'Core <team>',
      question: 'What did you get done today?',
      localDate: '2026-11-24',
      openGoals: [{ text: 'Write docs', localDate: '2026-11-20' }],
      marker: '## Reply above this line ##',
      preferencesUrl: 'http://x/p',
    });
    expect(view.subject).toContain('Tuesday 24 November 2026');
    const mail = renderPromptMail(view);
    expect(mail.text.startsWith('## Reply above this line ##')).toBe(true);
    expect(mail.text).toContain('[] Write docs');
    expect(mail.text).toContain('! Waiting on');
    expect(mail.html).toContain('Core &lt;team&gt;');
    expect(mail.html).toContain('## Reply above this line ##');
  });
});
