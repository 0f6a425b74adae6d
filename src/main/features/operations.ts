/**
 * Wires operating Postroom: the Prometheus metrics (the Telemetry every other feature reports
 * to, GET /metrics on the main port or on METRICS_PORT), the job monitor over pg-boss, the
 * process heartbeat, and the usage the CLI's `status` prints. Built first, because the other
 * features take its telemetry.
 */
import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { PgBoss } from 'pg-boss';
import { newId } from '../../lib/ids.js';
import { observeRequests } from '../../http/middleware/metrics.js';
import { createMetricsApp, mountMetrics } from '../../http/routes/metrics.js';
import { openApi } from '../../http/openapi/registry.js';
import { createJobControl } from '../../jobs/job-control.js';
import type { QueueRegistry } from '../../jobs/registry.js';
import {
  createOperationsServices,
  type Heartbeat,
  type OperationsServices,
} from '../../services/operations/index.js';
import type { ProcessRole } from '../../services/operations/ports.js';
import { noTelemetry, type Telemetry } from '../../services/telemetry.js';
import { createReadModels, repositories } from '../../storage/index.js';
import type { Feature, FeatureContext, ProcessRoles } from '../feature.js';
import { createPrometheusMetrics, type PrometheusMetrics } from '../metrics/prometheus.js';
import { PROJECT_ROOT } from '../paths.js';

export interface OperationsFeature extends Feature {
  services: OperationsServices;
  telemetry: Telemetry;
  /** Null when metrics are off (METRICS_ENABLED=false, or production without a token or port). */
  metrics: PrometheusMetrics | null;
  /** The request timer for the main app, when metrics are on. */
  observe: ReturnType<typeof observeRequests> | undefined;
  /** The port METRICS_PORT bound (0 picks one), once started. */
  metricsPort(): number | undefined;
}

/** package.json's version: what the workers page reports for each process. */
export function postroomVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function listen(app: ReturnType<typeof createMetricsApp>, port: number, host: string) {
  return new Promise<Server>((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

export function createOperationsFeature(
  ctx: Omit<FeatureContext, 'queue' | 'telemetry'>,
  pgBoss: { boss: PgBoss; registry: QueueRegistry },
): OperationsFeature {
  const { config, db, clock } = ctx;
  const log = ctx.log.child({ feature: 'operations' });
  const reads = createReadModels(db, { bossSchema: config.pgBossSchema });
  const services = createOperationsServices({
    db,
    processHeartbeats: repositories.processHeartbeats,
    jobs: reads.jobs,
    control: createJobControl(pgBoss.boss, pgBoss.registry),
    reader: reads.operations,
    clock,
    log,
    heartbeatSeconds: config.operations.heartbeatSeconds,
  });
  const m = config.operations.metrics;
  const serving = m.enabled && (m.onMainPort || m.port !== undefined);
  const metrics = serving ? createPrometheusMetrics(() => services.snapshot(), log) : null;
  const telemetry = metrics?.telemetry ?? noTelemetry;
  let heartbeat: Heartbeat | undefined;
  let server: Server | undefined;
  return {
    name: 'operations',
    services,
    telemetry,
    metrics,
    observe: metrics ? observeRequests(telemetry) : undefined,
    metricsPort() {
      const a = server?.address();
      return typeof a === 'object' && a ? a.port : undefined;
    },
    mount(app) {
      if (metrics && m.onMainPort) mountMetrics(app, metrics, m.token, openApi);
    },
    async start(roles: ProcessRoles) {
      const mine = (['web', 'worker'] as const).filter((r): r is ProcessRole => roles[r]);
      heartbeat = await services.startHeartbeat({
        id: newId(),
        host: hostname(),
        pid: process.pid,
        roles: mine,
        version: postroomVersion(),
        startedAt: clock.now(),
      });
      if (metrics && m.port !== undefined) {
        const host = m.host ?? config.http.host;
        server = await listen(createMetricsApp(metrics, m.token, log), m.port, host);
        log.info({ port: this.metricsPort(), host }, 'metrics listening');
      }
    },
    async close() {
      if (server) {
        const closing = new Promise<void>((r) => server!.close(() => r()));
        server.closeAllConnections();
        await closing;
      }
      server = undefined;
      await heartbeat?.stop();
      heartbeat = undefined;
    },
  };
}
