/**
 * The job monitor: queues (counts by state, oldest waiting job, policy), jobs of one state with
 * keyset pages, one job (payload with secrets redacted, attempts, times, last error, what it
 * names), the actions (retry a failed job, cancel a waiting one, retry every failed job of a
 * queue after a confirmation; each POST, CSRF-checked and logged with the admin's address),
 * and the workers list.
 */
import type { Request, Response } from 'express';
import { ValidationError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { NotFoundError } from '../../../lib/errors.js';
import { parseJobState } from '../../../services/operations/job-monitor.js';
import { JOB_STATES, type JobListItem } from '../../../services/operations/ports.js';
import type { PageDeps } from '../page-deps.js';
import { str } from '../page-kit.js';
import type { RouteTable } from '../route-table.js';
import type { OperationsPort } from '../services.js';
import { decodeCursor, duration, encodeCursor, jobTone, policyLines } from '../view-models/jobs.js';

interface JobPages extends PageDeps {
  ops: OperationsPort;
}

const LINK: Record<string, (id: string, teamId?: string) => string | null> = {
  message: (id) => `/messages/${id}`,
  inbound_email: (id) => `/inbound/${id}`,
  prompt: (_id, teamId) => (teamId ? `/teams/${teamId}` : null),
  digest: (_id, teamId) => (teamId ? `/teams/${teamId}` : null),
};

export function registerJobPages(t: RouteTable, deps: PageDeps, ops: OperationsPort): void {
  const p: JobPages = { ...deps, ops };
  t.get('/queues', 'admin', (req, res) => queuesPage(p, req, res));
  t.get('/queues/:queue', 'admin', (req, res) => jobsPage(p, req, res));
  t.get('/queues/:queue/jobs/:id', 'admin', (req, res) => jobPage(p, req, res));
  for (const action of ['retry', 'cancel'] as const)
    t.post(`/queues/:queue/jobs/:id/${action}`, 'admin', 'form', (req, res) =>
      jobAction(action, p, req, res),
    );
  t.post('/queues/:queue/retry-failed', 'admin', 'form', (req, res) => retryAll(p, req, res));
  t.get('/workers', 'admin', (req, res) => workersPage(p, req, res));
}

const queueName = (v: unknown): string => {
  const q = String(v);
  if (!/^[\w.:-]{1,100}$/.test(q)) throw new NotFoundError('queue_not_found', 'No such queue');
  return q;
};

const jobId = (v: unknown): string => {
  const id = String(v);
  if (!isUuid(id)) throw new NotFoundError('job_not_found', 'No such job');
  return id;
};

const actor = (res: Response) => ({ email: res.locals.admin!.email });

const jobHref = (queue: string, id: string) =>
  `/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(id)}`;

async function queuesPage(p: JobPages, req: Request, res: Response) {
  const queues = await p.ops.jobs.queues();
  p.kit.render(
    req,
    res,
    'queues',
    { title: 'Queues', nav: 'queues' },
    {
      states: JOB_STATES,
      queues: queues.map((q) => ({
        ...q,
        href: `/queues/${encodeURIComponent(q.name)}`,
        cells: JOB_STATES.map((s) => ({
          state: s,
          count: q.counts[s],
          href: `/queues/${encodeURIComponent(q.name)}?state=${s}`,
          tone: q.counts[s] > 0 && s === 'failed' ? 'bad' : '',
        })),
        oldest: duration(q.oldestWaitingSeconds),
        policy: policyLines(q.settings),
      })),
    },
  );
}

function listRow(queue: string, j: JobListItem) {
  return { ...j, tone: jobTone(j.state), href: jobHref(queue, j.id) };
}

async function jobsPage(p: JobPages, req: Request, res: Response) {
  const queue = queueName(req.params.queue);
  const state = req.query.state === undefined ? 'failed' : parseJobState(req.query.state);
  const after = decodeCursor(req.query.after);
  const page = await p.ops.jobs.listJobs(queue, state, after, p.pageSize);
  const base = `/queues/${encodeURIComponent(queue)}`;
  const summary = (await p.ops.jobs.queues()).find((q) => q.name === queue);
  p.kit.render(
    req,
    res,
    'jobs',
    { title: `Queue ${queue}`, nav: 'queues' },
    {
      queue,
      state,
      failedCount: summary?.counts.failed ?? 0,
      tabs: JOB_STATES.map((s) => ({
        state: s,
        count: summary?.counts[s] ?? 0,
        href: `${base}?state=${s}`,
        current: s === state,
      })),
      jobs: page.jobs.map((j) => listRow(queue, j)),
      firstHref: after ? `${base}?state=${state}` : null,
      nextHref: page.next
        ? `${base}?state=${state}&after=${encodeURIComponent(encodeCursor(page.next))}`
        : null,
    },
  );
}

async function jobPage(p: JobPages, req: Request, res: Response) {
  const queue = queueName(req.params.queue);
  const found = await p.ops.jobs.job(queue, jobId(req.params.id));
  const { job } = found;
  p.kit.render(
    req,
    res,
    'job',
    { title: `Job ${job.id}`, nav: 'queues' },
    {
      ...found,
      queue,
      queueHref: `/queues/${encodeURIComponent(queue)}?state=${job.state}`,
      tone: jobTone(job.state),
      attempts: job.retryCount + (job.startedOn ? 1 : 0),
      retryable: job.state === 'failed',
      cancelable: job.state === 'created' || job.state === 'retry',
      linked: found.linked.map((l) => ({ ...l, href: LINK[l.kind]!(l.id, l.teamId) })),
      actionBase: jobHref(queue, job.id),
    },
  );
}

/** A one-job action: what it calls and what the operator reads after it. */
const ACTIONS = {
  retry: {
    run: (p: JobPages, q: string, id: string, res: Response) => p.ops.jobs.retry(q, id, actor(res)),
    done: 'Job queued for another attempt.',
    refused: 'The job is not failed any more; nothing to retry.',
  },
  cancel: {
    run: (p: JobPages, q: string, id: string, res: Response) =>
      p.ops.jobs.cancel(q, id, actor(res)),
    done: 'Job cancelled.',
    refused: 'The job is no longer waiting; it was not cancelled.',
  },
};

async function jobAction(action: keyof typeof ACTIONS, p: JobPages, req: Request, res: Response) {
  const queue = queueName(req.params.queue);
  const id = jobId(req.params.id);
  const a = ACTIONS[action];
  const moved = await a.run(p, queue, id, res);
  p.kit.redirectWith(res, jobHref(queue, id), moved ? a.done : a.refused, moved ? 'ok' : 'error');
}

/** Needs the form's `confirm=yes` (a checkbox), so a stray POST cannot retry a whole queue. */
async function retryAll(p: JobPages, req: Request, res: Response) {
  const queue = queueName(req.params.queue);
  if (str(req.body.confirm) !== 'yes')
    throw new ValidationError(
      'Tick the box to confirm retrying every failed job of this queue',
      undefined,
      'confirmation_required',
    );
  const moved = await p.ops.jobs.retryAllFailed(queue, actor(res));
  p.kit.redirectWith(
    res,
    `/queues/${encodeURIComponent(queue)}?state=retry`,
    `${moved} failed ${moved === 1 ? 'job' : 'jobs'} queued for another attempt.`,
  );
}

async function workersPage(p: JobPages, req: Request, res: Response) {
  const processes = await p.ops.processes();
  p.kit.render(
    req,
    res,
    'workers',
    { title: 'Workers', nav: 'queues' },
    {
      goneAfter: duration(p.ops.goneAfterSeconds),
      alive: processes.filter((x) => x.alive).length,
      processes: processes.map((x) => ({
        ...x,
        state: x.alive ? 'alive' : 'gone',
        tone: x.alive ? 'ok' : 'bad',
        silent: duration(x.silentSeconds),
      })),
    },
  );
}
