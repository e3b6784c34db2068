// Metrics: trace count, error rate, p50/p95 duration, cost and tokens over time, split by agent
// or model, from the `metrics` query. Charts are plain SVG: a few lines, no library to ship.
import { ErrorBox } from '../components.tsx';
import { formatCents, formatDuration, formatInt } from '../format.ts';
import type { ExplorerMetricsQuery, MetricsInput } from '../generated/graphql.ts';
import { MetricsQuery } from '../operations.ts';
import { navigate, withParams } from '../router.ts';
import { useQuery } from '../use-query.ts';

const RANGES = { '24h': { ms: 86400e3, bucket: 'HOUR' }, '7d': { ms: 7 * 86400e3, bucket: 'DAY' }, '30d': { ms: 30 * 86400e3, bucket: 'DAY' } } as const;
type RangeName = keyof typeof RANGES;
const COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#14b8a6', '#64748b'];

type Result = ExplorerMetricsQuery['metrics'];
type Series = { name: string; points: { t: number; v: number }[] };

/** One series per dimension value for the measure at `index`. */
function seriesOf(result: Result, index: number): Series[] {
  const byName = new Map<string, Series>();
  for (const row of result.rows) {
    const name = row.dimensionValues.length ? row.dimensionValues.map((v) => v ?? '(none)').join(' · ') : 'all';
    const value = row.values[index];
    if (value === null || value === undefined || !row.bucket) continue;
    const series = byName.get(name) ?? { name, points: [] };
    series.points.push({ t: Date.parse(row.bucket), v: value });
    byName.set(name, series);
  }
  return [...byName.values()].slice(0, COLORS.length);
}

/** Bars per time bucket (series side by side): sparse buckets stay visibly empty, not interpolated. */
function Chart(props: { title: string; series: Series[]; from: number; to: number; bucketMs: number; format: (v: number) => string }) {
  const { title, series, from, to, bucketMs, format } = props;
  const width = 460;
  const height = 160;
  const pad = { l: 64, r: 8, t: 8, b: 22 };
  const max = niceCeiling(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.v))));
  const plotWidth = width - pad.l - pad.r;
  const x = (t: number) => pad.l + ((t - from) / (to - from)) * plotWidth;
  const y = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const slot = (bucketMs / (to - from)) * plotWidth;
  const barWidth = Math.max(1, (slot * 0.8) / Math.max(1, series.length));
  const label = (t: number) => {
    const d = new Date(t);
    return bucketMs < 86400e3 ? `${String(d.getHours()).padStart(2, '0')}:00` : `${d.getMonth() + 1}/${d.getDate()}`;
  };
  return (
    <figure class="card chart" data-testid={`chart-${title}`}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {[0, 0.5, 1].map((f) => (
          <g>
            <line x1={pad.l} x2={width - pad.r} y1={y(max * f)} y2={y(max * f)} class="grid" />
            <text x={pad.l - 4} y={y(max * f) + 4} text-anchor="end" class="tick">{format(max * f)}</text>
          </g>
        ))}
        {[from, (from + to) / 2, to].map((t, i) => (
          <text x={x(t)} y={height - 6} text-anchor={i === 0 ? 'start' : i === 2 ? 'end' : 'middle'} class="tick">{label(t)}</text>
        ))}
        {series.map((s, i) =>
          s.points.map((p) => (
            <rect x={x(p.t) + slot * 0.1 + i * barWidth} y={y(p.v)} width={barWidth} height={Math.max(1, y(0) - y(p.v))} fill={COLORS[i]}>
              <title>{`${s.name} ${label(p.t)}: ${format(p.v)}`}</title>
            </rect>
          )),
        )}
      </svg>
      <div class="legend">
        {series.length ? series.map((s, i) => <span><i style={{ background: COLORS[i] }} />{s.name}</span>) : <span class="muted">no data in range</span>}
      </div>
    </figure>
  );
}

/** 1, 2 or 5 times a power of ten, at least `v`: axis ticks at half of it read well. */
function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * power >= v) ?? 10) * power;
}

const formatCount = (v: number) => (Number.isInteger(v) ? formatInt(v) : v.toFixed(1));

export function DashboardView({ params }: { params: URLSearchParams }) {
  const rangeName = (params.get('range') as RangeName) in RANGES ? (params.get('range') as RangeName) : '24h';
  const split = params.get('split') === 'agent' ? 'agent' : params.get('split') === 'model' ? 'model' : 'none';
  const range = RANGES[rangeName];
  // Rounded to the bucket, so the query (and its cache key) is stable within a bucket.
  const bucketMs = range.bucket === 'HOUR' ? 3600e3 : 86400e3;
  const to = Math.ceil(Date.now() / bucketMs) * bucketMs;
  const from = to - range.ms;
  const base = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), timeBucket: range.bucket } as const;
  const traces: MetricsInput = {
    ...base,
    view: 'TRACES',
    dimensions: split === 'agent' ? ['AGENT'] : [],
    measures: [
      { measure: 'COUNT', aggregation: 'COUNT' },
      { measure: 'ERROR_RATE', aggregation: 'AVG' },
      { measure: 'DURATION', aggregation: 'P50' },
      { measure: 'DURATION', aggregation: 'P95' },
      { measure: 'COST', aggregation: 'SUM' },
    ],
  };
  const llm: MetricsInput = {
    ...base,
    view: 'LLM_RUNS',
    dimensions: split === 'agent' ? ['AGENT'] : split === 'model' ? ['MODEL'] : [],
    measures: [{ measure: 'TOKENS', aggregation: 'SUM' }],
  };
  const key = `${rangeName}|${split}|${from}`;
  const a = useQuery(MetricsQuery, { input: traces }, `t${key}`);
  const b = useQuery(MetricsQuery, { input: llm }, `l${key}`);
  const set = (name: string, value: string) => navigate(`/dashboard${withParams(params, { [name]: value })}`, { replace: true });
  return (
    <section>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Range
          <select name="range" value={rangeName} onChange={(e) => set('range', (e.target as HTMLSelectElement).value)}>
            <option value="24h">last 24 h (hourly)</option>
            <option value="7d">last 7 days (daily)</option>
            <option value="30d">last 30 days (daily)</option>
          </select>
        </label>
        <label>
          Split by
          <select name="split" value={split} onChange={(e) => set('split', (e.target as HTMLSelectElement).value)}>
            <option value="none">nothing</option>
            <option value="agent">agent</option>
            <option value="model">model (tokens)</option>
          </select>
        </label>
      </form>
      {a.error ? <ErrorBox error={a.error} onRetry={a.reload} /> : null}
      {b.error ? <ErrorBox error={b.error} onRetry={b.reload} /> : null}
      <div class="charts">
        {a.data ? (
          <>
            <Chart title="Traces" series={seriesOf(a.data.metrics, 0)} from={from} to={to} bucketMs={bucketMs} format={formatCount} />
            <Chart title="Error rate" series={seriesOf(a.data.metrics, 1)} from={from} to={to} bucketMs={bucketMs} format={(v) => `${Math.round(v * 100)}%`} />
            <Chart title="Duration p50" series={seriesOf(a.data.metrics, 2)} from={from} to={to} bucketMs={bucketMs} format={formatDuration} />
            <Chart title="Duration p95" series={seriesOf(a.data.metrics, 3)} from={from} to={to} bucketMs={bucketMs} format={formatDuration} />
            <Chart title="Cost" series={seriesOf(a.data.metrics, 4)} from={from} to={to} bucketMs={bucketMs} format={(v) => formatCents(String(v))} />
          </>
        ) : null}
        {b.data ? <Chart title="LLM tokens" series={seriesOf(b.data.metrics, 0)} from={from} to={to} bucketMs={bucketMs} format={formatCount} /> : null}
      </div>
    </section>
  );
}
