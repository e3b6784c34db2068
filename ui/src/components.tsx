// Small pieces every view uses: errors, pretty JSON, a windowed list, the key's scopes.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

/** Every failure shows its code and its message. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const code = error instanceof ApiError ? error.code : 'CLIENT_ERROR';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert" data-code={code}>
      <strong>{code}</strong> {message}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Values the server's redaction replaced (D8): `<REDACTED>`, `<REDACTED_JWT>`, … */
const REDACTED = /<REDACTED(?:_[A-Z_]+)?>/;

/** Pretty JSON; redacted values are marked so nobody mistakes them for data. */
export function JsonView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <pre class="json">—</pre>;
  const text = JSON.stringify(value, null, 2);
  const parts = text.split(/("(?:[^"\\]|\\.)*")/);
  return (
    <pre class="json">
      {parts.map((part, i) =>
        i % 2 === 1 && REDACTED.test(part) ? (
          <mark key={i} class="redacted" title="Redacted by the server before storage">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

/**
 * Renders only the rows in view (plus a margin), all of one height, so a list of thousands of
 * rows costs as much as a screenful. Hand-rolled: fixed heights need nothing more.
 */
export function VirtualList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  height: number | string;
  renderRow: (item: T, index: number) => ComponentChildren;
  class?: string;
  testId?: string;
}) {
  const { items, rowHeight } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setView({ top: el.scrollTop, height: el.clientHeight });
    update();
    el.addEventListener('scroll', update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      observer.disconnect();
    };
  }, []);
  const overscan = 10;
  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  const rows = [];
  for (let i = first; i < last; i++) rows.push(props.renderRow(items[i]!, i));
  return (
    <div ref={ref} class={`virtual ${props.class ?? ''}`} style={{ height: props.height }} data-testid={props.testId} data-rows={items.length}>
      <div style={{ height: items.length * rowHeight, position: 'relative' }}>
        <div style={{ position: 'absolute', top: first * rowHeight, left: 0, right: 0 }}>{rows}</div>
      </div>
    </div>
  );
}

export type Viewer = { keyId: string; scopes: string[]; tenant: { id: string; name: string } };
export const ViewerContext = createContext<Viewer | null>(null);

/** Write actions are shown only to keys that may write. */
export function useCanWrite(): boolean {
  const viewer = useContext(ViewerContext);
  return !!viewer && (viewer.scopes.includes('WRITE') || viewer.scopes.includes('ADMIN'));
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}
