/**
 * No Docker engine runs here, so the compose file and Dockerfile are checked as data: the
 * services exist, start in the right order, and are wired to each other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.js';

const root = join(import.meta.dirname, '../..');
interface Service {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  healthcheck?: unknown;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const svc = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`service ${name} missing`);
  return s;
};

describe('docker-compose.yml', () => {
  test('has postgres, a one-shot migrate, web, worker and mailpit', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'mailpit',
      'migrate',
      'postgres',
      'web',
      'worker',
    ]);
    expect(svc('postgres').image).toMatch(/^postgres:18/);
    expect(svc('mailpit').image).toMatch(/^axllent\/mailpit/);
    expect(svc('migrate').command).toEqual(['migrate']);
    expect(svc('web').command).toEqual(['web']);
    expect(svc('worker').command).toEqual(['worker']);
  });

  test('web and worker start after migrate has completed, and migrate after postgres is healthy', () => {
    expect(svc('postgres').healthcheck).toBeDefined();
    expect(svc('migrate').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of ['web', 'worker']) {
      expect(svc(name).depends_on?.migrate).toEqual({
        condition: 'service_completed_successfully',
      });
    }
  });

  test('every Postroom service points at the postgres service and at Mailpit', () => {
    const pg = svc('postgres').environment!;
    for (const name of ['migrate', 'web', 'worker']) {
      const env = svc(name).environment!;
      const url = new URL(env.DATABASE_URL!);
      expect(url.hostname).toBe('postgres');
      expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
      expect(env.SMTP_URL).toBe('smtp://mailpit:1025');
      expect(env.SECRET_KEY).toMatch(/^\$\{SECRET_KEY:\?/);
    }
    expect(svc('web').ports).toContain('3000:3000');
    expect(svc('mailpit').ports).toEqual(expect.arrayContaining(['8025:8025', '1025:1025']));
  });

  test('the wired environment passes our own config validation', () => {
    const env = {
      ...svc('web').environment!,
      SECRET_KEY: 'x'.repeat(64),
      PUBLIC_URL: 'http://localhost:3000',
      INBOUND_DOMAIN: 'inbound.localhost',
      LOG_LEVEL: 'info',
    };
    const config = loadConfig(env);
    expect(config.database.url).toBe('postgres://postroom:postroom@postgres:5432/postroom');
    expect(config.http.port).toBe(3000);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  test('is multi-stage and runs as a non-root user', () => {
    const stages = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.every((s) => /node:24/.test(s))).toBe(true);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/COPY .*migrations/);
    expect(runtime).toMatch(/ENTRYPOINT \["node", "dist\/main\/cli\.js"\]/);
  });
});
