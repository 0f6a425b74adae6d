#!/usr/bin/env node
/**
 * The `postroom` command. `start` runs web and worker in one process (what `npm start` runs);
 * `web` and `worker` run one role each, to scale out on one Postgres; `migrate` applies
 * migrations. Features add sub-commands to COMMANDS.
 */
import { ConfigError, loadConfig, loadDotEnv, type Config } from '../config/index.js';
import { coerceError } from '../lib/errors.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { createPool, waitForDatabase } from '../storage/db.js';
import { migrate } from '../storage/migrator.js';
import { createCommandContext, type CommandContext } from './commands/context.js';
import { runDigestsCommand, runPromptsCommand } from './commands/checkins.js';
import { runAdminCommand } from './commands/admin.js';
import { runInboundCommand } from './commands/inbound.js';
import { runRelayCommand } from './commands/relay.js';
import { runRoutesCommand } from './commands/routes.js';
import { runKeysCommand } from './commands/keys.js';
import { runDemoCommand } from './commands/demo.js';
import { runReplayCommand } from './commands/replay.js';
import { runSendCommand } from './commands/send.js';
import { runStatusCommand } from './commands/status.js';
import { resolveDatabase } from './database.js';
import { MIGRATIONS_DIR } from './paths.js';
import { startProcess, type RunningProcess } from './runtime.js';
import { onShutdownSignal, takeOverSignals } from './signals.js';
import type { Roles } from './container.js';

type Command = (argv: string[], ctx: CommandContext) => Promise<number>;

/** Sub-commands contributed by features: name → runner. */
const COMMANDS: Record<string, { summary: string; run: Command }> = {
  digests: {
    summary: 'check-in digests: digests run --team <id> --date YYYY-MM-DD [--resend]',
    run: runDigestsCommand,
  },
  prompts: {
    summary: 'check-in prompts: prompts run --team <id> (plan the due prompts now)',
    run: runPromptsCommand,
  },
  admin: {
    summary: 'dashboard administrators: admin create --email <address> | admin list',
    run: runAdminCommand,
  },
  relay: {
    summary: 'pipe one message from stdin to POST /inbound/relay (exit 75 temporary, 69 permanent)',
    run: (argv, ctx) => runRelayCommand(argv, ctx),
  },
  inbound: {
    summary: 'inbound reprocess <id>... | inbound reprocess --status failed [--limit N]',
    run: runInboundCommand,
  },
  routes: {
    summary:
      'inbound routes: routes list | add MATCH ACTION | remove|enable|disable <id> | test --to ADDR | default ACTION',
    run: runRoutesCommand,
  },
  keys: {
    summary:
      'API keys: keys create --name <name> --scopes send,read,admin | keys list | keys revoke <id>',
    run: runKeysCommand,
  },
  send: {
    summary:
      'send a test message: send --to <address> --subject <text> --text <text>|--html-file <f>',
    run: runSendCommand,
  },
  status: {
    summary: 'processes, queue depths, failures in the last hour, database size [--json]',
    run: runStatusCommand,
  },
  demo: {
    summary: 'seed a demo team (a week of prompts, replies, entries, digests); demo --remove',
    run: runDemoCommand,
  },
  replay: {
    summary:
      'replay FILE.eml --provider mailgun|sendgrid|postmark|ses|relay [--url URL] [--dry-run]',
    run: (argv, ctx) => runReplayCommand(argv, ctx),
  },
};

const USAGE = `Usage: postroom <command>

  start      web and worker in one process (npm start)
  web        HTTP only (webhooks, API, dashboard)
  worker     job workers and schedules only
  migrate    apply database migrations and exit
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}
Configuration comes from the environment and ./.env (the environment wins); see .env.example.`;

function makeLogger(config: Readonly<Config>, fd: 1 | 2): Logger {
  const pretty =
    config.log.format === 'pretty' ||
    (config.log.format === 'auto' && Boolean(process.stdout.isTTY));
  return createLogger({ level: config.log.level, pretty, fd });
}

async function runServer(config: Readonly<Config>, roles: Roles): Promise<number> {
  const log = makeLogger(config, 1);
  const started = Date.now();
  // Set once start-up finishes; the signal handler reads it.
  const state: { proc?: RunningProcess } = {};
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  // Installed before start-up: a signal while we start must not kill us with an embedded
  // postgres still running. Nothing is in flight yet, so exiting (which stops it) is enough.
  onShutdownSignal((signal) => {
    const proc = state.proc;
    if (!proc) {
      log.warn({ signal }, 'signal during start-up, exiting');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    proc.stop().then(
      () => {
        log.info('stopped');
        finish(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        finish(1);
      },
    );
  });
  const proc = await startProcess(config, roles, log);
  state.proc = proc;
  log.info(
    {
      roles: Object.keys(roles).filter((r) => roles[r as keyof Roles]),
      port: proc.port,
      database: proc.container.database.url.replace(/:[^:@/]*@/, ':***@'),
      ms: Date.now() - started,
    },
    proc.port ? `postroom ready on http://localhost:${proc.port}` : 'postroom worker ready',
  );
  return finished;
}

async function runMigrate(config: Readonly<Config>): Promise<number> {
  const log = makeLogger(config, 2);
  const database = await resolveDatabase(config, log);
  const pool = createPool(database.url, 2);
  try {
    await waitForDatabase(pool, config.database.connectTimeoutSeconds);
    const result = await migrate(pool, MIGRATIONS_DIR, (m) => log.info(m));
    process.stdout.write(
      `migrations: ${result.applied.length} applied, ${result.alreadyApplied} already in place\n`,
    );
    return 0;
  } finally {
    await pool.end();
    await database.embedded?.stop();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  let config: Readonly<Config>;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`postroom: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  takeOverSignals();
  switch (command) {
    case 'start':
      return runServer(config, { web: true, worker: true });
    case 'web':
      return runServer(config, { web: true, worker: false });
    case 'worker':
      return runServer(config, { web: false, worker: true });
    case 'migrate':
      return runMigrate(config);
    default: {
      const sub = COMMANDS[command];
      if (!sub) {
        process.stderr.write(`postroom: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
      }
      return sub.run(rest, createCommandContext(config, makeLogger(config, 2)));
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (raw: unknown) => {
    const err = coerceError(raw);
    // One line for the operator; the stack only when asked for.
    process.stderr.write(`postroom: ${err.message}\n`);
    if (process.argv.includes('--debug')) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);
