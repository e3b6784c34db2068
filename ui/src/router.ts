// A few routes, in the History API: every view's state (filters included) is in its URL, so a
// link reproduces the view. The server answers index.html for these paths (src/explorer/static.ts).
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'traces'; params: URLSearchParams }
  | { view: 'trace'; traceId: string }
  | { view: 'incidents'; params: URLSearchParams }
  | { view: 'incident'; incidentId: string }
  | { view: 'ledger'; params: URLSearchParams }
  | { view: 'dashboard'; params: URLSearchParams }
  | { view: 'key' };

export function parseRoute(path: string, search: string): Route {
  const params = new URLSearchParams(search);
  const [, first = '', second] = path.split('/').map(decodeURIComponent);
  if (first === 'traces' && second) return { view: 'trace', traceId: second };
  if (first === 'incidents' && second) return { view: 'incident', incidentId: second };
  if (first === 'incidents') return { view: 'incidents', params };
  if (first === 'ledger') return { view: 'ledger', params };
  if (first === 'dashboard') return { view: 'dashboard', params };
  if (first === 'key') return { view: 'key' };
  return { view: 'traces', params };
}

const CHANGE = 'aos:navigate';

export function navigate(url: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

export function useRoute(): Route {
  const read = () => parseRoute(location.pathname, location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return route;
}

/** Same-origin links without a page load; modified clicks (new tab) behave as usual. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as Element).closest?.('a');
  if (!anchor || anchor.target || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/graphql') || anchor.hasAttribute('download')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}

/** The query string with `changes` applied (empty values removed). */
export function withParams(params: URLSearchParams, changes: Record<string, string | null | undefined>): string {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') next.delete(name);
    else next.set(name, value);
  }
  const text = next.toString();
  return text ? `?${text}` : '';
}
