/**
 * A database for a bench: BENCH_DATABASE_URL when set, else an embedded PostgreSQL in a temp
 * dir (the OS user postgres must be able to enter it), removed when stopped.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedServer } from '../../src/storage/embedded-server.js';

export async function benchPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'postroom-bench-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedServer({
    dataDir: join(dir, 'pg'),
    port: 0,
    database: 'postgres',
    ephemeral: true,
  });
  return { url: server.url, stop: () => server.stop() };
}
