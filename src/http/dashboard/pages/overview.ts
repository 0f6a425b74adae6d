/** The overview: 24 h outbound counts and failure rate, inbound counts, queue depths, sends/hour. */
import type { Request, Response } from 'express';
import { buildSendsChart, fillHours } from '../view-models/chart.js';
import { statusTone } from '../view-models/status.js';
import type { RouteTable } from '../route-table.js';
import type { PageDeps } from '../page-deps.js';

export function registerOverviewPage(t: RouteTable, deps: PageDeps): void {
  t.get('/', 'admin', (req, res) => overviewPage(deps, req, res));
}

async function overviewPage(deps: PageDeps, req: Request, res: Response): Promise<void> {
  const now = deps.clock.now();
  const o = await deps.services.overview.read(now);
  const outbound = o.outbound && {
    total: o.outbound.total,
    failed: o.outbound.failed,
    failureRate: `${(o.outbound.failureRate * 100).toFixed(1)}%`,
    byStatus: o.outbound.byStatus.map((s) => ({ ...s, tone: statusTone(s.key) })),
    chart: buildSendsChart(
      fillHours(o.outbound.hourly, new Date(now.getTime() - 23 * 3_600_000), 24),
    ),
  };
  const inbound = o.inbound && {
    total: o.inbound.total,
    byStatus: o.inbound.byStatus.map((s) => ({ ...s, tone: statusTone(s.key) })),
  };
  deps.kit.render(
    req,
    res,
    'overview',
    { title: 'Overview', nav: 'overview' },
    {
      since: o.since,
      outbound,
      inbound,
      queues: o.queues,
    },
  );
}
