/**
 * The fault suite (issue 14): `npm run chaos [-- --scenarios=1,2,3,4]`. Each scenario runs real
 * `postroom web` and `postroom worker` processes on one embedded PostgreSQL against an SMTP
 * server in its own process, injects its faults (SIGKILLs, a database outage, a misbehaving
 * server) and prints accepted, delivered, lost, duplicated beyond the in-flight copies, and
 * whether every duplicate was flagged. Results are recorded in docs/reliability.md.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { startDatabase } from './cluster.js';
import { databaseOutage } from './outage.js';
import { IN_FLIGHT, POOL, realisticSink, scaleOutKills, slowSinkKills } from './scenarios.js';

const { values } = parseArgs({ options: { scenarios: { type: 'string', default: '1,2,3,4' } } });

const SCENARIOS = {
  '1': ['1,000 messages to a slow server (200–400 ms), worker SIGKILLed 5 times', slowSinkKills],
  '2': [
    '2 × postroom web + 2 × postroom worker, one worker SIGKILLed 3 times during 2,000',
    scaleOutKills,
  ],
  '3': ['PostgreSQL stopped for 15 s under inbound and outbound load', databaseOutage],
  '4': ['a realistic server: 5 % 4xx, 1 % bad mailboxes, drops, 1–3 recipients', realisticSink],
} as const;

console.log(
  `fault suite: ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs, ` +
    `SMTP pool ${POOL}, ${IN_FLIGHT} in flight per worker (OUTBOUND_SEND_CONCURRENCY default)`,
);
const db = await startDatabase();
try {
  for (const id of values.scenarios!.split(',')) {
    const entry = SCENARIOS[id.trim() as keyof typeof SCENARIOS];
    if (!entry) throw new Error(`no scenario ${id}`);
    console.log(`\n## scenario ${id}: ${entry[0]}`);
    for (const line of await entry[1](db)) console.log(`  ${line}`);
  }
} finally {
  await db.close();
}
process.exit(0);
