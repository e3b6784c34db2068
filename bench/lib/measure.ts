// Closed-loop load (each of N workers sends its next request when the previous one answered),
// per-run percentiles, and the median over runs. The runs of "ours" and of the floor alternate,
// so a noisy neighbour slows both rather than one.
import type { Server } from './server.ts';

export type Op = (ctx: { worker: number; i: number }) => Promise<number>;

export interface RunStats {
  p50: number;
  p99: number;
  /** Requests per second. */
  opsPerSec: number;
  /** Units (rows, steps) per second: equals opsPerSec when an op is one unit. */
  unitsPerSec: number;
  count: number;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `op` on `concurrency` workers for `durationMs` (and at least `minOps` requests). */
export async function closedLoop(op: Op, concurrency: number, durationMs: number, minOps = 3): Promise<RunStats> {
  const latencies: number[] = [];
  let units = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() - started < durationMs || next < minOps) {
        const i = next++;
        const t0 = performance.now();
        // Not `units += await op()`: that reads `units` before the await and loses other workers' counts.
        const done = await op({ worker, i });
        latencies.push(performance.now() - t0);
        units += done;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    opsPerSec: latencies.length / seconds,
    unitsPerSec: units / seconds,
    count: latencies.length,
  };
}

export interface Variant {
  label: string;
  op: Op;
  /** Called before every run (warm-up included) with a tag unique to that run. */
  setup?: (tag: string) => Promise<void>;
  /** Goes through the server, so its memory is watched. */
  viaServer: boolean;
  /** The server a viaServer variant talks to (set by the harness once it has started it). */
  server?: Server;
}

export interface Summary {
  label: string;
  p50: number;
  p99: number;
  opsPerSec: number;
  unitsPerSec: number;
  requests: number;
  /** Largest server peak RSS over the runs, MB (variants through the server only). */
  peakRssMb: number | null;
}

export interface MeasureOptions {
  runs: number;
  durationMs: number;
  warmupMs: number;
}

async function runOnce(v: Variant, concurrency: number, durationMs: number, tag: string, minOps: number) {
  await v.setup?.(tag);
  const server = v.server;
  if (!v.viaServer || !server) return { stats: await closedLoop(v.op, concurrency, durationMs, minOps), peak: null };
  const resetOk = server.resetPeak();
  let sampled = server.rssMb();
  const timer = setInterval(() => (sampled = Math.max(sampled, server.rssMb())), 50);
  try {
    const stats = await closedLoop(v.op, concurrency, durationMs, minOps);
    return { stats, peak: Math.max(sampled, resetOk ? server.peakMb() : 0) };
  } finally {
    clearInterval(timer);
  }
}

/** Warm-up, then `runs` alternating runs of every variant; medians of each statistic. */
export async function measure(variants: Variant[], concurrency: number, o: MeasureOptions): Promise<Summary[]> {
  for (const v of variants) await runOnce(v, concurrency, o.warmupMs, 'warm', 1);
  const results = variants.map(() => [] as { stats: RunStats; peak: number | null }[]);
  for (let r = 0; r < o.runs; r += 1) {
    const order = variants.map((_, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) results[i]!.push(await runOnce(variants[i]!, concurrency, o.durationMs, `r${r}`, 3));
  }
  return variants.map((v, i) => {
    const runs = results[i]!;
    const peaks = runs.map((r) => r.peak).filter((p): p is number => p !== null);
    return {
      label: v.label,
      p50: median(runs.map((r) => r.stats.p50)),
      p99: median(runs.map((r) => r.stats.p99)),
      opsPerSec: median(runs.map((r) => r.stats.opsPerSec)),
      unitsPerSec: median(runs.map((r) => r.stats.unitsPerSec)),
      requests: runs.reduce((n, r) => n + r.stats.count, 0),
      peakRssMb: peaks.length ? Math.max(...peaks) : null,
    };
  });
}
