/**
 * `--metrics=compare`: what metrics cost. (c) in batch mode with metrics off and on (METRICS_PORT,
 * scraped as Prometheus would), alternating for some rounds in the same run; prints the on/off
 * ratio (target ≥ 0.97), the CPU per message, and what the metrics calls alone cost.
 */
import { silentLogger } from '../../src/lib/logger.js';
import { createPrometheusMetrics } from '../../src/main/metrics/prometheus.js';
import type { LineProcess } from '../support/line-process.js';
import { median } from '../support/stats.js';
import { runPostroom, withPostroom, type BenchCtx } from './harness.js';

export interface CompareOptions {
  sinkUrl: string;
  pgUrl: string;
  count: number;
  rounds: number;
  pool: number;
  scrapeSeconds: number;
  sinkCount: () => Promise<number>;
  poster: LineProcess;
}

const fmt = (n: number) => n.toFixed(0);

/**
 * What the Telemetry calls of one sent message cost on their own, without the noise of a busy
 * machine: acceptance, claim, sent, the SMTP reply, the latency, its share of a job batch (50)
 * and of a batch request (1,000).
 */
function telemetryMicroseconds(n = 200_000): number {
  const { telemetry: t } = createPrometheusMetrics(async () => {
    throw new Error('not scraped');
  }, silentLogger);
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    t.messagesTransitioned('new', 'queued', 1);
    t.messagesTransitioned('queued', 'sending', 1);
    t.messagesTransitioned('sending', 'sent', 1);
    t.smtpReplied('smtp', '2xx', 0.012);
    t.messageSent(0.35);
    if (i % 50 === 0) t.jobBatchFinished('outbound.send', 0.4, 50, 0);
    if (i % 1000 === 0) t.httpRequest('POST', '/v1/messages/batch', 202, 0.9);
  }
  return Number(process.hrtime.bigint() - started) / 1000 / n;
}

/** (c) in batch mode, metrics off and on alternately, in the same run: the on/off ratio. */
export async function compareMetrics(o: CompareOptions): Promise<void> {
  const rates: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let round = 1; round <= o.rounds; round++) {
    for (const m of ['off', 'on'] as const) {
      const run = (ctx: BenchCtx) => runPostroom(ctx, o.count, o.scrapeSeconds);
      const { sinkUrl, pgUrl, pool, sinkCount, poster } = o;
      const options = { sinkUrl, pgUrl, mode: 'batch', pool, sinkCount, poster };
      const r = await withPostroom({ ...options, metrics: m === 'on' }, run);
      rates[m].push(r.rate);
      cpu[m].push(r.cpuUsPerMessage);
      console.log(
        `round ${round}, metrics ${m.padEnd(3)}: ${fmt(r.rate)} msg/s, ${fmt(r.cpuUsPerMessage)} µs CPU/msg (${r.scrapes} scrapes)`,
      );
    }
  }
  const ratio = median(rates.on) / median(rates.off);
  console.log(
    `throughput on/off (median of ${o.rounds}): ${fmt(median(rates.on))} / ${fmt(median(rates.off))} msg/s = ${ratio.toFixed(3)} (target ≥ 0.97)`,
  );
  const cost = median(cpu.on) / median(cpu.off);
  console.log(
    `CPU per message on/off: ${fmt(median(cpu.on))} / ${fmt(median(cpu.off))} µs = ${cost.toFixed(3)}`,
  );
  const calls = telemetryMicroseconds();
  console.log(
    `the metrics calls one sent message makes: ${calls.toFixed(2)} µs = ${((calls / median(cpu.off)) * 100).toFixed(2)} % of its CPU`,
  );
}
