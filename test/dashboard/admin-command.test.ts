import { runAdmin, type AdminCommandIo } from '../../src/main/commands/admin.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

describe('postroom admin', () => {
  let t: TestDatabase;
  let out: string[];
  let err: string[];
  let io: AdminCommandIo;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());
  beforeEach(() => {
    out = [];
    err = [];
    io = { out: (l) => out.push(l), err: (l) => err.push(l), withDb: (fn) => fn(t.db) };
  });

  test('create adds an administrator once, whatever the case of the address', async () => {
    expect(await runAdmin(['create', '--email', 'Ops@Example.com'], io)).toBe(0);
    expect(out[0]).toMatch(/^admin created: Ops@Example.com \([0-9a-f-]{36}\)$/);
    expect(await runAdmin(['create', '--email', 'ops@example.com'], io)).toBe(0);
    expect(out[2]).toMatch(/^admin already exists: Ops@Example.com/);
    const rows = await t.pool.query(`SELECT email FROM admin_users`);
    expect(rows.rows).toEqual([{ email: 'Ops@Example.com' }]);
  });

  test('list shows administrators and their last sign-in', async () => {
    expect(await runAdmin(['list'], io)).toBe(0);
    expect(out).toEqual([
      expect.stringMatching(/^Ops@Example.com\t[0-9a-f-]{36}\tlast sign-in: never$/),
    ]);
  });

  test('bad usage exits 2 with a message and touches nothing', async () => {
    expect(await runAdmin(['create', '--email', 'not-an-address'], io)).toBe(2);
    expect(err[0]).toContain('--email must be an email address (got "not-an-address")');
    expect(await runAdmin(['create'], io)).toBe(2);
    expect(await runAdmin(['create', '--mail', 'x@example.com'], io)).toBe(2);
    expect(err.at(-1)).toContain("Unknown option '--mail'");
    expect(await runAdmin(['remove'], io)).toBe(2);
    expect((await t.pool.query(`SELECT count(*)::int AS n FROM admin_users`)).rows[0]).toEqual({
      n: 1,
    });
  });
});
