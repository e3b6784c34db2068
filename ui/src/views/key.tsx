// Key: paste an API key; it stays in this tab (sessionStorage) and goes only to this server.
import { useState } from 'preact/hooks';
import { saveApiKey } from '../api-key.ts';
import { ErrorBox, type Viewer } from '../components.tsx';

export function KeyView({ onKey, viewer, error }: { onKey: (key: string | null) => void; viewer: Viewer | null; error: unknown }) {
  const [draft, setDraft] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    if (!draft.trim()) return;
    saveApiKey(draft);
    setDraft('');
    onKey(draft.trim());
  };
  return (
    <section class="card narrow">
      <h1>API key</h1>
      <p class="muted">
        The key stays in this browser tab (sessionStorage) and is sent only to this server. <code>npm start</code> prints a link
        that carries the demo key in its <code>#fragment</code>, which browsers never send to the server.
      </p>
      {error ? <ErrorBox error={error} /> : null}
      {viewer && (
        <p data-testid="key-ok">
          Using key <code>{viewer.keyId}</code> of tenant <strong>{viewer.tenant.name}</strong> ({viewer.tenant.id}), scopes{' '}
          {viewer.scopes.join(', ')}. <a href="/">Open traces</a>
        </p>
      )}
      <form onSubmit={submit} class="row">
        <input
          type="password"
          name="apiKey"
          autoComplete="off"
          placeholder="aos_…"
          value={draft}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          style={{ flex: 1 }}
        />
        <button type="submit">Use key</button>
        {viewer || error ? (
          <button type="button" onClick={() => onKey(null)}>
            Forget key
          </button>
        ) : null}
      </form>
    </section>
  );
}
