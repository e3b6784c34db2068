// Per-request bookkeeping: a request id (the client's x-request-id when it is a sane token, else a
// new UUID) echoed on every response, a child logger that stamps it on every log line written while
// the request runs (yoga's own lines included), the GraphQL operation's name, and one access-log
// line per request. Logs name things (route, operation, status, codes); they never carry headers,
// variables or documents, so neither API keys nor payloads reach them.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { redactText } from '../domain/redact.ts';

export type RequestInfo = {
  id: string;
  log: Logger;
  startedAt: number;
  route: string;
  /** The GraphQL operation's name; "anonymous" when it has none; "" before (or without) parsing. */
  operation: string;
};

const scope = new AsyncLocalStorage<RequestInfo>();

/** The request being handled, if any (for plugins running later in the same request). */
export const currentRequest = (): RequestInfo | undefined => scope.getStore();

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ROUTES = new Set(['/graphql', '/v1/traces', '/health', '/ready', '/metrics']);
/** Probes and scrapes every few seconds: their access lines are debug, not info. */
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/** The route as a label: known paths as they are, anything else "other" (no unbounded label values). */
export function routeOf(url: string): string {
  const path = new URL(url, 'http://localhost').pathname;
  return ROUTES.has(path) ? path : 'other';
}

export function operationNameOf(document: DocumentNode, operationName?: string | null): string {
  const name = getOperationAST(document, operationName ?? undefined)?.name?.value;
  return name && OPERATION_NAME.test(name) ? name : 'anonymous';
}

/** A logger whose lines carry the id of the request in progress, when there is one. */
export function requestScopedLogger(base: Logger) {
  const current = () => scope.getStore()?.log ?? base;
  // Unexpected errors are logged in full (yoga masks them for the client); their messages can quote
  // what was sent (a database error repeating a value), so they pass the same redaction as stored text.
  const clean = (args: unknown[]) => (args.length === 1 ? safe(args[0]) : args.map(safe));
  // Yoga logs several debug lines per request: redact only what will be written.
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const log = current();
    if (log.isLevelEnabled(level)) log[level](clean(args));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function safe(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) {
    return { err: { type: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined } };
  }
  return value;
}

/** The bookkeeping of a new request: the client's x-request-id when it is a sane token, else a new one. */
export function startRequest(logger: Logger, offeredId: string | null | undefined, route: string): RequestInfo {
  const id = offeredId && REQUEST_ID.test(offeredId) ? offeredId : randomUUID();
  return { id, log: logger.child({ reqId: id }), startedAt: performance.now(), route, operation: '' };
}

/** Runs `work` as part of the request (log lines written meanwhile carry its id). */
export const runInRequest = <T>(info: RequestInfo, work: () => T): T => scope.run(info, work);

/** The request's one access-log line (debug for probes and scrapes). */
export function logAccess(info: RequestInfo, method: string, status: number): void {
  const line = {
    method,
    route: info.route,
    ...(info.operation && { operation: info.operation }),
    status,
    ms: Math.round((performance.now() - info.startedAt) * 10) / 10,
  };
  if (QUIET_ROUTES.has(info.route)) info.log.debug(line, 'request');
  else info.log.info(line, 'request');
}

export function requestPlugin(logger: Logger): Plugin {
  return {
    instrumentation: {
      request({ request }, wrapped) {
        return scope.run(startRequest(logger, request.headers.get('x-request-id'), routeOf(request.url)), wrapped);
      },
    },
    // Parsing comes before authentication, so refused requests are labelled with their operation too.
    onParse({ context }) {
      return ({ result }) => {
        const info = scope.getStore();
        if (info && result && 'kind' in result && result.kind === 'Document') {
          info.operation = operationNameOf(result, (context as { params?: { operationName?: string | null } }).params?.operationName);
        }
      };
    },
    onResponse({ request, response }) {
      const info = scope.getStore();
      if (!info) return;
      try {
        response.headers.set('x-request-id', info.id);
      } catch {
        // A response with immutable headers (none of ours) goes out without the echo.
      }
      logAccess(info, request.method, response.status);
    },
  };
}
