import {
  createReplyToken,
  decodeReplyToken,
  verifyReplyToken,
  REPLY_TOKEN_LENGTH,
} from '../../../src/inbound/reply-token.js';
import { findTokenAddresses } from '../../../src/inbound/correlation.js';

const SECRET = 'k'.repeat(40);
const ID = '0190d0c4-7a2b-7c3d-8e4f-0123456789ab';
const MEMBER = '0190d0c4-0000-7000-8000-00000000abcd';
const exp = new Date('2026-12-01T00:00:00Z');
const now = new Date('2026-11-24T12:00:00Z');

describe('reply token', () => {
  test('round-trips and fits an email local part in lower case', () => {
    const token = createReplyToken(SECRET, {
      kind: 'prompt',
      id: ID,
      email: 'Ana@Example.org',
      exp,
    });
    expect(token).toHaveLength(REPLY_TOKEN_LENGTH);
    expect(token).toMatch(/^[a-z2-7]+$/);
    expect(`reply+${token}`.length).toBeLessThanOrEqual(64);
    const result = verifyReplyToken(SECRET, token, { email: 'ana@example.org', now });
    expect(result).toEqual({
      ok: true,
      claims: { kind: 'prompt', id: ID, exp, memberBound: false, email: 'ana@example.org' },
    });
  });

  test('survives an MTA that upper-cases the local part', () => {
    const token = createReplyToken(SECRET, { kind: 'message', id: ID, email: 'a@b.c', exp });
    expect(verifyReplyToken(SECRET, token.toUpperCase(), { email: 'A@B.C', now }).ok).toBe(true);
  });

  test('binds the member when one is given', () => {
    const token = createReplyToken(SECRET, {
      kind: 'team',
      id: ID,
      memberId: MEMBER,
      email: 'a@b.c',
      exp,
    });
    expect(decodeReplyToken(token)).toMatchObject({ kind: 'team', id: ID, memberBound: true });
    expect(verifyReplyToken(SECRET, token, { email: 'a@b.c', now })).toMatchObject({
      ok: false,
      reason: 'member_required',
    });
    expect(verifyReplyToken(SECRET, token, { email: 'a@b.c', memberId: ID, now })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(
      verifyReplyToken(SECRET, token, { email: 'a@b.c', memberId: MEMBER, now }),
    ).toMatchObject({
      ok: true,
      claims: { memberId: MEMBER },
    });
  });

  test('rejects forged, tampered, expired and wrong-sender tokens', () => {
    const token = createReplyToken(SECRET, { kind: 'prompt', id: ID, email: 'a@b.c', exp });
    const forged = createReplyToken('x'.repeat(40), {
      kind: 'prompt',
      id: ID,
      email: 'a@b.c',
      exp,
    });
    expect(verifyReplyToken(SECRET, forged, { email: 'a@b.c', now })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    const last = token.at(-1) === 'a' ? 'b' : 'a';
    expect(verifyReplyToken(SECRET, token.slice(0, -1) + last, { email: 'a@b.c', now }).ok).toBe(
      false,
    );
    // changing the id flips a body byte: the MAC no longer matches
    const flipped = token[3] === 'a' ? 'b' : 'a';
    expect(
      verifyReplyToken(SECRET, token.slice(0, 3) + flipped + token.slice(4), {
        email: 'a@b.c',
        now,
      }).ok,
    ).toBe(false);
    expect(
      verifyReplyToken(SECRET, token, { email: 'a@b.c', now: new Date('2026-12-02T00:00:00Z') }),
    ).toMatchObject({
      ok: false,
      reason: 'expired',
    });
    expect(verifyReplyToken(SECRET, token, { email: 'eve@b.c', now })).toMatchObject({
      ok: false,
      reason: 'sender_mismatch',
    });
    expect(verifyReplyToken(SECRET, 'not-a-token', { email: 'a@b.c', now })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  test('an expired forgery is reported as forged, not expired', () => {
    const forged = createReplyToken('x'.repeat(40), {
      kind: 'prompt',
      id: ID,
      email: 'a@b.c',
      exp: new Date('2020-01-01'),
    });
    expect(verifyReplyToken(SECRET, forged, { email: 'a@b.c', now })).toMatchObject({
      reason: 'bad_signature',
    });
  });

  test('accepts any secret of a rotation list', () => {
    const token = createReplyToken('old-secret-000000000000000000000000', {
      kind: 'prompt',
      id: ID,
      email: 'a@b.c',
      exp,
    });
    expect(
      verifyReplyToken(
        ['new-secret-00000000000000000000000', 'old-secret-000000000000000000000000'],
        token,
        { email: 'a@b.c', now },
      ).ok,
    ).toBe(true);
  });

  test('is found in reply+ and team+ recipients of our domain only', () => {
    const token = createReplyToken(SECRET, { kind: 'prompt', id: ID, email: 'a@b.c', exp });
    const found = findTokenAddresses(
      [
        `reply+${token}@other.test`,
        `REPLY+${token.toUpperCase()}@In.Postroom.Test`,
        `team+${token}@in.postroom.test`,
        'plain@in.postroom.test',
      ],
      'in.postroom.test',
    );
    expect(found.map((f) => f.prefix)).toEqual(['reply']);
    expect(found[0]!.token).toBe(token);
  });
});
