// Audit ledger: a filtered list, and a walk of the whole hash chain.
import { useState } from 'preact/hooks';
import { request } from '../api.ts';
import { ErrorBox } from '../components.tsx';
import { formatTime } from '../format.ts';
import type { AuditEntityType, ExplorerVerifyLedgerQuery } from '../generated/graphql.ts';
import { AuditEntriesQuery, VerifyLedgerQuery } from '../operations.ts';
import { navigate, withParams } from '../router.ts';
import { useQuery } from '../use-query.ts';

export function LedgerView({ params }: { params: URLSearchParams }) {
  const filter = {
    entityType: (params.get('entity') as AuditEntityType | null) || null,
    entityId: params.get('entityId') || null,
    actorId: params.get('actor') || null,
  };
  const list = useQuery(AuditEntriesQuery, { filter, first: 100 }, params.toString());
  const [verification, setVerification] = useState<{ result?: ExplorerVerifyLedgerQuery['verifyAuditLedger']; error?: unknown } | null>(null);
  const set = (name: string, value: string) => navigate(`/ledger${withParams(params, { [name]: value.trim() })}`, { replace: true });
  const verify = () => {
    setVerification(null);
    request(VerifyLedgerQuery, {}).then((d) => setVerification({ result: d.verifyAuditLedger }), (error) => setVerification({ error }));
  };
  const v = verification?.result;
  return (
    <section>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Entity id<input name="entityId" value={filter.entityId ?? ''} onChange={(e) => set('entityId', (e.target as HTMLInputElement).value)} /></label>
        <label>Actor<input name="actor" value={filter.actorId ?? ''} onChange={(e) => set('actor', (e.target as HTMLInputElement).value)} /></label>
        <button type="button" onClick={verify} data-testid="verify-ledger">Verify chain</button>
        {verification?.error ? <ErrorBox error={verification.error} /> : null}
        {v ? (
          <span class={v.valid ? 'ok' : 'bad'} data-testid="ledger-result">
            {v.valid ? `✓ chain intact: ${v.checkedCount} entries (seq ${v.firstSeq ?? '—'}…${v.lastSeq ?? '—'})` : `✗ broken at seq ${v.firstBreak?.seq}: ${v.firstBreak?.reason}`}
          </span>
        ) : null}
      </form>
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      <table class="plain" data-testid="ledger-rows">
        <thead><tr><th>Seq</th><th>Time</th><th>Event</th><th>Entity</th><th>Actor</th><th>Reason</th><th>Entry hash</th></tr></thead>
        <tbody>
          {list.data?.auditEntries.edges.map(({ node: e }) => (
            <tr key={e.entryId}>
              <td>{e.seq}</td>
              <td>{formatTime(e.createdAt)}</td>
              <td>{e.eventType}</td>
              <td>{e.entityType} <code>{e.entityId}</code></td>
              <td>{e.actorType} {e.actorId ?? ''}</td>
              <td>{e.actionReason ?? ''}</td>
              <td><code class="hash">{e.entryHash.slice(0, 16)}…</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && !list.data.auditEntries.edges.length ? <p class="muted">No ledger entries match.</p> : null}
    </section>
  );
}
