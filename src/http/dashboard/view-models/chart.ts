/**
 * Sends per hour as an inline SVG bar chart (no chart library: the page must work offline and
 * without JavaScript). Pure: buckets in, coordinates out; the template draws rects and labels.
 */
import type { HourBucket } from '../../../services/dashboard/ports/index.js';

export interface ChartBar {
  x: number;
  w: number;
  sentY: number;
  sentH: number;
  failedY: number;
  failedH: number;
  title: string;
}

export interface ChartModel {
  width: number;
  height: number;
  bars: ChartBar[];
  labels: { x: number; text: string }[];
  max: number;
  maxY: number;
  empty: boolean;
}

const W = 720;
const H = 160;
const PAD_BOTTOM = 18;
const PAD_TOP = 14;

/** Fills missing hours with zeros so the x axis is continuous over [start, start+hours). */
export function fillHours(
  buckets: readonly HourBucket[],
  start: Date,
  hours: number,
): HourBucket[] {
  const byHour = new Map(buckets.map((b) => [b.hour.getTime(), b]));
  const first = Math.floor(start.getTime() / 3_600_000) * 3_600_000;
  return Array.from({ length: hours }, (_, i) => {
    const t = first + i * 3_600_000;
    const b = byHour.get(t);
    return { hour: new Date(t), sent: b?.sent ?? 0, failed: b?.failed ?? 0 };
  });
}

export function buildSendsChart(buckets: readonly HourBucket[]): ChartModel {
  const max = Math.max(0, ...buckets.map((b) => b.sent + b.failed));
  const plotH = H - PAD_BOTTOM - PAD_TOP;
  const slot = buckets.length > 0 ? W / buckets.length : W;
  const w = Math.max(1, Math.floor(slot * 0.75));
  const scale = (n: number) => (max === 0 ? 0 : Math.round((n / max) * plotH * 10) / 10);
  const bars = buckets.map((b, i) => {
    const sentH = scale(b.sent);
    const failedH = scale(b.failed);
    const x = Math.round(i * slot + (slot - w) / 2);
    const base = H - PAD_BOTTOM;
    return {
      x,
      w,
      sentY: base - sentH,
      sentH,
      failedY: base - sentH - failedH,
      failedH,
      title: `${b.hour.toISOString().slice(11, 13)}:00 UTC: ${b.sent} sent, ${b.failed} failed`,
    };
  });
  const labels = buckets
    .map((b, i) => ({ i, h: b.hour.getUTCHours() }))
    .filter(({ i }) => i % 3 === 0)
    .map(({ i, h }) => ({
      x: Math.round(i * slot + slot / 2),
      text: `${String(h).padStart(2, '0')}h`,
    }));
  return { width: W, height: H, bars, labels, max, maxY: PAD_TOP - 3, empty: max === 0 };
}
