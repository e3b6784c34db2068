// Tables for the terminal and sections for BENCHMARKS.md: the command, the machine, the dataset,
// the figures with their ratio to the floor, and which targets were met.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { DatasetMeta } from './db.ts';
import type { Summary } from './measure.ts';
import { REPO_ROOT } from './server.ts';

export const BENCHMARKS_MD = join(REPO_ROOT, 'BENCHMARKS.md');

export async function machineLines(pool: pg.Pool): Promise<string[]> {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const { rows } = await pool.query<{ version: string; sb: string; wm: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS sb, current_setting('work_mem') AS wm`,
  );
  const load = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  return [
    `${os.availableParallelism()} CPUs (nproc), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `Node ${process.version}; PostgreSQL ${rows[0]!.version} on the same machine (shared_buffers ${rows[0]!.sb}, work_mem ${rows[0]!.wm})`,
    `load average at start: ${load}`,
  ];
}

export function datasetLine(database: string, meta: DatasetMeta): string {
  const c = meta.counts;
  const n = (k: string) => (c[k] ?? 0).toLocaleString('en-US');
  return (
    `\`${database}\`: ${n('steps')} steps, ${n('traces')} traces, ${n('runs')} runs, ${n('llmRuns')} LLM runs, ` +
    // Datasets generated before global system records had a table of their own counted them in systemRecords.
    `${n('systemRecords')} system records${c.globalSystemRecords === undefined ? '' : ` (+ ${n('globalSystemRecords')} global)`}, ` +
    `${n('auditEntries')} audit entries, ${n('incidents')} incidents, ${n('tenants')} tenants ` +
    `(generator v${meta.generatorVersion}, seed ${meta.seed}, traces ${meta.from.slice(0, 10)} – ${meta.to.slice(0, 10)})`
  );
}

export interface BenchResult {
  group: string;
  title: string;
  concurrency: number;
  unit: 'req' | 'steps';
  check: string;
  ours: Summary;
  floor: Summary;
  /** The peer (PostGraphile) on the same request, where it can express it. */
  peer?: Summary;
  baselines: Summary[];
  /** Set when the benchmark failed twice; the figures are then NaN. */
  error?: string;
}

const ms = (x: number) => (Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const rate = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const ratio = (x: number) => `${x.toFixed(2)}×`;
const mb = (x: number | null) => (x === null ? '–' : x.toFixed(0));

export function resultTable(results: BenchResult[]): string {
  const head = [
    '| Benchmark | Conc. | Variant | p50 ms | p99 ms | Throughput | p50 ÷ floor | p99 ÷ floor | Throughput ÷ floor | Server peak RSS MB | Throughput ours ÷ postgraphile |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const lines: string[] = [];
  for (const r of results) {
    if (r.error) {
      lines.push(`| ${r.title} | ${r.concurrency} | **failed**: ${r.error.replace(/\|/g, '\\|')} | | | | | | | | |`);
      continue;
    }
    const unit = r.unit === 'req' ? 'req/s' : 'steps/s';
    const vsPeer = (s: Summary) => (s === r.ours && r.peer ? `**${ratio(r.ours.unitsPerSec / r.peer.unitsPerSec)}**` : '');
    const row = (s: Summary, first: boolean, isFloor: boolean) =>
      `| ${first ? r.title : ''} | ${first ? r.concurrency : ''} | ${s.label} | ${ms(s.p50)} | ${ms(s.p99)} | ${rate(s.unitsPerSec)} ${unit} | ` +
      `${isFloor ? '1' : ratio(s.p50 / r.floor.p50)} | ${isFloor ? '1' : ratio(s.p99 / r.floor.p99)} | ${isFloor ? '1' : ratio(s.unitsPerSec / r.floor.unitsPerSec)} | ${mb(s.peakRssMb)} | ${vsPeer(s)} |`;
    const others = [...(r.peer ? [r.peer] : []), ...r.baselines];
    lines.push(row(r.ours, true, false), row(r.floor, false, true), ...others.map((b) => row(b, false, false)));
  }
  return [...head, ...lines].join('\n');
}

/** Ours next to the peer only, one row per benchmark both ran: the figures issue 10 is judged by. */
export function peerTable(results: BenchResult[]): string | null {
  const both = results.filter((r) => !r.error && r.peer);
  if (!both.length) return null;
  return [
    '| Benchmark | Conc. | ours req/s | postgraphile req/s | **ours ÷ postgraphile** | p50 ms ours / postgraphile | p99 ms ours / postgraphile | peak RSS MB ours / postgraphile |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...both.map((r) => {
      const p = r.peer!;
      return (
        `| ${r.title} | ${r.concurrency} | ${rate(r.ours.unitsPerSec)} | ${rate(p.unitsPerSec)} | **${ratio(r.ours.unitsPerSec / p.unitsPerSec)}** | ` +
        `${ms(r.ours.p50)} / ${ms(p.p50)} | ${ms(r.ours.p99)} / ${ms(p.p99)} | ${mb(r.ours.peakRssMb)} / ${mb(p.peakRssMb)} |`
      );
    }),
  ].join('\n');
}

/** One server process's resident memory at rest (VmRSS), MB. */
export interface MemoryAtRest {
  name: string;
  /** Idle after start, before any request. */
  afterStartMb: number;
  /** VmHWM at that moment: the peak of starting up. */
  startPeakMb: number;
  /** Idle after the last run; null until then. */
  afterLoadMb: number | null;
}

export function memoryLines(memory: MemoryAtRest[], idleSeconds: number): string[] {
  return memory.map(
    (m) =>
      `- ${m.name}: ${mb(m.afterStartMb)} MB at rest after start (start-up peak ${mb(m.startPeakMb)} MB), ` +
      `${mb(m.afterLoadMb)} MB at rest ${idleSeconds} s after the last run.`,
  );
}

export interface Target {
  what: string;
  value: number;
  limit: number;
  /** 'max': value ≤ limit is met; 'min': value ≥ limit is met. */
  kind: 'max' | 'min';
}

export const met = (t: Target) => (t.kind === 'max' ? t.value <= t.limit : t.value >= t.limit);

export function targetLines(targets: Target[]): string[] {
  return targets.map((t) => `- ${met(t) ? '**met**' : '**MISSED**'}: ${t.what}: ${t.value.toFixed(2)} (target ${t.kind === 'max' ? '≤' : '≥'} ${t.limit})`);
}

const HEADER = `# Benchmarks

Written by \`npm run bench\` (sections are appended, newest last); datasets come from
\`npm run bench:generate\`. See bench/README.md for what each benchmark does and how the floor is
measured. Machines are shared and noisy: compare ratios measured in one run, not absolute
figures across runs.
`;

export async function appendSection(markdown: string): Promise<void> {
  const existing = await readFile(BENCHMARKS_MD, 'utf8').catch(() => null);
  if (existing === null) await writeFile(BENCHMARKS_MD, `${HEADER}\n${markdown}\n`);
  else await appendFile(BENCHMARKS_MD, `\n${markdown}\n`);
}
