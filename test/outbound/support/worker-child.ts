/**
 * A worker process for the crash test: `postroom worker` wired exactly as in production, with
 * config from the environment. The test SIGKILLs it mid-batch.
 */
import { loadConfig } from '../../../src/config/index.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startProcess } from '../../../src/main/runtime.js';

const config = loadConfig(process.env);
await startProcess(config, { web: false, worker: true }, silentLogger);
process.stdout.write('ready\n');
