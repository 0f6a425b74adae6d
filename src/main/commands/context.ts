import type { Config } from '../../config/index.js';
import type { Logger } from '../../lib/logger.js';
import { createContainer, type Container } from '../container.js';

/** What a CLI sub-command gets: config, a logger on stderr, and a way to open the app. */
export interface CommandContext {
  config: Readonly<Config>;
  log: Logger;
  /** Opens the database (embedded or DATABASE_URL) and pg-boss without web or workers. */
  withContainer<T>(fn: (container: Container) => Promise<T>): Promise<T>;
  /** Where command output goes (stdout); tests capture it. */
  out: (line: string) => void;
}

export function createCommandContext(
  config: Readonly<Config>,
  log: Logger,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): CommandContext {
  return {
    config,
    log,
    out,
    async withContainer(fn) {
      const container = await createContainer(config, {
        roles: { web: false, worker: false },
        log,
      });
      try {
        await container.start();
        return await fn(container);
      } finally {
        await container.stop();
      }
    },
  };
}
