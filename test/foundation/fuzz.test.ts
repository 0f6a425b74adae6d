/**
 * Bad input never gets a 5xx: 10,000 generated malformed requests (fast-check, fixed seed)
 * across every /inbound, /events and /v1 route the running app serves, signed as each provider
 * signs where a signature is required (so bodies reach the parsers) and unsigned too. Random
 * bytes, truncation, NUL, lone surrogates, invalid UTF-8, wrong and missing content types,
 * huge headers, deep nesting and oversize bodies. Every answer must be below 500 and, when it
 * is an error from the app, carry a machine-readable code; afterwards /readyz is 200 and every
 * accepted inbound message settles without a processing failure.
 */
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { makeSendgridEventKeys, makeSnsCertificate } from '../../scripts/providers/sign.js';
import { adminKey, startTestApp, type TestApp } from '../support/app.js';
import { fuzzCases, type FuzzCase, type FuzzKeys } from '../support/fuzz/cases.js';
import { listEndpoints, type Endpoint, type OpenApi } from '../support/fuzz/routes.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_124);
const CONCURRENCY = 8;
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:fuzz';

const sns = makeSnsCertificate();
const sendgridKeys = makeSendgridEventKeys();
let app: TestApp;
let keys: FuzzKeys;
let endpoints: Endpoint[];

beforeAll(async () => {
  app = await startTestApp({
    env: {
      INBOUND_DOMAIN: 'in.fuzz.test',
      INBOUND_MAX_BYTES: String(64 * 1024),
      INBOUND_REJECTION_MAIL: 'false',
      RELAY_TOKENS: 'fuzz-relay',
      SENDGRID_INBOUND_AUTH: 'sg:fuzz',
      SENDGRID_EVENT_PUBLIC_KEYS: sendgridKeys.publicKeyBase64,
      MAILGUN_SIGNING_KEYS: 'fuzz-mailgun',
      POSTMARK_INBOUND_AUTH: 'pm:fuzz',
      SES_TOPIC_ARNS: TOPIC,
      PG_POOL_MAX: '10',
      LOG_LEVEL: process.env.FUZZ_LOG ?? 'silent',
    },
    inboundAdapters: {
      fetchCert: async () => sns.certPem,
      snsGet: async () => ({ status: 200 }),
      fetchS3: async () => Buffer.from('From: a@example.org\r\n\r\nstored in S3\r\n'),
    },
  });
  const key = await adminKey(app, 'fuzz');
  keys = {
    apiKey: key,
    relayToken: 'fuzz-relay',
    sendgridAuth: 'sg:fuzz',
    mailgunKey: 'fuzz-mailgun',
    postmarkAuth: 'pm:fuzz',
    sesTopic: TOPIC,
    snsKeyPem: sns.keyPem,
    sendgridEventKey: sendgridKeys.privateKey,
  };
  const openapi = (await (await fetch(`${app.baseUrl}/v1/openapi.json`)).json()) as OpenApi;
  // FUZZ_ONLY=<regex> narrows the run to some routes while debugging one.
  const only = new RegExp(process.env.FUZZ_ONLY ?? '');
  endpoints = listEndpoints(app.container.app, openapi).filter((e) => only.test(e.path));
});
afterAll(() => app?.stop());

interface Answer {
  status: number;
  fromApp: boolean;
  json: boolean;
  body: string;
}

function send(agent: Agent, c: FuzzCase): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${app.baseUrl}${c.path}`,
      {
        method: c.method,
        agent,
        headers: { ...c.headers, ...(c.body ? { 'content-length': String(c.body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.length < 64 && chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            fromApp: res.headers['x-request-id'] !== undefined,
            json: /json/.test(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8', 0, 2000),
          }),
        );
      },
    );
    // The server may answer (413, 401) and close before reading a large body: that is fine.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' || err.code === 'EPIPE'
        ? resolve({ status: 0, fromApp: false, json: false, body: err.code })
        : reject(err),
    );
    req.end(c.body ?? undefined);
  });
}

/** API routes answer JSON; the dashboard and the unsubscribe page answer people in HTML. */
const isApi = (route: string) =>
  route.startsWith('/v1/') || route.startsWith('/events/') || /^\/inbound\/[a-z/]+$/.test(route);

/**
 * An error from the app (not Node's own 400/431 for a request it cannot parse) names its code
 * when it is JSON, and it is JSON on every API route.
 */
function hasCode(c: FuzzCase, a: Answer): boolean {
  if (!a.json) return !isApi(c.route);
  try {
    return typeof (JSON.parse(a.body) as { error?: { code?: unknown } }).error?.code === 'string';
  } catch {
    return false;
  }
}

test(`${RUNS} malformed requests across every /inbound, /events and /v1 route: no 5xx`, async () => {
  if (!process.env.FUZZ_ONLY) {
    expect(endpoints.filter((e) => e.path.startsWith('/inbound/')).length).toBeGreaterThanOrEqual(
      5,
    );
    expect(endpoints.filter((e) => e.path.startsWith('/events/')).length).toBeGreaterThanOrEqual(4);
    expect(endpoints.filter((e) => e.path.startsWith('/v1/')).length).toBeGreaterThanOrEqual(30);
    // Routes other features added are found from the router, with their schemas when documented.
    const found = (method: string, path: string) =>
      endpoints.find((e) => e.method === method && e.path === path);
    expect(found('POST', '/v1/routes')?.schema).toBeDefined();
    expect(found('POST', '/v1/routes/test')?.schema).toBeDefined();
    expect(found('PUT', '/v1/routes/default')).toBeDefined();
    expect(found('GET', '/v1/inbound/:id/attachments/:n')).toBeDefined();
    expect(found('GET', '/v1/messages/:id/replies')).toBeDefined();
    expect(found('GET', '/v1/keys/:id/usage')).toBeDefined();
  }
  const cases = fc.sample(fuzzCases(endpoints, keys), { numRuns: RUNS, seed: SEED });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const serverErrors: string[] = [];
  const codeless: string[] = [];
  const statuses = new Map<number, number>();
  const byGroup = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const c = cases[index]!;
      const a = await send(agent, c);
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      const group = `${c.route.split('/')[1]} ${a.status}`;
      byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
      const where = `#${index} ${c.note} → ${a.status} ${a.body.slice(0, 200)}`;
      if (a.status >= 500) serverErrors.push(where);
      else if (a.status >= 400 && a.fromApp && !hasCode(c, a)) codeless.push(where);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  // FUZZ_REPORT=1 prints how the answers were spread, by route prefix and status.
  if (process.env.FUZZ_REPORT)
    console.log(
      [...byGroup]
        .sort()
        .map((g) => g.join(': '))
        .join('\n'),
    );
  expect(serverErrors.slice(0, 20)).toEqual([]);
  expect(codeless.slice(0, 20)).toEqual([]);
  // The mix reached the handlers: some requests were accepted, most were refused with a 4xx.
  expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
  expect((await fetch(`${app.baseUrl}/readyz`)).status).toBe(200);
}, 180_000);

test('every message the fuzz got accepted settles; none fails processing on bad bytes', async () => {
  const pool = app.db.pool;
  const deadline = Date.now() + 60_000;
  let open = Infinity;
  while (open > 0 && Date.now() < deadline) {
    open = (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbound_emails WHERE status IN ('received', 'processing')`,
      )
    ).rows[0]!.n;
    if (open > 0) await new Promise((r) => setTimeout(r, 200));
  }
  const { rows } = await pool.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM inbound_emails GROUP BY status ORDER BY status`,
  );
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((r) => !['processed', 'ignored'].includes(r.status))).toEqual([]);
}, 90_000);
