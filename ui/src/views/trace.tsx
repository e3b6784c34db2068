// Trace: header with integrity check, a waterfall of every step on one time scale (a tree by
// parent span for OpenTelemetry traces), the selected step's details, live tail while RUNNING.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { request, subscribe, type ApiError } from '../api.ts';
import { ErrorBox, JsonView, StatusBadge, VirtualList } from '../components.tsx';
import { formatCents, formatDuration, formatInt, formatTime } from '../format.ts';
import type { ExplorerTraceStepsQuery, ExplorerVerifyTraceQuery, StepFieldsFragment } from '../generated/graphql.ts';
import { StepPayloadQuery, TraceQuery, TraceStepRecordedSubscription, TraceStepsQuery, VerifyTraceQuery } from '../operations.ts';
import { useQuery } from '../use-query.ts';

const ROW_HEIGHT = 24;
const STEP_PAGE = 1000;

type Row = { step: StepFieldsFragment; depth: number; start: number; end: number };

/** Depth-first by parent span (children by start time); steps without a known parent are roots. */
function orderRows(steps: StepFieldsFragment[]): Row[] {
  const timed = steps.map((step) => ({ step, depth: 0, start: Date.parse(step.startedAt), end: Date.parse(step.endedAt) }));
  if (!steps.some((s) => s.spanId)) return timed.sort((a, b) => a.step.stepIndex - b.step.stepIndex);
  const bySpan = new Map(timed.filter((r) => r.step.spanId).map((r) => [r.step.spanId!, r]));
  const children = new Map<string, Row[]>();
  const roots: Row[] = [];
  for (const row of timed) {
    const parent = row.step.parentSpanId && bySpan.has(row.step.parentSpanId) ? row.step.parentSpanId : null;
    if (parent) children.set(parent, [...(children.get(parent) ?? []), row]);
    else roots.push(row);
  }
  const byStart = (a: Row, b: Row) => a.start - b.start || a.step.stepIndex - b.step.stepIndex;
  const out: Row[] = [];
  const stack = roots.sort(byStart).reverse().map((r) => ({ row: r, depth: 0 }));
  while (stack.length) {
    const { row, depth } = stack.pop()!;
    out.push({ ...row, depth });
    const kids = (row.step.spanId && children.get(row.step.spanId)) || [];
    for (const kid of kids.sort(byStart).reverse()) stack.push({ row: kid, depth: depth + 1 });
  }
  return out;
}

/**
 * The steps: paged while the trace's status is unknown or final (so the first page loads beside
 * the header, not after it), live-tailed once the header says RUNNING.
 */
function useSteps(traceId: string, running: boolean, onFinal: () => void) {
  const [steps, setSteps] = useState<StepFieldsFragment[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [complete, setComplete] = useState(false);
  const [tailing, setTailing] = useState(false);
  useEffect(() => {
    setSteps([]);
    setError(null);
    setComplete(false);
    let stopped = false;
    if (!running) {
      void (async () => {
        let after: string | null = null;
        const all: StepFieldsFragment[] = [];
        try {
          for (;;) {
            const data: ExplorerTraceStepsQuery = await request(TraceStepsQuery, { traceId, first: STEP_PAGE, after });
            if (stopped) return;
            const page = data.trace?.steps;
            if (!page) break;
            all.push(...page.edges.map((e) => e.node));
            setSteps(all.slice());
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor ?? null;
          }
          setComplete(true);
        } catch (e) {
          if (!stopped) setError(e);
        }
      })();
      return () => {
        stopped = true;
      };
    }
    // Live tail: the subscription first replays the steps so far, then each new one; on a broken
    // stream we resume after the last cursor received, so nothing is missed or shown twice.
    let cursor: string | null = null;
    let sub = { close: () => {} };
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      setTailing(true);
      sub = subscribe(TraceStepRecordedSubscription, { traceId, after: cursor }, {
        onData: ({ traceStepRecorded }) => {
          cursor = traceStepRecorded.cursor;
          const step = traceStepRecorded.step;
          setSteps((old) => (old.some((s) => s.stepIndex === step.stepIndex) ? old : [...old, step]));
        },
        onEnd: (e: ApiError | null) => {
          setTailing(false);
          if (stopped) return;
          if (e) {
            setError(e);
            retry = setTimeout(open, 2000);
          } else {
            setComplete(true);
            onFinal();
          }
        },
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      sub.close();
    };
  }, [traceId, running]);
  return { steps, error, complete, tailing };
}

export function TraceView({ traceId }: { traceId: string }) {
  const header = useQuery(TraceQuery, { traceId }, traceId);
  const trace = header.data?.trace ?? null;
  const { steps, error, complete, tailing } = useSteps(traceId, trace?.status === 'RUNNING', header.reload);
  const rows = useMemo(() => orderRows(steps), [steps]);
  const [selected, setSelected] = useState<number | null>(null);
  // For the performance budget (BENCHMARKS.md): when every step is drawn.
  useEffect(() => {
    if (complete && rows.length && !performance.getEntriesByName('aos:waterfall-rendered').length) performance.mark('aos:waterfall-rendered');
  }, [complete, rows.length]);
  const [verify, setVerify] = useState<{ result?: ExplorerVerifyTraceQuery['verifyTrace']; error?: unknown } | null>(null);

  const scale = useMemo(() => {
    const starts = rows.map((r) => r.start);
    const ends = rows.map((r) => r.end);
    const t0 = Math.min(trace ? Date.parse(trace.startedAt) : Infinity, ...starts);
    const t1 = Math.max(trace?.completedAt ? Date.parse(trace.completedAt) : -Infinity, ...ends, t0 + 1);
    return { t0, span: t1 - t0 };
  }, [rows, trace?.startedAt, trace?.completedAt]);

  if (header.error) return <ErrorBox error={header.error} onRetry={header.reload} />;
  if (header.loading && !header.data) return <p class="muted">Loading trace…</p>;
  if (!trace) return <div class="error" data-code="NOT_FOUND"><strong>NOT_FOUND</strong> No trace {traceId} in this tenant.</div>;

  const step = rows.find((r) => r.step.stepIndex === selected)?.step ?? null;
  const runVerify = () => {
    setVerify(null);
    request(VerifyTraceQuery, { traceId }).then((d) => setVerify({ result: d.verifyTrace }), (e) => setVerify({ error: e }));
  };
  const pct = (ms: number) => `${((ms / scale.span) * 100).toFixed(3)}%`;

  return (
    <section class="trace">
      <div class="card trace-header">
        <h1>
          {trace.traceId} <StatusBadge status={trace.status} />
        </h1>
        <dl class="facts">
          <dt>Run</dt>
          <dd><a href={`/?run=${encodeURIComponent(trace.runId)}&range=all`}>{trace.runId}</a></dd>
          <dt>Agent</dt>
          <dd>{trace.agentId ?? '—'}</dd>
          <dt>Correlation</dt>
          <dd>{trace.correlationId}</dd>
          <dt>Started</dt>
          <dd>{formatTime(trace.startedAt)}</dd>
          <dt>Completed</dt>
          <dd>{formatTime(trace.completedAt)}</dd>
          <dt>Duration</dt>
          <dd>{formatDuration(trace.durationMs)}</dd>
          <dt>Steps</dt>
          <dd>{formatInt(trace.summary.stepCount)} ({formatInt(trace.summary.failureCount)} failed)</dd>
          <dt>Cost · tokens</dt>
          <dd>{formatCents(trace.summary.totalCostCents)} · {formatInt(trace.summary.totalTokens)}</dd>
          {trace.incidentId ? (
            <>
              <dt>Incident</dt>
              <dd><a href={`/incidents/${trace.incidentId}`}>{trace.incidentId}</a></dd>
            </>
          ) : null}
          <dt>Root hash</dt>
          <dd>
            <code class="hash">{trace.rootHash ?? 'not yet (computed when the trace is final)'}</code>{' '}
            <button type="button" onClick={runVerify} data-testid="verify-trace">Verify</button>{' '}
            {verify?.error ? <ErrorBox error={verify.error} /> : null}
            {verify?.result ? (
              <span class={verify.result.valid ? 'ok' : 'bad'} data-testid="verify-result">
                {verify.result.valid ? '✓ valid' : '✗ not valid'} ({verify.result.reason}, {verify.result.stepCount} steps)
              </span>
            ) : null}
          </dd>
        </dl>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      <div class="trace-body">
        <div class="waterfall card">
          <div class="wf-head">
            <span class="wf-label">
              Step {rows.some((r) => r.step.spanId) ? '(tree by parent span)' : '(by index)'} · {rows.length}
              {complete || tailing ? '' : ' · loading…'}
              {tailing ? <span class="live-dot" data-testid="live-tail"> live</span> : null}
            </span>
            <span class="wf-axis">
              {[0, 0.25, 0.5, 0.75, 1].map((f) => (
                <span style={{ left: `${f * 100}%` }}>{formatDuration(f * scale.span)}</span>
              ))}
            </span>
          </div>
          <VirtualList
            items={rows}
            rowHeight={ROW_HEIGHT}
            height="calc(100vh - 330px)"
            testId="waterfall"
            renderRow={(r) => (
              <div
                key={r.step.stepIndex}
                class={`wf-row${selected === r.step.stepIndex ? ' selected' : ''}`}
                style={{ height: ROW_HEIGHT }}
                data-step-index={r.step.stepIndex}
                onClick={() => setSelected(r.step.stepIndex)}
              >
                <span class="wf-label" style={{ paddingLeft: 6 + r.depth * 12 }} title={r.step.skillName}>
                  <span class="muted">#{r.step.stepIndex}</span> {r.step.skillName}
                </span>
                <span class="wf-track">
                  <span
                    class={`wf-bar level-${r.step.level.toLowerCase()}`}
                    style={{ left: pct(r.start - scale.t0), width: `max(2px, ${pct(r.end - r.start)})` }}
                    title={`${formatDuration(r.step.durationMs)} from ${formatDuration(r.start - scale.t0)}`}
                  />
                </span>
              </div>
            )}
          />
        </div>
        <aside class="step-pane card" data-testid="step-pane">
          {step ? <StepDetails step={step} /> : <p class="muted">Select a step to see its params, outcome, model, tokens and cost.</p>}
        </aside>
      </div>
    </section>
  );
}

function StepDetails({ step }: { step: StepFieldsFragment }) {
  const payload = useQuery(StepPayloadQuery, { id: step.id }, step.id);
  const node = payload.data?.node;
  const data = node && 'params' in node ? node : null;
  return (
    <>
      <h2>
        #{step.stepIndex} {step.skillName} <StatusBadge status={step.status} /> <span class={`badge level-${step.level.toLowerCase()}`}>{step.level}</span>
      </h2>
      <dl class="facts">
        <dt>Started · ended</dt>
        <dd>{formatTime(step.startedAt)} · {formatTime(step.endedAt)} ({formatDuration(step.durationMs)})</dd>
        <dt>Source</dt>
        <dd>{step.source}{step.operation ? ` · ${step.operation}` : ''}{step.toolName ? ` · tool ${step.toolName}` : ''}</dd>
        <dt>Model</dt>
        <dd>{step.model ?? '—'}{step.provider ? ` (${step.provider})` : ''}</dd>
        <dt>Tokens in · out</dt>
        <dd>{formatInt(step.inputTokens)} · {formatInt(step.outputTokens)}</dd>
        <dt>Cost</dt>
        <dd>{formatCents(step.costCents)}</dd>
        <dt>Retries</dt>
        <dd>{step.retryCount}</dd>
        <dt>Outcome</dt>
        <dd>{step.outcomeCategory}{step.outcomeCode ? ` · ${step.outcomeCode}` : ''}</dd>
        {step.spanId ? (
          <>
            <dt>Span</dt>
            <dd><code>{step.spanId}</code>{step.parentSpanId ? <> ← <code>{step.parentSpanId}</code></> : null} {step.spanKind ?? ''}</dd>
          </>
        ) : null}
      </dl>
      {payload.error ? <ErrorBox error={payload.error} onRetry={payload.reload} /> : null}
      <h3>Params</h3>
      {data ? <JsonView value={data.params} /> : <p class="muted">Loading…</p>}
      <h3>Outcome data</h3>
      {data ? <JsonView value={data.outcomeData} /> : <p class="muted">Loading…</p>}
    </>
  );
}
