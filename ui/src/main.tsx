// The explorer: one page on the API's origin. Key first; then traces, incidents, ledger, metrics.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { forgetApiKey, readApiKey, takeKeyFromFragment } from './api-key.ts';
import { request } from './api.ts';
import { ErrorBox, ViewerContext, type Viewer } from './components.tsx';
import { ViewerQuery } from './operations.ts';
import { navigate, onLinkClick, useRoute } from './router.ts';
import { KeyView } from './views/key.tsx';
import { TracesView } from './views/traces.tsx';
import { TraceView } from './views/trace.tsx';
import { IncidentsView, IncidentView } from './views/incidents.tsx';
import { LedgerView } from './views/ledger.tsx';
import { DashboardView } from './views/dashboard.tsx';
import './styles.css';

takeKeyFromFragment();

function App() {
  const route = useRoute();
  const [key, setKey] = useState(readApiKey);
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [error, setError] = useState<unknown>(null);

  // The printed link pasted into a tab that already shows the explorer changes only the fragment:
  // no page load, so the key is taken here as well (and dropped from the address bar).
  useEffect(() => {
    const onHashChange = () => {
      const next = takeKeyFromFragment();
      if (next) setKey(next);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    setViewer(null);
    setError(null);
    if (!key) return;
    request(ViewerQuery, {}).then((data) => setViewer(data.viewer), setError);
  }, [key]);

  const onKey = (next: string | null) => {
    if (next === null) forgetApiKey();
    setKey(next);
    if (next && route.view === 'key') navigate('/');
  };

  let body;
  if (!key || route.view === 'key') body = <KeyView onKey={onKey} viewer={viewer} error={error} />;
  else if (error) body = <KeyView onKey={onKey} viewer={null} error={error} />;
  // The views load at once, beside the viewer query (one round trip less before the first rows);
  // only write actions wait for the viewer's scopes.
  else if (route.view === 'trace') body = <TraceView traceId={route.traceId} />;
  else if (route.view === 'incidents') body = <IncidentsView params={route.params} />;
  else if (route.view === 'incident') body = <IncidentView incidentId={route.incidentId} />;
  else if (route.view === 'ledger') body = <LedgerView params={route.params} />;
  else if (route.view === 'dashboard') body = <DashboardView params={route.params} />;
  else body = <TracesView params={route.params} />;

  const tab = (view: string, href: string, label: string, also: string[] = []) => (
    <a href={href} class={route.view === view || also.includes(route.view) ? 'active' : ''}>
      {label}
    </a>
  );
  return (
    <ViewerContext.Provider value={viewer}>
      <div class="shell" onClick={onLinkClick}>
        <header class="top">
          <span class="brand">aos-logs</span>
          <nav>
            {tab('traces', '/', 'Traces', ['trace'])}
            {tab('incidents', '/incidents', 'Incidents', ['incident'])}
            {tab('ledger', '/ledger', 'Audit ledger')}
            {tab('dashboard', '/dashboard', 'Metrics')}
            {/* A new tab starts with an empty sessionStorage (target=_blank implies noopener), so the
                key travels in the fragment, as in the link npm start prints; GraphiQL's page takes it. */}
            <a href={key ? `/graphql#key=${encodeURIComponent(key)}` : '/graphql'} target="_blank" rel="noopener">
              GraphiQL
            </a>
          </nav>
          <span class="who">
            {viewer ? (
              <>
                {viewer.tenant.name} · <span data-testid="scopes">{viewer.scopes.join(', ')}</span> · <a href="/key">key</a>
              </>
            ) : (
              <a href="/key">key</a>
            )}
          </span>
        </header>
        <main>{error && route.view !== 'key' && key ? <ErrorBox error={error} /> : null}{body}</main>
      </div>
    </ViewerContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
