/**
 * `postroom routes` against a real database: add from flags (and refused with the API's code),
 * list, dry run, disable, the default, remove. Each call opens the app as the CLI does.
 */
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createCommandContext } from '../../src/main/commands/context.js';
import { runRoutesCommand } from '../../src/main/commands/routes.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

async function routes(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    SECRET_KEY: 'cli-routes-secret-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    INBOUND_DOMAIN: 'in.cli.test',
  });
  const ctx = createCommandContext(config, silentLogger, (l) => out.push(l));
  const code = await runRoutesCommand(argv, { ...ctx, err: (l) => err.push(l) });
  return { code, out, err };
}

test('add, list, test, disable, default, remove', async () => {
  const added = await routes(
    'add',
    '--name',
    'sales',
    '--priority',
    '5',
    '--recipient',
    'sales+*@in.cli.test',
    '--subject-contains',
    'quote',
    '--store',
  );
  expect(added.code).toBe(0);
  const id = added.out[0]!.split('\t')[0]!;
  const [, priority, state, name, match, action] = added.out[0]!.split('\t');
  expect([priority, state, name]).toEqual(['5', 'on', 'sales']);
  expect(JSON.parse(match!)).toEqual({
    recipient: 'sales+*@in.cli.test',
    subject: { contains: 'quote' },
  });
  expect(JSON.parse(action!)).toEqual({ type: 'store' });

  expect(await routes('add', '--recipient', 'a*b@x.test', '--store')).toMatchObject({
    code: 65,
    err: [expect.stringContaining('invalid_pattern')],
  });
  expect(await routes('add', '--recipient-regex', '^(a+)+$', '--store')).toMatchObject({
    code: 65,
    err: [expect.stringContaining('unsafe_regex')],
  });
  expect((await routes('add', '--recipient', 'a@in.cli.test', '--store', '--reject')).code).toBe(
    64,
  );
  expect((await routes('frobnicate')).code).toBe(64);

  const tested = await routes('test', '--to', 'sales+eu@in.cli.test', '--subject', 'A quote');
  expect(tested.out).toEqual(['route\tstore\tsales {"type":"store"}']);
  expect((await routes('disable', id)).out[0]).toContain('\toff\t');
  expect(
    (await routes('test', '--to', 'sales+eu@in.cli.test', '--subject', 'A quote')).out[0],
  ).toMatch(/^default\treject\t/);

  expect((await routes('default', '--store')).out).toEqual(['default\t{"type":"store"}']);
  const listed = await routes('list');
  expect(listed.out).toEqual([
    expect.stringContaining(`${id}\t5\toff\tsales`),
    'default\t{"type":"store"}',
  ]);
  expect((await routes('default', '--clear')).out).toEqual(['default\t{"type":"reject"}']);
  expect((await routes('remove', id)).out).toEqual([`removed ${id}`]);
  expect((await routes('remove', id)).code).toBe(65);
});
