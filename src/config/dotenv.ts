/**
 * `.env` support: Node's own loader (`process.loadEnvFile`), so no library is needed. Variables
 * already in the environment win over the file, as with `node --env-file-if-exists`. Only this
 * folder touches process.env; the CLI calls this once before loadConfig().
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Loads `path` (default `./.env`) when it exists; returns the file it loaded, if any. */
export function loadDotEnv(path = '.env'): string | null {
  const file = resolve(path);
  if (!existsSync(file)) return null;
  process.loadEnvFile(file);
  return file;
}
