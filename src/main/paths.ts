import { fileURLToPath } from 'node:url';

/** src/main and dist/main sit at the same depth, so one relative path serves both. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
