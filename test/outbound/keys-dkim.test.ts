import { generateKeyPairSync } from 'node:crypto';
import { runKeysCommand } from '../../src/main/commands/keys.js';
import { composeMessage } from '../../src/outbound/compose.js';
import { MimeBuilder } from '../../src/outbound/transports/mime.js';
import { startOutboundApp } from './support/outbound-app.js';

test('postroom keys create/list/revoke: the key is printed once and works against the API', async () => {
  const t = await startOutboundApp({ noSmtp: true });
  try {
    const out: string[] = [];
    const err: string[] = [];
    const ctx = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      withContainer: <T>(fn: (c: never) => Promise<T>) => fn(t.app.container as never),
    };
    expect(
      await runKeysCommand(
        ['create', '--name', 'ci', '--scopes', 'send,read', '--daily-quota', '5'],
        ctx,
      ),
    ).toBe(0);
    const key = out[0]!;
    expect(key).toMatch(/^pr_[A-Za-z0-9_-]{43}$/);
    expect(err[0]).toMatch(/scopes send, read/);
    const res = await fetch(`${t.app.baseUrl}/v1/messages`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    // Only the hash is stored.
    const { rows } = await t.app.container.pool.query<{ key_hash: string }>(
      `SELECT key_hash FROM api_keys WHERE name = 'ci'`,
    );
    expect(rows[0]!.key_hash).not.toContain(key.slice(3, 20));

    expect(await runKeysCommand(['create', '--name', 'bad', '--scopes', 'root'], ctx)).toBe(2);
    expect(await runKeysCommand(['create', '--scopes', 'send'], ctx)).toBe(2);
    out.length = 0;
    expect(await runKeysCommand(['list'], ctx)).toBe(0);
    const line = out.find((l) => l.includes('\tci\t'))!;
    expect(line).toMatch(/send,read\tactive$/);
    expect(await runKeysCommand(['revoke', line.split('\t')[0]!], ctx)).toBe(0);
    expect(
      (await fetch(`${t.app.baseUrl}/v1/messages`, { headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(401);
  } finally {
    await t.stop();
  }
});

test('DKIM: when a key is configured the stored MIME carries a DKIM-Signature for our domain', async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const builder = new MimeBuilder({
    domainName: 'example.com',
    keySelector: 'pr1',
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  });
  const m = composeMessage(
    {
      id: '01890000-0000-7000-8000-000000000009',
      stream: 'transactional',
      kind: 'api',
      from: { name: null, address: 'a@example.com' },
      to: [{ name: null, address: 'b@example.org' }],
      cc: [],
      bcc: [],
      replyTo: [],
      subject: 'signed',
      html: null,
      text: 'hello\n',
      headers: {},
      attachments: [],
      inReplyTo: null,
      references: [],
      listUnsubscribe: null,
      messageId: null,
      date: new Date(),
    },
    {
      messageIdDomain: null,
      publicUrl: 'https://x.test',
      secret: 's'.repeat(40),
      unsubscribeMailto: null,
    },
  );
  const raw = (await builder.build(m)).toString();
  expect(raw).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=example\.com;/m);
  expect(raw).toMatch(/s=pr1;/);
  expect(raw.endsWith('\r\n')).toBe(true);
});
