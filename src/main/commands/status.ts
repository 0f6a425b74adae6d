/**
 * `postroom status [--json]`: what an operator checks first. The processes (from their
 * heartbeat rows: alive, or gone after three missed beats), every queue's depth (pg-boss's
 * counts), the failures of the last hour (failed jobs per queue, failed mail) and the database
 * size. Exit 0 with at least one live worker, 1 without (so a health check can use it).
 */
import { parseArgs } from 'node:util';
import type { StatusReport } from '../../services/operations/index.js';
import type { CommandContext } from './context.js';
import { stderr, type CommandIo } from './features.js';

export type StatusContext = Pick<CommandContext, 'withContainer'> & Partial<CommandIo>;

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

function ago(seconds: number): string {
  return seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

/** The report as lines of text, aligned for a terminal. */
export function formatStatus(r: StatusReport): string[] {
  const alive = r.processes.filter((p) => p.alive);
  const lines = [`Processes: ${alive.length} alive`];
  for (const p of r.processes) {
    lines.push(
      `  ${p.alive ? 'alive' : 'gone '}  ${p.roles.join('+').padEnd(10)} ${p.host}:${p.pid}  v${p.version}` +
        `  started ${p.startedAt.toISOString()}  heartbeat ${ago(p.silentSeconds)}`,
    );
  }
  const width = Math.max(5, ...r.queues.map((q) => q.name.length));
  lines.push('', `Queues${' '.repeat(width - 4)}ready  deferred  active  failed`);
  for (const q of r.queues) {
    const n = (v: number, w: number) => String(v).padStart(w);
    lines.push(
      `  ${q.name.padEnd(width)}${n(q.ready, 7)}${n(q.deferred, 10)}${n(q.active, 8)}${n(q.failed, 8)}`,
    );
  }
  const failedJobs = r.failedJobsLastHour.reduce((a, f) => a + f.count, 0);
  lines.push('', `Failures in the last hour: ${failedJobs} failed jobs`);
  for (const f of r.failedJobsLastHour) lines.push(`  ${f.queue}: ${f.count}`);
  lines.push(
    `  outbound messages failed, bounced or expired: ${r.mailFailuresLastHour.outbound}`,
    `  inbound emails failed: ${r.mailFailuresLastHour.inbound}`,
    '',
    `Database: ${megabytes(r.databaseBytes)}`,
  );
  return lines;
}

export async function runStatusCommand(argv: string[], ctx: StatusContext): Promise<number> {
  const out = ctx.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = ctx.err ?? stderr;
  let json: boolean;
  try {
    json = Boolean(parseArgs({ args: argv, options: { json: { type: 'boolean' } } }).values.json);
  } catch (e) {
    err(`postroom status: ${(e as Error).message}\nUsage: postroom status [--json]`);
    return 2;
  }
  const report = await ctx.withContainer((c) => c.operations.services.status());
  if (json) out(JSON.stringify(report, null, 2));
  else for (const line of formatStatus(report)) out(line);
  const workers = report.processes.filter((p) => p.alive && p.roles.includes('worker'));
  if (workers.length === 0) err('postroom status: no worker process is alive; jobs are not worked');
  return workers.length > 0 ? 0 : 1;
}
