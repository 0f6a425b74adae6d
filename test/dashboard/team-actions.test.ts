/** The team page's changes go through the check-ins admin service of the whole app. */
import { startTestApp, type TestApp } from '../support/app.js';
import { seedTeam } from './seed.js';
import { Browser, signInWithStoredToken } from './support.js';

describe('team page actions', () => {
  let app: TestApp;
  let b: Browser;
  let team: Awaited<ReturnType<typeof seedTeam>>;

  beforeAll(async () => {
    app = await startTestApp({ roles: { web: true, worker: false } });
    b = new Browser(app.baseUrl);
    await signInWithStoredToken(app, b, 'ops@example.com');
    team = await seedTeam(app.db.pool, undefined, false);
  });
  afterAll(() => app?.stop());

  const post = async (path: string, form: Record<string, string>) => {
    const html = await (await b.request(`/teams/${team.teamId}`)).text();
    return b.request(path, { method: 'POST', form: { _csrf: Browser.csrf(html), ...form } });
  };
  const member = async (id: string) =>
    (await app.db.pool.query(`SELECT status, pause_until::text FROM members WHERE id = $1`, [id]))
      .rows[0];

  test('pause a member until a date, then resume', async () => {
    expect(
      (
        await post(`/teams/${team.teamId}/members/${team.ana}/status`, {
          status: 'paused',
          pause_until: '2026-12-01',
        })
      ).status,
    ).toBe(303);
    expect(await member(team.ana)).toEqual({ status: 'paused', pause_until: '2026-12-01' });
    const html = await (await b.request(`/teams/${team.teamId}`)).text();
    expect(html).toContain('paused</span> until 2026-12-01');
    expect(
      (await post(`/teams/${team.teamId}/members/${team.ana}/status`, { status: 'active' })).status,
    ).toBe(303);
    expect(await member(team.ana)).toEqual({ status: 'active', pause_until: null });
  });

  test('add and remove a holiday and a vacation', async () => {
    expect(
      (
        await post(`/teams/${team.teamId}/holidays`, {
          date: '2026-12-25',
          name: 'Christmas',
          yearly: 'on',
        })
      ).status,
    ).toBe(303);
    const dup = await post(`/teams/${team.teamId}/holidays`, { date: '2026-12-25', name: 'again' });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain('already has a holiday');
    const holiday = await app.db.pool.query<{ id: string; yearly: boolean }>(
      `SELECT id, yearly FROM team_holidays WHERE team_id = $1`,
      [team.teamId],
    );
    expect(holiday.rows[0]!.yearly).toBe(true);
    expect(
      (await post(`/teams/${team.teamId}/holidays/${holiday.rows[0]!.id}/delete`, {})).status,
    ).toBe(303);

    expect(
      (
        await post(`/teams/${team.teamId}/vacations`, {
          member_id: team.bo,
          start_date: '2026-12-20',
          end_date: '2027-01-03',
        })
      ).status,
    ).toBe(303);
    const html = await (await b.request(`/teams/${team.teamId}`)).text();
    expect(html).toContain('Bo: 2026-12-20 – 2027-01-03');
    const bad = await post(`/teams/${team.teamId}/vacations`, {
      member_id: team.bo,
      start_date: '2027-01-03',
      end_date: '2026-12-20',
    });
    expect(bad.status).toBe(422);
    const v = await app.db.pool.query<{ id: string }>(
      `SELECT id FROM member_vacations WHERE member_id = $1`,
      [team.bo],
    );
    expect(
      (
        await post(`/teams/${team.teamId}/vacations/${v.rows[0]!.id}/delete`, {
          member_id: team.bo,
        })
      ).status,
    ).toBe(303);
    expect((await app.db.pool.query(`SELECT 1 FROM member_vacations`)).rowCount).toBe(0);
    expect((await app.db.pool.query(`SELECT 1 FROM team_holidays`)).rowCount).toBe(0);
  });

  test("a member of another team cannot be changed through this team's page", async () => {
    const other = await seedTeam(app.db.pool, undefined, false);
    const res = await post(`/teams/${team.teamId}/members/${other.ana}/status`, {
      status: 'paused',
    });
    expect(res.status).toBe(404);
    expect(await member(other.ana)).toEqual({ status: 'active', pause_until: null });
  });
});
