/**
 * The job monitor (docs/operations.md): every queue with its counts by state, the oldest waiting
 * job's age and its policy; jobs of one state newest first; one job with its payload (secrets
 * redacted), its last error and the objects it names; and the operator's actions, each written
 * to the log with who did it. Reads pg-boss's schema where its API has no call (JobTableReader),
 * acts through its API (JobControl).
 */
import {
  jobError,
  linkedRefs,
  redactSecrets,
  type JobError,
  type LinkedRef,
} from '../../domain/operations/job-payload.js';
import type { Clock } from '../../lib/clock.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import {
  JOB_STATES,
  type JobControl,
  type JobCursor,
  type JobListItem,
  type JobRecord,
  type JobState,
  type JobTableReader,
  type OperationsReader,
  type QueuePolicyView,
} from './ports.js';

export interface JobMonitorDeps {
  jobs: JobTableReader;
  control: JobControl;
  reader: Pick<OperationsReader, 'promptTeams' | 'digestTeams'>;
  clock: Clock;
  log: Logger;
}

export interface QueueSummary {
  name: string;
  counts: Record<JobState, number>;
  oldestWaitingSeconds: number | null;
  settings: QueuePolicyView;
}

export interface JobPage {
  job: Omit<JobRecord, 'data' | 'output'>;
  data: unknown;
  output: unknown;
  error: JobError | null;
  linked: Array<LinkedRef & { teamId?: string }>;
}

/** Who asked, for the audit line. */
export interface Actor {
  email: string;
}

const RETRY_ALL_CHUNK = 500;

function emptyCounts(): Record<JobState, number> {
  return Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
}

export async function queueSummaries(deps: JobMonitorDeps): Promise<QueueSummary[]> {
  const now = deps.clock.now();
  const [queues, counts, oldest] = await Promise.all([
    deps.control.queues(),
    deps.jobs.countsByState(),
    deps.jobs.oldestWaiting(now),
  ]);
  return queues.map((q) => {
    const c = emptyCounts();
    for (const row of counts) if (row.queue === q.name) c[row.state] = row.count;
    const o = oldest.find((x) => x.queue === q.name);
    return {
      name: q.name,
      counts: c,
      oldestWaitingSeconds: o ? Math.round(o.seconds) : null,
      settings: q.settings,
    };
  });
}

async function knownQueue(deps: JobMonitorDeps, name: string): Promise<QueuePolicyView> {
  const q = (await deps.control.queues()).find((x) => x.name === name);
  if (!q) throw new NotFoundError('queue_not_found', `No queue ${name}`);
  return q.settings;
}

export function parseJobState(v: unknown): JobState {
  const s = JOB_STATES.find((x) => x === v);
  if (!s) throw new ValidationError(`State must be one of ${JOB_STATES.join(', ')}`);
  return s;
}

export async function listJobs(
  deps: JobMonitorDeps,
  queue: string,
  state: JobState,
  after: JobCursor | null,
  limit: number,
): Promise<{ jobs: JobListItem[]; next: JobCursor | null }> {
  await knownQueue(deps, queue);
  const found = await deps.jobs.listJobs(queue, state, after, limit + 1);
  const jobs = found.slice(0, limit);
  const last = jobs.at(-1);
  return {
    jobs,
    next: found.length > limit && last ? { createdOn: last.createdOnExact, id: last.id } : null,
  };
}

async function withTeams(deps: JobMonitorDeps, refs: LinkedRef[]): Promise<JobPage['linked']> {
  const ids = (kind: LinkedRef['kind']) => refs.filter((r) => r.kind === kind).map((r) => r.id);
  const [prompts, digests] = await Promise.all([
    deps.reader.promptTeams(ids('prompt')),
    deps.reader.digestTeams(ids('digest')),
  ]);
  const team = new Map([...prompts, ...digests].map((t) => [t.id, t.teamId]));
  return refs.map((r) => (team.has(r.id) ? { ...r, teamId: team.get(r.id)! } : r));
}

export async function jobPage(deps: JobMonitorDeps, queue: string, id: string): Promise<JobPage> {
  const found = await deps.jobs.getJob(queue, id);
  if (!found) throw new NotFoundError('job_not_found', `No job ${id} in ${queue}`);
  const { data, output, ...job } = found;
  // The stack is shown as the error's lines; the rest of the output as it is.
  const { stack: _stack, ...rest } = (output && typeof output === 'object' ? output : {}) as {
    stack?: unknown;
  };
  return {
    job,
    data: redactSecrets(data),
    output: output && typeof output === 'object' ? redactSecrets(rest) : output,
    error: job.state === 'completed' ? null : jobError(output),
    linked: await withTeams(deps, linkedRefs(data)),
  };
}

async function findOrFail(deps: JobMonitorDeps, queue: string, id: string): Promise<JobRecord> {
  const job = await deps.jobs.getJob(queue, id);
  if (!job) throw new NotFoundError('job_not_found', `No job ${id} in ${queue}`);
  return job;
}

/** failed → retry. False when the job is not failed (any more). */
export async function retryJob(deps: JobMonitorDeps, queue: string, id: string, who: Actor) {
  const job = await findOrFail(deps, queue, id);
  const moved = job.state === 'failed' ? await deps.control.retry(queue, [id]) : 0;
  deps.log.info({ audit: 'job.retry', admin: who.email, queue, jobId: id, moved }, 'job retried');
  return moved > 0;
}

/** A waiting job (created or retry) → cancelled. False when it is no longer waiting. */
export async function cancelJob(deps: JobMonitorDeps, queue: string, id: string, who: Actor) {
  const job = await findOrFail(deps, queue, id);
  const waiting = job.state === 'created' || job.state === 'retry';
  const moved = waiting ? await deps.control.cancel(queue, [id]) : 0;
  deps.log.info(
    { audit: 'job.cancel', admin: who.email, queue, jobId: id, moved },
    'job cancelled',
  );
  return moved > 0;
}

/** Every failed job of `queue` → retry, in chunks; returns how many moved. */
export async function retryAllFailed(deps: JobMonitorDeps, queue: string, who: Actor) {
  await knownQueue(deps, queue);
  let moved = 0;
  let after: string | null = null;
  for (;;) {
    const ids = await deps.jobs.failedJobIds(queue, after, RETRY_ALL_CHUNK);
    if (ids.length === 0) break;
    moved += await deps.control.retry(queue, ids);
    after = ids.at(-1)!;
    if (ids.length < RETRY_ALL_CHUNK) break;
  }
  deps.log.info(
    { audit: 'job.retry_all_failed', admin: who.email, queue, moved },
    'failed jobs retried',
  );
  return moved;
}

export function createJobMonitor(deps: JobMonitorDeps) {
  return {
    queues: () => queueSummaries(deps),
    listJobs: (queue: string, state: JobState, after: JobCursor | null, limit: number) =>
      listJobs(deps, queue, state, after, limit),
    job: (queue: string, id: string) => jobPage(deps, queue, id),
    retry: (queue: string, id: string, who: Actor) => retryJob(deps, queue, id, who),
    cancel: (queue: string, id: string, who: Actor) => cancelJob(deps, queue, id, who),
    retryAllFailed: (queue: string, who: Actor) => retryAllFailed(deps, queue, who),
  };
}

export type JobMonitor = ReturnType<typeof createJobMonitor>;
