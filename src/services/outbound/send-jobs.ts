/**
 * How queued messages become outbound.send jobs, for accept and the sweeper alike: one job per
 * message, or (jobMode 'batch') groups of jobGroupSize, never mixing priorities, so the
 * priority lanes hold.
 */
import type { SendPayload } from './job-payloads.js';
import type { OutboundSettings } from './settings.js';

export interface SendJob {
  data: SendPayload;
  priority: number;
}

/** The jobs for these messages, grouped by priority in the order the priorities first appear. */
export function sendJobsFor(
  messages: ReadonlyArray<{ id: string; priority: number }>,
  settings: Pick<OutboundSettings, 'jobMode' | 'jobGroupSize'>,
): SendJob[] {
  const byPriority = new Map<number, string[]>();
  for (const m of messages) {
    const list = byPriority.get(m.priority) ?? [];
    list.push(m.id);
    byPriority.set(m.priority, list);
  }
  const size = settings.jobMode === 'batch' ? settings.jobGroupSize : 1;
  const jobs: SendJob[] = [];
  for (const [priority, ids] of byPriority) {
    for (let i = 0; i < ids.length; i += size)
      jobs.push({ data: { ids: ids.slice(i, i + size) }, priority });
  }
  return jobs;
}
