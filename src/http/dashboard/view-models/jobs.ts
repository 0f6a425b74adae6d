/** View models for the job monitor: ages, policies, keyset cursors and job state badges. */
import type { JobCursor, JobState, QueuePolicyView } from '../../../services/operations/ports.js';
import { isUuid } from '../../../lib/ids.js';
import type { Tone } from './status.js';

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) {
    const m = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)} h${m ? ` ${m} min` : ''}`;
  }
  const h = Math.floor((s % 86_400) / 3600);
  return `${Math.floor(s / 86_400)} d${h ? ` ${h} h` : ''}`;
}

/** The policy in one line: retries and backoff, expiry, batch size, retention. */
export function policyLines(p: QueuePolicyView): string[] {
  const retry =
    p.retryLimit === 0
      ? 'no retries'
      : `${p.retryLimit} ${p.retryLimit === 1 ? 'retry' : 'retries'}, ${duration(p.retryDelay)} apart` +
        (p.retryBackoff
          ? `, exponential backoff${p.retryDelayMax ? ` up to ${duration(p.retryDelayMax)}` : ''}`
          : '');
  const batch =
    p.batchSize === null
      ? 'not worked by this build'
      : `batch ${p.batchSize} × ${p.localConcurrency ?? 1} loop${(p.localConcurrency ?? 1) > 1 ? 's' : ''} per worker`;
  return [
    `${p.policy} policy; ${retry}`,
    `expires after ${duration(p.expireInSeconds)} active; kept ${duration(p.deleteAfterSeconds)} after finishing`,
    batch + (p.partition ? '; own partition' : '') + (p.notify ? '; woken by NOTIFY' : ''),
    ...(p.deadLetter ? [`dead letters go to ${p.deadLetter}`] : []),
  ];
}

export function jobTone(state: JobState): Tone {
  if (state === 'completed') return 'ok';
  if (state === 'failed' || state === 'cancelled') return 'bad';
  return 'warn';
}

/** `after` in a URL: the microsecond timestamp and the id, joined by a tilde. */
export function encodeCursor(c: JobCursor): string {
  return `${c.createdOn}~${c.id}`;
}

/** A calendar instant as written: Date.parse would roll 2026-02-30 over to March. */
function realInstant(iso: string): boolean {
  const t = Date.parse(iso);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 19) === iso.slice(0, 19);
}

export function decodeCursor(v: unknown): JobCursor | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z)~([0-9a-f-]{36})$/i.exec(v);
  // A hand-edited cursor that PostgreSQL would refuse (month 13, a non-UUID) is no cursor.
  if (!m || !isUuid(m[2]!) || !realInstant(m[1]!)) return null;
  return { createdOn: m[1]!, id: m[2]!.toLowerCase() };
}
