import { useCallback, useEffect, useState } from 'preact/hooks';
import { request } from './api.ts';
import type { TypedDocumentString } from './generated/graphql.ts';

export type QueryState<R> = { data: R | null; error: unknown; loading: boolean; reload: () => void };

/** Runs the query whenever `key` (a string of its inputs) changes; a stale answer is dropped. */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V, key: string): QueryState<R> {
  const [state, setState] = useState<{ data: R | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    request(document, variables).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState({ data: null, error, loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}
