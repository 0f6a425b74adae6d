/**
 * The PostgreSQL a bench runs on: `BENCH_DATABASE_URL` when set, or a throwaway embedded server
 * in a temp dir, stopped by `stop`.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedServer } from '../../src/storage/embedded-server.js';

export interface BenchPostgres {
  url: string;
  stop: () => Promise<void>;
}

export async function benchPostgres(databaseUrl: string | undefined): Promise<BenchPostgres> {
  if (databaseUrl) return { url: databaseUrl, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'postroom-bench-'));
  chmodSync(dir, 0o755); // the postgres OS user must be able to enter it
  const server = await startEmbeddedServer({
    dataDir: join(dir, 'pg'),
    port: 0,
    database: 'postgres',
    ephemeral: true,
  });
  return { url: server.url, stop: () => server.stop() };
}
