/**
 * The only reader of process.env. Each section (core, outbound, inbound, checkins, …) lives in
 * its own file with its own zod schema; this module runs them all and reports every problem at
 * once, naming the variable.
 */
import { ConfigError, parseSection, type Env } from './env.js';
import { checkCore, coreSchema, toCoreConfig, type CoreConfig } from './core.js';
import { parseOutboundConfig, type OutboundConfig } from './outbound.js';
import { parseDashboardConfig, type DashboardConfig } from './dashboard.js';
import { parseInboundConfig, type InboundConfig } from './inbound.js';
import { parseCheckinsConfig, type CheckinsConfig } from './checkins.js';
import { parseOperationsConfig, type OperationsConfig } from './operations.js';

export { ConfigError } from './env.js';
export type { CoreConfig } from './core.js';
export type { OutboundConfig } from './outbound.js';
export type { DashboardConfig } from './dashboard.js';
export type { InboundConfig } from './inbound.js';
export type { CheckinsConfig } from './checkins.js';
export type { MetricsConfig, OperationsConfig } from './operations.js';
export { loadDotEnv } from './dotenv.js';

export interface Config extends CoreConfig {
  outbound: OutboundConfig;
  dashboard: DashboardConfig;
  inbound: InboundConfig;
  checkins: CheckinsConfig;
  operations: OperationsConfig;
}

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const problems: string[] = [];
  const core = parseSection(coreSchema, env, problems);
  const outbound = parseOutboundConfig(env, problems);
  const dashboard = parseDashboardConfig(env, env.NODE_ENV ?? 'development', problems);
  const inbound = parseInboundConfig(env, problems);
  const checkins = parseCheckinsConfig(env, problems);
  const operations = parseOperationsConfig(env, env.NODE_ENV ?? 'development', problems);
  // Sections are parsed even after an earlier one failed, so the message lists everything.
  if (!core) throw new ConfigError(problems);
  const config: Config = {
    ...toCoreConfig(core),
    outbound: outbound!,
    dashboard: dashboard!,
    inbound: inbound!,
    checkins: checkins!,
    operations: operations!,
  };
  checkCore(config, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
