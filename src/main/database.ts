/**
 * Resolves which PostgreSQL to use: DATABASE_URL when set, otherwise the embedded server in
 * PG_DATA_DIR (started here, or reused when another postroom process already runs it).
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../lib/logger.js';
import { startEmbeddedServer, type EmbeddedServer } from '../storage/embedded-server.js';

export interface ResolvedDatabase {
  url: string;
  embedded: EmbeddedServer | undefined;
}

export async function resolveDatabase(
  config: Readonly<Config>,
  log: Logger,
): Promise<ResolvedDatabase> {
  if (config.database.url) return { url: config.database.url, embedded: undefined };
  const pgLog = log.child({ component: 'embedded-postgres' });
  const embedded = await startEmbeddedServer({
    dataDir: config.database.dataDir,
    port: config.database.embeddedPort,
    database: 'postroom',
    onLog: (line) => pgLog.debug(line),
  });
  log.info(
    { dataDir: embedded.dataDir, owned: embedded.owned },
    embedded.owned
      ? `embedded PostgreSQL started: ${embedded.url}`
      : `using the embedded PostgreSQL already running: ${embedded.url}`,
  );
  return { url: embedded.url, embedded };
}
