// The explorer's only way to the server: POST /graphql on this origin, typed by codegen. Errors
// keep the server's code and message, so every view can show both (nothing fails silently).
import type { TypedDocumentString } from './generated/graphql.ts';
import { readApiKey } from './api-key.ts';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type GraphQLResponse<R> = { data?: R | null; errors?: { message: string; extensions?: { code?: string } }[] };

function headers(accept: string): Record<string, string> {
  const key = readApiKey();
  return { 'content-type': 'application/json', accept, ...(key ? { authorization: `Bearer ${key}` } : {}) };
}

function toError<R>(body: GraphQLResponse<R>, status: number): ApiError | null {
  const first = body.errors?.[0];
  if (first) return new ApiError(first.extensions?.code ?? `HTTP_${status}`, first.message);
  if (!body.data) return new ApiError(`HTTP_${status}`, 'The server answered without data');
  return null;
}

export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers: headers('application/graphql-response+json, application/json'), body: JSON.stringify({ query: document.toString(), variables }) });
  } catch (error) {
    throw new ApiError('NETWORK_ERROR', (error as Error).message);
  }
  let body: GraphQLResponse<R>;
  try {
    body = (await res.json()) as GraphQLResponse<R>;
  } catch {
    throw new ApiError(`HTTP_${res.status}`, res.statusText || 'The server answered with something other than JSON');
  }
  const error = toError(body, res.status);
  if (error) throw error;
  return body.data!;
}

export type Subscription = { close: () => void };

/**
 * A GraphQL subscription over server-sent events (yoga's SSE transport). EventSource cannot send
 * an Authorization header, so this reads the event stream from fetch. `onEnd` runs once: with no
 * error when the server completes the stream, with one when it breaks.
 */
export function subscribe<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  handlers: { onData: (data: R) => void; onEnd: (error: ApiError | null) => void; onOpen?: () => void },
): Subscription {
  const abort = new AbortController();
  let ended = false;
  const end = (error: ApiError | null) => {
    if (ended) return;
    ended = true;
    handlers.onEnd(error);
  };
  void (async () => {
    try {
      const res = await fetch('/graphql', {
        method: 'POST',
        signal: abort.signal,
        headers: headers('text/event-stream'),
        body: JSON.stringify({ query: document.toString(), variables }),
      });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => ({}))) as GraphQLResponse<R>;
        return end(toError(body, res.status) ?? new ApiError(`HTTP_${res.status}`, res.statusText));
      }
      handlers.onOpen?.();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1];
          const data = /^data: ?(.*)$/m.exec(block)?.[1];
          if (event === 'complete') return end(null);
          if (event !== 'next' || !data) continue;
          const body = JSON.parse(data) as GraphQLResponse<R>;
          const error = toError(body, res.status);
          if (error) return end(error);
          handlers.onData(body.data!);
        }
      }
      end(null);
    } catch (error) {
      if (!abort.signal.aborted) end(new ApiError('NETWORK_ERROR', (error as Error).message));
    }
  })();
  return {
    close: () => {
      ended = true;
      abort.abort();
    },
  };
}
