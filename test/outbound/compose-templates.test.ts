import { simpleParser } from 'mailparser';
import { ValidationError } from '../../src/lib/errors.js';
import { verifyToken } from '../../src/lib/signed-token.js';
import {
  composeMessage,
  UNSUBSCRIBE_TOKEN_PURPOSE,
  type ComposeInput,
} from '../../src/outbound/compose.js';
import { MimeBuilder } from '../../src/outbound/transports/mime.js';
import { signWebhook } from '../../src/outbound/standard-webhooks.js';
import { compileTemplate, renderTemplate } from '../../src/templates/user-template.js';

const settings = {
  messageIdDomain: 'mail.example.com',
  publicUrl: 'https://postroom.example.com',
  secret: 's'.repeat(40),
  unsubscribeMailto: 'unsubscribe@example.com',
};

function input(over: Partial<ComposeInput> = {}): ComposeInput {
  return {
    id: '01890000-0000-7000-8000-000000000001',
    stream: 'transactional',
    kind: 'api',
    from: { name: 'Postroom', address: 'noreply@example.com' },
    to: [{ name: null, address: 'ann@example.org' }],
    cc: [],
    bcc: [{ name: null, address: 'hidden@example.org' }],
    replyTo: [],
    subject: 'Hello ünïcode',
    html: '<p>Hi <b>Ann</b></p>',
    text: 'Hi Ann',
    headers: { 'X-Campaign': 'spring' },
    attachments: [],
    inReplyTo: null,
    references: [],
    listUnsubscribe: null,
    messageId: null,
    date: new Date('2026-01-01T10:00:00Z'),
    ...over,
  };
}

const header = (m: ReturnType<typeof composeMessage>, name: string) =>
  m.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('composition', () => {
  test('transactional mail: our Message-ID, no unsubscribe, no auto headers; bcc only in the envelope', async () => {
    const m = composeMessage(input(), settings);
    expect(m.messageId).toBe('<01890000-0000-7000-8000-000000000001@mail.example.com>');
    expect(header(m, 'List-Unsubscribe')).toBeUndefined();
    expect(header(m, 'Auto-Submitted')).toBeUndefined();
    expect(m.envelope).toEqual({
      from: 'noreply@example.com',
      to: ['ann@example.org', 'hidden@example.org'],
    });
    const raw = await new MimeBuilder().build(m);
    expect(raw.toString()).not.toContain('hidden@example.org');
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe(m.messageId);
    expect(parsed.subject).toBe('Hello ünïcode');
    expect(parsed.headers.get('x-campaign')).toBe('spring');
    expect(parsed.text?.trim()).toBe('Hi Ann');
  });

  test('broadcast mail: signed one-click List-Unsubscribe (https + mailto), RFC 8058 post header, auto headers', () => {
    const m = composeMessage(input({ stream: 'broadcast' }), settings);
    const lu = header(m, 'List-Unsubscribe')!;
    const url = /<(https:[^>]+)>/.exec(lu)![1]!;
    expect(lu).toMatch(/<mailto:unsubscribe@example\.com\?subject=unsubscribe%20[^>]+>/);
    expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(m, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(m, 'X-Auto-Response-Suppress')).toBe('OOF, AutoReply');
    expect(header(m, 'Precedence')).toBe('bulk');
    const token = url.slice('https://postroom.example.com/u/'.length);
    expect(verifyToken(settings.secret, UNSUBSCRIBE_TOKEN_PURPOSE, token)).toMatchObject({
      ok: true,
      payload: { a: 'ann@example.org', s: 'broadcast' },
    });
  });

  test('prompts get auto headers but no unsubscribe; a caller URL overrides ours; internal Auto-Submitted wins', () => {
    const prompt = composeMessage(input({ kind: 'prompt', headers: {} }), settings);
    expect(header(prompt, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(prompt, 'List-Unsubscribe')).toBeUndefined();
    const digest = composeMessage(
      input({ kind: 'digest', listUnsubscribe: { url: 'https://app.example.com/unsub/xyz' } }),
      settings,
    );
    expect(header(digest, 'List-Unsubscribe')).toBe('<https://app.example.com/unsub/xyz>');
    const rejection = composeMessage(
      input({ kind: 'system', headers: { 'Auto-Submitted': 'auto-replied' } }),
      settings,
    );
    expect(rejection.headers.filter(([k]) => k === 'Auto-Submitted')).toEqual([
      ['Auto-Submitted', 'auto-replied'],
    ]);
  });

  test('threading headers and attachments survive MIME byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    const m = composeMessage(
      input({
        inReplyTo: '<a@x>',
        references: ['<root@x>', '<a@x>'],
        attachments: [
          { filename: 'data.bin', content: bytes, contentType: 'application/octet-stream' },
        ],
      }),
      settings,
    );
    const parsed = await simpleParser(await new MimeBuilder().build(m));
    expect(parsed.inReplyTo).toBe('<a@x>');
    expect(parsed.references).toEqual(['<root@x>', '<a@x>']);
    expect(parsed.attachments[0]!.filename).toBe('data.bin');
    expect(Buffer.compare(parsed.attachments[0]!.content, bytes)).toBe(0);
  });
});

describe('user templates', () => {
  const t = compileTemplate({
    subject: 'Hi {{name}} & co',
    html: '<p>{{greeting}} {{name}}</p>{{#if vip}}<p>{{vipNote}}</p>{{/if}}{{#each items}}<i>{{title}}</i>{{/each}}',
    text: null,
  });

  test('HTML is escaped by default; subject and text are not; text is derived from HTML', () => {
    const r = renderTemplate(t, { name: '<Ann>', greeting: 'Hello', items: [{ title: 'a' }] });
    expect(r.subject).toBe('Hi <Ann> & co');
    expect(r.html).toBe('<p>Hello &lt;Ann&gt;</p><i>a</i>');
    expect(r.text).toContain('Hello <Ann>');
  });

  test('strict mode lists every missing variable, including inside taken branches', () => {
    let err: unknown;
    try {
      renderTemplate(t, { vip: true, items: [] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe('template_variables_missing');
    expect((err as ValidationError).details).toEqual({ missing: ['greeting', 'name', 'vipNote'] });
  });

  test('strict mode also catches variables inside {{#each}}', () => {
    expect(() => renderTemplate(t, { name: 'a', greeting: 'b', items: [{}] })).toThrow(/title/);
  });

  test('a syntax error is a 422 naming the part', () => {
    expect(() => compileTemplate({ subject: 'ok', html: '{{#if}}', text: null })).toThrow(
      expect.objectContaining({ code: 'template_invalid', status: 422 }),
    );
  });
});

test('Standard Webhooks signature matches the spec example', () => {
  // From the Standard Webhooks reference test vectors.
  const sig = signWebhook(
    'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    'msg_p5jXN8AQM9LWM0D4loKWxJek',
    1614265330,
    '{"test": 2432232314}',
  );
  expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
});
