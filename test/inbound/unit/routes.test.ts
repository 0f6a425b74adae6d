/**
 * Route matching as pure rules: the address pattern grammar, the static regex checks, the time
 * bound on evaluation (a pattern the static checks let through still cannot hang a worker), and
 * first-match-by-priority over recipients, sender, subject and headers.
 */
import fc from 'fast-check';
import {
  addressMatches,
  checkAddressPattern,
  checkRouteRegex,
  type InboundRoute,
  type RouteMatch,
} from '../../../src/domain/inbound/route.js';
import { headerMap } from '../../../src/domain/inbound/headers.js';
import { firstMatchingRoute, type MailFacts } from '../../../src/inbound/route-match.js';
import { testRegexes } from '../../../src/inbound/route-regex.js';

let seq = 0;
function route(match: RouteMatch, over: Partial<InboundRoute> = {}): InboundRoute {
  seq++;
  return {
    id: `r${seq}`,
    name: `route ${seq}`,
    priority: 100,
    match,
    action: { type: 'store' },
    enabled: true,
    isDefault: false,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...over,
  };
}

function facts(over: Partial<MailFacts> = {}): MailFacts {
  return {
    recipients: ['support@example.com'],
    sender: 'ana@example.org',
    subject: 'Invoice 42',
    headers: headerMap([['X-Priority', '1']]),
    ...over,
  };
}

describe('address patterns', () => {
  test.each([
    ['support@example.com', 'Support@Example.com', true],
    ['support@example.com', 'support+x@example.com', false],
    ['*@example.com', 'anyone@example.com', true],
    ['*@example.com', 'anyone@sub.example.com', false],
    ['support+*@example.com', 'support+eu@example.com', true],
    ['support+*@example.com', 'support@example.com', true],
    ['support+*@example.com', 'supporter@example.com', false],
    ['support+*@example.com', 'support+eu@example.org', false],
  ])('%s against %s → %s', (pattern, address, expected) => {
    expect(checkAddressPattern(pattern)).toBeNull();
    expect(addressMatches(pattern, address)).toBe(expected);
  });

  test.each([
    'no-at-sign',
    '@example.com',
    'a*b@example.com',
    '*+*@example.com',
    'a@exa mple.com',
    'a@',
  ])('%s is refused', (pattern) => {
    expect(checkAddressPattern(pattern)).toMatchObject({ code: 'invalid_pattern' });
  });

  test('*@domain matches every address at that domain and none elsewhere', () => {
    const label = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    fc.assert(
      fc.property(label, label, label, (local, domain, other) => {
        const pattern = `*@${domain}.test`;
        expect(addressMatches(pattern, `${local}@${domain}.test`)).toBe(true);
        if (other !== domain) expect(addressMatches(pattern, `${local}@${other}.test`)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('regexes', () => {
  test.each([
    ['^ticket-[0-9]+@', null],
    ['^(a|b)+@x$', null],
    ['(', 'invalid_regex'],
    ['x{201 characters}', 'invalid_regex'],
    ['^(a+)+$', 'unsafe_regex'],
    ['^(?:\\w*)*@', 'unsafe_regex'],
    ['^([a-z]+\\.?)+@', 'unsafe_regex'],
    ['(a)\\1', 'unsafe_regex'],
    ['(?<=a)b', 'unsafe_regex'],
  ])('%s → %s', (source, code) => {
    const problem = checkRouteRegex(source.replace('x{201 characters}', 'x'.repeat(201)));
    if (code === null) expect(problem).toBeNull();
    else expect(problem).toMatchObject({ code });
  });

  test('a pattern the static checks let through is still bounded in time', () => {
    const source = '^(a|a)*b$';
    expect(checkRouteRegex(source)).toBeNull();
    const answers = testRegexes([{ source, inputs: ['a'.repeat(40)] }], 50);
    expect(answers).toEqual({ matched: [false], timedOut: true });
  });

  test('one run answers every question of a message, in order', () => {
    expect(
      testRegexes([
        { source: '^t-\\d+@', inputs: ['x@y', 'T-12@support.test'] },
        { source: 'nope', inputs: ['x@y'] },
      ]),
    ).toEqual({ matched: [true, false], timedOut: false });
  });
});

describe('first matching route', () => {
  test('routes are tried in the order given; disabled ones and the default are skipped', () => {
    const off = route({ recipient: '*@example.com' }, { enabled: false });
    const byDefault = route({ recipient: '*@example.com' }, { isDefault: true });
    const specific = route({ recipient: 'support@example.com', subject: { contains: 'invoice' } });
    const broad = route({ recipient: '*@example.com' });
    expect(firstMatchingRoute([off, byDefault, specific, broad], facts()).route).toBe(specific);
    expect(firstMatchingRoute([off, byDefault, broad, specific], facts()).route).toBe(broad);
  });

  test('every criterion must hold: sender, subject, headers', () => {
    const r = route({
      sender: '*@example.org',
      subject: { equals: 'invoice 42' },
      headers: [{ name: 'x-priority', equals: '1' }],
    });
    expect(firstMatchingRoute([r], facts()).route).toBe(r);
    expect(firstMatchingRoute([r], facts({ sender: 'eve@example.net' })).route).toBeNull();
    expect(firstMatchingRoute([r], facts({ subject: 'Invoice 43' })).route).toBeNull();
    expect(firstMatchingRoute([r], facts({ headers: headerMap([]) })).route).toBeNull();
    expect(firstMatchingRoute([r], facts({ sender: null })).route).toBeNull();
  });

  test('a recipient regex matches any recipient; one that times out falls through and says so', () => {
    const slow = route({ recipient: { regex: '^(a|a)*b$' } });
    const ticket = route({ recipient: { regex: '^ticket-\\d+@' } });
    const rest = route({ recipient: '*@example.com' });
    const mail = facts({ recipients: ['a'.repeat(40), 'ticket-7@example.com'] });
    expect(firstMatchingRoute([ticket, rest], mail)).toEqual({
      route: ticket,
      regexTimedOut: false,
    });
    expect(firstMatchingRoute([slow, rest], mail, 50)).toEqual({
      route: rest,
      regexTimedOut: true,
    });
  });
});
