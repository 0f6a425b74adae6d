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
  profiles?: string[];
  volumes?: string[];
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
    // What `docker compose up` starts: the services outside any profile.
    const started = Object.entries(compose.services).filter(([, s]) => !s.profiles);
    expect(started.map(([name]) => name).sort()).toEqual([
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

describe('docker-compose.yml, profile observability', () => {
  const prometheus = parse(readFileSync(join(root, 'docs/grafana/prometheus.yml'), 'utf8')) as {
    scrape_configs: Array<{ dns_sd_configs: Array<{ names: string[]; port: number }> }>;
  };

  test('Prometheus and Grafana run only with the profile', () => {
    expect(svc('prometheus').profiles).toEqual(['observability']);
    expect(svc('grafana').profiles).toEqual(['observability']);
    expect(svc('prometheus').image).toMatch(/^prom\/prometheus:v\d/);
    expect(svc('grafana').image).toMatch(/^grafana\/grafana:\d/);
  });

  test('Prometheus scrapes every web and worker container on METRICS_PORT, never published', () => {
    const port = Number(svc('web').environment!.METRICS_PORT);
    expect(port).toBeGreaterThan(0);
    expect(svc('worker').environment!.METRICS_PORT).toBe(String(port));
    for (const name of ['web', 'worker'])
      expect((svc(name).ports ?? []).some((p) => p.includes(String(port)))).toBe(false);
    const config = loadConfig({
      ...svc('web').environment!,
      SECRET_KEY: 'x'.repeat(64),
      PUBLIC_URL: 'http://localhost:3000',
      INBOUND_DOMAIN: 'inbound.localhost',
      LOG_LEVEL: 'info',
    });
    // Production: on the metrics port only, not on the main one.
    expect(config.operations.metrics).toMatchObject({ port, onMainPort: false, enabled: true });
    const sd = prometheus.scrape_configs[0]!.dns_sd_configs[0]!;
    expect(sd.names.sort()).toEqual(['web', 'worker']);
    expect(sd.port).toBe(port);
    expect(svc('prometheus').volumes).toContain(
      './docs/grafana/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  test("Grafana is provisioned with the Prometheus datasource and the repository's dashboard", () => {
    const mounts = svc('grafana').volumes!;
    expect(mounts).toContain('./docs/grafana/provisioning:/etc/grafana/provisioning:ro');
    const dashboard = mounts.find((m) => m.startsWith('./docs/grafana/postroom.json:'))!;
    const provider = parse(
      readFileSync(join(root, 'docs/grafana/provisioning/dashboards/postroom.yml'), 'utf8'),
    ) as { providers: Array<{ options: { path: string } }> };
    expect(dashboard.split(':')[1]!.startsWith(provider.providers[0]!.options.path)).toBe(true);
    const ds = parse(
      readFileSync(join(root, 'docs/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: Array<{ type: string; url: string }> };
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
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
