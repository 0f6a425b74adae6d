/**
 * Pure view models for the teams and archive pages: participation (completion rate, current
 * streak), the month calendar grid, the search-box grammar (#tag, @mention, free text) and the
 * highlighting of search hits as text segments (the template escapes each segment).
 */

export interface Participation {
  completionRate: string;
  answered: number;
  asked: number;
  streak: number;
}

/** Outcomes newest first. Open prompts (sent/reminded) do not break or extend a streak. */
export function participation(history: readonly { date: string; status: string }[]): Participation {
  const closed = history.filter((h) => h.status !== 'sent' && h.status !== 'reminded');
  const answered = closed.filter((h) => h.status === 'answered').length;
  let streak = 0;
  for (const h of closed) {
    if (h.status !== 'answered') break;
    streak++;
  }
  return {
    completionRate: closed.length === 0 ? '–' : `${Math.round((answered / closed.length) * 100)}%`,
    answered,
    asked: closed.length,
    streak,
  };
}

export interface CalendarCell {
  date: string | null;
  day: number | null;
  count: number;
}

/** Monday-first weeks covering `month` (YYYY-MM); blank cells pad the first and last week. */
export function monthGrid(
  month: string,
  counts: ReadonlyMap<string, number>,
): { weeks: CalendarCell[][]; first: string; last: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
  const cells: CalendarCell[] = Array.from({ length: lead }, () => ({
    date: null,
    day: null,
    count: 0,
  }));
  for (let d = 1; d <= days; d++) {
    const date = `${month}-${String(d).padStart(2, '0')}`;
    cells.push({ date, day: d, count: counts.get(date) ?? 0 });
  }
  while (cells.length % 7 !== 0) cells.push({ date: null, day: null, count: 0 });
  const weeks: CalendarCell[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return { weeks, first: `${month}-01`, last: `${month}-${String(days).padStart(2, '0')}` };
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function isMonth(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(v);
}

/** `#billing @ana "slow deploy"` → tags [billing], mentions [ana], text `"slow deploy"`. */
export function parseSearchBox(q: string): { text: string; tags: string[]; mentions: string[] } {
  const tags: string[] = [];
  const mentions: string[] = [];
  const rest: string[] = [];
  for (const word of q.trim().split(/\s+/).filter(Boolean)) {
    const tag = /^#([\p{L}\p{N}_][\p{L}\p{N}_./-]*)$/u.exec(word);
    const mention = /^@([\p{L}\p{N}_][\p{L}\p{N}_.-]*)$/u.exec(word);
    if (tag) tags.push(tag[1]!.toLowerCase());
    else if (mention) mentions.push(mention[1]!.toLowerCase());
    else rest.push(word);
  }
  return { text: rest.join(' ').slice(0, 500), tags, mentions };
}

export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits `text` into segments, marking case-insensitive occurrences of the search words. */
export function highlight(text: string, words: readonly string[]): Segment[] {
  const terms = words
    .map((w) => w.replace(/^[-"]+|["]+$/g, ''))
    .filter((w) => w.length > 1 && w.toLowerCase() !== 'or');
  if (terms.length === 0) return [{ text, hit: false }];
  const re = new RegExp(
    `(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`,
    'giu',
  );
  return text
    .split(re)
    .filter((s) => s.length > 0)
    .map((s) => ({ text: s, hit: terms.some((t) => t.toLowerCase() === s.toLowerCase()) }));
}

export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
