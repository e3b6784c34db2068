// Traces: newest first, keyset "load more", filters in the URL, live rows from traceUpdated.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { request, subscribe, type Subscription } from '../api.ts';
import { ErrorBox, StatusBadge, VirtualList } from '../components.tsx';
import { formatCents, formatDuration, formatInt, formatTime } from '../format.ts';
import type { TraceFilter, TraceRowFragment, TraceStatus } from '../generated/graphql.ts';
import { TracesQuery, TraceUpdatedSubscription } from '../operations.ts';
import { navigate, withParams } from '../router.ts';

const RANGES: Record<string, number | null> = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3, all: null };
const STATUSES: TraceStatus[] = ['RUNNING', 'COMPLETED', 'FAILED', 'ABORTED'];
const PAGE = 100;
const ROW_HEIGHT = 30;

function filterFrom(params: URLSearchParams): TraceFilter {
  const range = RANGES[params.get('range') ?? '24h'] ?? null;
  const synthetic = params.get('synthetic');
  return {
    startedAfter: range === null ? null : new Date(Date.now() - range).toISOString(),
    status: (params.get('status') as TraceStatus | null) || null,
    agentId: params.get('agent') || null,
    runId: params.get('run') || null,
    incidentId: params.get('incident') || null,
    isSynthetic: synthetic === 'yes' ? true : synthetic === 'no' ? false : null,
  };
}

/** The filters the subscription cannot apply, checked on each live event. */
function matches(trace: TraceRowFragment, filter: TraceFilter): boolean {
  if (filter.startedAfter && trace.startedAt < filter.startedAfter) return false;
  if (filter.runId && trace.runId !== filter.runId) return false;
  if (filter.incidentId && trace.incidentId !== filter.incidentId) return false;
  if (filter.isSynthetic !== null && filter.isSynthetic !== undefined && trace.isSynthetic !== filter.isSynthetic) return false;
  return true;
}

export function TracesView({ params }: { params: URLSearchParams }) {
  const search = params.toString();
  const filter = useMemo(() => filterFrom(params), [search]);
  const live = params.get('live') === '1';
  const [rows, setRows] = useState<TraceRowFragment[]>([]);
  const [page, setPage] = useState<{ hasNextPage: boolean; endCursor?: string | null }>({ hasNextPage: false });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [connected, setConnected] = useState(false);
  const generation = useRef(0);

  const load = async (after: string | null) => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const data = await request(TracesQuery, { filter, first: PAGE, after });
      if (mine !== generation.current) return;
      const items = data.traces.edges.map((e) => e.node);
      setRows((old) => (after ? [...old, ...items] : items));
      setPage(data.traces.pageInfo);
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    setRows([]);
    setFresh(new Set());
    void load(null);
  }, [filter]);

  // For the performance budget (BENCHMARKS.md): when the first rows are on screen.
  useEffect(() => {
    if (rows.length && !performance.getEntriesByName('aos:traces-rendered').length) performance.mark('aos:traces-rendered');
  }, [rows.length > 0]);

  useEffect(() => {
    if (!live) return;
    let sub: Subscription | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      sub = subscribe(
        TraceUpdatedSubscription,
        { filter: { agentId: filter.agentId, status: filter.status } },
        {
          onOpen: () => setConnected(true),
          onData: ({ traceUpdated: { trace } }) => {
            if (!matches(trace, filter)) return;
            setRows((old) => {
              const at = old.findIndex((r) => r.traceId === trace.traceId);
              if (at < 0) return [trace, ...old];
              const next = old.slice();
              next[at] = trace;
              return next;
            });
            setFresh((old) => new Set(old).add(trace.traceId));
          },
          onEnd: (e) => {
            setConnected(false);
            if (e) setError(e);
            retry = setTimeout(open, 2000); // the server restarted or the stream broke: resubscribe
          },
        },
      );
    };
    open();
    return () => {
      clearTimeout(retry);
      sub?.close();
      setConnected(false);
    };
  }, [filter, live]);

  const set = (changes: Record<string, string | null>) => navigate(`/${withParams(params, changes)}`, { replace: true });
  const field = (name: string, label: string, placeholder: string) => (
    <label>
      {label}
      <input
        name={name}
        value={params.get(name) ?? ''}
        placeholder={placeholder}
        onChange={(e) => set({ [name]: (e.target as HTMLInputElement).value.trim() || null })}
      />
    </label>
  );

  return (
    <section>
      <form class="filters" onSubmit={(e) => e.preventDefault()} data-testid="trace-filters">
        <label>
          Started
          <select name="range" value={params.get('range') ?? '24h'} onChange={(e) => set({ range: (e.target as HTMLSelectElement).value === '24h' ? null : (e.target as HTMLSelectElement).value })}>
            <option value="1h">last hour</option>
            <option value="24h">last 24 h</option>
            <option value="7d">last 7 days</option>
            <option value="30d">last 30 days</option>
            <option value="all">any time</option>
          </select>
        </label>
        <label>
          Status
          <select name="status" value={params.get('status') ?? ''} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value || null })}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option value={s}>{s.toLowerCase()}</option>
            ))}
          </select>
        </label>
        {field('agent', 'Agent', 'agent id')}
        {field('run', 'Run', 'run id')}
        {field('incident', 'Incident', 'incident id')}
        <label>
          Synthetic
          <select name="synthetic" value={params.get('synthetic') ?? ''} onChange={(e) => set({ synthetic: (e.target as HTMLSelectElement).value || null })}>
            <option value="">both</option>
            <option value="no">real only</option>
            <option value="yes">synthetic only</option>
          </select>
        </label>
        <label class="toggle">
          <input type="checkbox" name="live" checked={live} onChange={(e) => set({ live: (e.target as HTMLInputElement).checked ? '1' : null })} />
          Live
        </label>
      </form>
      {error ? <ErrorBox error={error} onRetry={() => load(null)} /> : null}
      <div class="table traces-table" role="table">
        <div class="thead" role="row">
          <span>Started</span>
          <span>Agent</span>
          <span>Run</span>
          <span>Status</span>
          <span class="num">Steps</span>
          <span class="num">Errors</span>
          <span class="num">Duration</span>
          <span class="num">Cost</span>
          <span class="num">Tokens</span>
        </div>
        <VirtualList
          items={rows}
          rowHeight={ROW_HEIGHT}
          height="calc(100vh - 210px)"
          testId="trace-rows"
          renderRow={(t) => (
            <a
              key={t.traceId}
              href={`/traces/${encodeURIComponent(t.traceId)}`}
              class={`tr${fresh.has(t.traceId) ? ' fresh' : ''}`}
              role="row"
              data-trace-id={t.traceId}
              style={{ height: ROW_HEIGHT }}
            >
              <span>{formatTime(t.startedAt)}</span>
              <span title={t.agentId ?? ''}>{t.agentId ?? '—'}</span>
              <span title={t.runId}>{t.runId}</span>
              <span>
                <StatusBadge status={t.status} />
                {t.isSynthetic ? <span class="badge">synthetic</span> : null}
              </span>
              <span class="num">{formatInt(t.summary.stepCount)}</span>
              <span class={`num${t.summary.failureCount ? ' bad' : ''}`}>{formatInt(t.summary.failureCount)}</span>
              <span class="num">{formatDuration(t.durationMs)}</span>
              <span class="num">{formatCents(t.summary.totalCostCents)}</span>
              <span class="num">{formatInt(t.summary.totalTokens)}</span>
            </a>
          )}
        />
      </div>
      <div class="row footer">
        <span class="muted" data-testid="trace-count" data-live={live ? (connected ? 'connected' : 'connecting') : 'off'}>
          {rows.length} trace{rows.length === 1 ? '' : 's'}
          {live ? (connected ? ' · live' : ' · connecting…') : ''}
        </span>
        {loading ? <span class="muted">Loading…</span> : null}
        {!loading && rows.length === 0 && !error ? <span class="muted">No traces match these filters.</span> : null}
        {page.hasNextPage ? (
          <button type="button" disabled={loading} onClick={() => load(page.endCursor ?? null)}>
            Load more
          </button>
        ) : null}
      </div>
    </section>
  );
}
