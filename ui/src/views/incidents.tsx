// Incidents: list, detail with linked traces, acknowledge/resolve (write keys), bundles.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import { ErrorBox, StatusBadge, useCanWrite } from '../components.tsx';
import { formatCents, formatDuration, formatInt, formatTime } from '../format.ts';
import type { ExplorerVerifyBundleQuery, ExportBundleKind, IncidentLifecycle } from '../generated/graphql.ts';
import {
  AcknowledgeIncidentMutation,
  ExportBundleMutation,
  IncidentQuery,
  IncidentsQuery,
  ResolveIncidentMutation,
  VerifyBundleQuery,
} from '../operations.ts';
import { navigate, withParams } from '../router.ts';
import { useQuery } from '../use-query.ts';

export function IncidentsView({ params }: { params: URLSearchParams }) {
  const state = (params.get('state') as IncidentLifecycle | null) || null;
  const list = useQuery(IncidentsQuery, { filter: { lifecycleState: state }, first: 100 }, params.toString());
  return (
    <section>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          State
          <select
            name="state"
            value={state ?? ''}
            onChange={(e) => navigate(`/incidents${withParams(params, { state: (e.target as HTMLSelectElement).value })}`, { replace: true })}
          >
            <option value="">any</option>
            <option value="ACTIVE">active</option>
            <option value="ACKED">acknowledged</option>
            <option value="RESOLVED">resolved</option>
          </select>
        </label>
      </form>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      <table class="plain" data-testid="incident-rows">
        <thead>
          <tr><th>Opened</th><th>Title</th><th>Severity</th><th>State</th><th>Category</th><th>Run</th></tr>
        </thead>
        <tbody>
          {list.data?.incidents.edges.map(({ node: i }) => (
            <tr key={i.incidentId}>
              <td>{formatTime(i.createdAt)}</td>
              <td><a href={`/incidents/${i.incidentId}`}>{i.title}</a></td>
              <td><StatusBadge status={i.severity} /></td>
              <td><StatusBadge status={i.lifecycleState} /></td>
              <td>{i.category ?? '—'}</td>
              <td>{i.sourceRunId ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && !list.data.incidents.edges.length ? <p class="muted">No incidents.</p> : null}
    </section>
  );
}

const BUNDLES: [ExportBundleKind, string][] = [
  ['EVIDENCE', 'Evidence'],
  ['SOC2', 'SOC 2'],
  ['EXECUTIVE_DEBRIEF', 'Executive debrief'],
];

export function IncidentView({ incidentId }: { incidentId: string }) {
  const detail = useQuery(IncidentQuery, { incidentId }, incidentId);
  const canWrite = useCanWrite();
  const [actionError, setActionError] = useState<unknown>(null);
  const [bundle, setBundle] = useState<{ kind: string; bundleId: string; verification?: ExplorerVerifyBundleQuery['verifyExportBundle']; error?: unknown } | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(null);
    try {
      await work();
      detail.reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  /** Assemble, download as a file, then hand it back for verification, as an auditor would. */
  const exportBundle = (kind: ExportBundleKind) =>
    act(async () => {
      setBundle(null);
      const { exportBundle: made } = await request(ExportBundleMutation, { incidentId, kind });
      const url = URL.createObjectURL(new Blob([JSON.stringify(made.bundle, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${made.kind.toLowerCase()}-${made.bundleId}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setBundle({ kind: made.kind, bundleId: made.bundleId });
      try {
        const { verifyExportBundle } = await request(VerifyBundleQuery, { bundle: made.bundle });
        setBundle({ kind: made.kind, bundleId: made.bundleId, verification: verifyExportBundle });
      } catch (error) {
        setBundle({ kind: made.kind, bundleId: made.bundleId, error });
      }
    });

  if (detail.error) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  const i = detail.data?.incident;
  if (!detail.data) return <p class="muted">Loading incident…</p>;
  if (!i) return <div class="error" data-code="NOT_FOUND"><strong>NOT_FOUND</strong> No incident {incidentId} in this tenant.</div>;
  return (
    <section>
      <div class="card">
        <h1>
          {i.title} <StatusBadge status={i.severity} /> <StatusBadge status={i.lifecycleState} />
        </h1>
        {i.description ? <p>{i.description}</p> : null}
        <dl class="facts">
          <dt>Incident</dt><dd><code>{i.incidentId}</code></dd>
          <dt>Cause</dt><dd>{i.causeType}{i.category ? ` · ${i.category}` : ''} · trigger {i.triggerType}{i.triggerValue ? ` = ${i.triggerValue}` : ''}</dd>
          <dt>Error</dt><dd>{i.errorCode ?? '—'} {i.errorMessage ?? ''}</dd>
          <dt>Opened</dt><dd>{formatTime(i.createdAt)}</dd>
          <dt>Acknowledged</dt><dd>{formatTime(i.acknowledgedAt)} {i.acknowledgedBy ?? ''}</dd>
          <dt>Resolved</dt><dd>{formatTime(i.resolvedAt)} {i.resolvedBy ?? ''} {i.resolutionMethod ?? ''} {i.resolutionNotes ?? ''}</dd>
        </dl>
        <div class="row">
          {canWrite && i.lifecycleState === 'ACTIVE' ? (
            <button type="button" disabled={busy} onClick={() => act(() => request(AcknowledgeIncidentMutation, { incidentId }))}>Acknowledge</button>
          ) : null}
          {canWrite && i.lifecycleState !== 'RESOLVED' ? (
            <button type="button" disabled={busy} onClick={() => act(() => request(ResolveIncidentMutation, { incidentId, notes: 'Resolved in the explorer' }))}>Resolve</button>
          ) : null}
          {canWrite
            ? BUNDLES.map(([kind, label]) => (
                <button type="button" disabled={busy} data-bundle={kind} onClick={() => exportBundle(kind)}>
                  Download {label} bundle
                </button>
              ))
            : <span class="muted">Read-only key: acknowledging, resolving and exporting bundles need a write key.</span>}
        </div>
        {actionError ? <ErrorBox error={actionError} /> : null}
        {bundle ? (
          <p data-testid="bundle-result">
            Bundle <code>{bundle.bundleId}</code> ({bundle.kind}) downloaded.{' '}
            {bundle.error ? <ErrorBox error={bundle.error} /> : null}
            {bundle.verification ? (
              <span class={bundle.verification.valid ? 'ok' : 'bad'}>
                {bundle.verification.valid ? '✓ verified' : '✗ does not verify'}: content hash <code class="hash">{bundle.verification.computedHash}</code>
                {bundle.verification.logExportFound ? ', recorded as a log export' : ', no log export records it'}
              </span>
            ) : bundle.error ? null : <span class="muted">verifying…</span>}
          </p>
        ) : null}
      </div>
      <h2>Linked traces</h2>
      <table class="plain">
        <thead><tr><th>Started</th><th>Trace</th><th>Status</th><th>Steps</th><th>Errors</th><th>Duration</th><th>Cost</th></tr></thead>
        <tbody>
          {i.traces.map((t) => (
            <tr key={t.traceId}>
              <td>{formatTime(t.startedAt)}</td>
              <td><a href={`/traces/${encodeURIComponent(t.traceId)}`}>{t.traceId}</a></td>
              <td><StatusBadge status={t.status} /></td>
              <td>{formatInt(t.summary.stepCount)}</td>
              <td>{formatInt(t.summary.failureCount)}</td>
              <td>{formatDuration(t.durationMs)}</td>
              <td>{formatCents(t.summary.totalCostCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!i.traces.length ? <p class="muted">No traces are linked to this incident.</p> : null}
    </section>
  );
}
