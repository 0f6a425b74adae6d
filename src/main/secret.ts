import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config/index.js';

/**
 * SECRET_KEY signs reply tokens and links, so it must be stable across restarts. With an
 * external DATABASE_URL it must be configured; on the embedded default we keep a generated one
 * next to the data dir, so `npm start` works with no settings at all.
 */
export function resolveSecretKey(config: Readonly<Config>): string {
  if (config.secretKey) return config.secretKey;
  const file = resolve(config.database.dataDir, '..', 'secret-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
