/**
 * Operating Postroom: Prometheus metrics (`/metrics`) and the process heartbeat the workers page
 * and `postroom status` read.
 *
 * Metrics are served on the main port outside production. In production they are off there
 * unless METRICS_TOKEN is set (then a Bearer token is required), so a default install never
 * publishes its internals. METRICS_PORT serves them on a port of their own instead (never on
 * the main port), for a network Prometheus reaches and the internet does not.
 */
import { z } from 'zod';
import { boolWithDefault, intWithDefault, optionalString, parseSection, type Env } from './env.js';

const schema = z.object({
  METRICS_ENABLED: boolWithDefault(true),
  METRICS_TOKEN: optionalString().pipe(
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  METRICS_PORT: optionalString().pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be a port number'))
      .optional(),
  ),
  METRICS_HOST: optionalString(),
  PROCESS_HEARTBEAT_SECONDS: intWithDefault(10, 1, 3600),
});

export interface MetricsConfig {
  /** Whether this process counts at all (false: a no-op telemetry, no endpoint anywhere). */
  enabled: boolean;
  /** `Authorization: Bearer <token>` is required wherever /metrics is served. */
  token: string | undefined;
  /** A listener of its own for /metrics (0 picks a free port); unset: none. */
  port: number | undefined;
  host: string | undefined;
  /** /metrics on the main HTTP port. */
  onMainPort: boolean;
}

export interface OperationsConfig {
  metrics: MetricsConfig;
  /** How often each process refreshes its heartbeat row; it reads as gone after 3 missed. */
  heartbeatSeconds: number;
}

export function toOperationsConfig(v: z.infer<typeof schema>, nodeEnv: string): OperationsConfig {
  const enabled = v.METRICS_ENABLED;
  const port = v.METRICS_PORT;
  const onMainPort =
    enabled && port === undefined && (nodeEnv !== 'production' || v.METRICS_TOKEN !== undefined);
  return {
    metrics: { enabled, token: v.METRICS_TOKEN, port, host: v.METRICS_HOST, onMainPort },
    heartbeatSeconds: v.PROCESS_HEARTBEAT_SECONDS,
  };
}

export function parseOperationsConfig(
  env: Env,
  nodeEnv: string,
  problems: string[],
): OperationsConfig | undefined {
  const v = parseSection(schema, env, problems);
  return v ? toOperationsConfig(v, nodeEnv) : undefined;
}
