// The fast path for the most common requests: a POST of a JSON GraphQL query or mutation that this
// server has already answered successfully. Yoga's pipeline (whatwg-node Request/Response objects, stream
// body reading, a dozen envelop hooks) cost about as much CPU as the query itself on small reads
// (BENCHMARKS.md); this path reads the body, authenticates, runs the compiled query and writes the
// JSON, doing the same bookkeeping as yoga's plugins (request id, access log, metrics, rate limit).
//
// It answers only what yoga has already shown it how to answer: a document is taken here after
// yoga parsed, validated (armor limits, page sizes, introspection rule) and executed it without
// errors, and a response gets the content type yoga gave to the same Accept header. Anything else
// — another method, path, content type, an Origin (CORS), an unknown document or Accept value, a
// key that does not authenticate — goes to yoga unchanged. A result with errors goes to yoga too,
// with the result itself: yoga skips execution (nothing runs twice), and answers with its own
// masking, error codes and status rules. A result without data (variables refused: nothing ran)
// goes to yoga as a plain request, which refuses it with graphql-js's messages.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getOperationAST, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { compiledFor, type Compiled } from '../graphql/compiled-execution.ts';
import { textAnswerPlan, type TextAnswerPlan } from '../graphql/text-answers/index.ts';
import { createLoaders } from '../graphql/loaders.ts';
import { CONSISTENCY_HEADER } from '../graphql/replica-reads.ts';
import type { Db } from '../db/client.ts';
import type { Sql } from '../db/sql.ts';
import { parseLsn } from '../db/replicas.ts';
import { keyIdOf, RATE_LIMIT_TAKEN, type RateLimiter } from '../limits.ts';
import { logAccess, operationNameOf, runInRequest, startRequest } from '../observability/requests.ts';
import type { Stores } from '../stores/index.ts';

const ENDPOINT = '/graphql';
/** Server-context key of a result this path computed and gives to yoga to answer. */
const EXECUTED = 'aosExecutedResult';
const JSON_CONTENT = /^application\/json(;\s*charset=utf-8)?$/i;
const PARAM_KEYS = new Set(['query', 'variables', 'operationName']);
/** Distinct documents (× operation names) and Accept values remembered; beyond, the oldest is forgotten. */
const MAX_DOCUMENTS = 1000;
const MAX_ACCEPTS = 32;

/** How far a request got on this path, for what to do when it fails. */
type Progress = { taken: boolean; mutating: boolean };

/** A known document: graphql-jit's compiled query, and for the shapes it covers, the plan of an answer written from the rows' text. */
type Learned = { compiled: NonNullable<Compiled>; plan: TextAnswerPlan | null; operation: string; mutation: boolean };

export type FastGraphqlOptions = {
  db: Db;
  stores: Stores;
  logger: Logger;
  limiter: RateLimiter;
  maxBodyBytes: number;
  /** Counts the request in /metrics, as the metrics plugin does for yoga's requests. */
  countRequest?: ((info: ReturnType<typeof startRequest>, status: number) => void) | undefined;
};

export function createFastGraphql({ db, stores, logger, limiter, maxBodyBytes, countRequest }: FastGraphqlOptions) {
  const documents = new Map<string, Learned>();
  /** Requests answered here, not by yoga (for tests and the curious). */
  let served = 0;
  const contentTypes = new Map<string, string>();
  const remember = <V>(map: Map<string, V>, max: number, key: string, value: V) => {
    if (map.size >= max && !map.has(key)) map.delete(map.keys().next().value!);
    map.set(key, value);
  };
  const documentKey = (query: string, operationName: string | null | undefined) => `${operationName ?? ''}\u0000${query}`;

  /** Yoga plugin: remembers the queries yoga ran without errors, and the content type per Accept. */
  const learner: Plugin<{ params?: { query?: unknown; operationName?: string | null; extensions?: unknown }; [EXECUTED]?: ExecutionResult }> = {
    onExecute({ args, setExecuteFn }) {
      // The result this path computed stands in for execution. Not setResultAndStopExecution: that
      // would skip the hooks after this one, yoga's error masking among them. This plugin goes after
      // compiledExecution, so its executeFn is the one used.
      const executed = args.contextValue[EXECUTED];
      if (executed) return void setExecuteFn(() => executed);
      const params = args.contextValue.params;
      if (typeof params?.query !== 'string' || params.extensions !== undefined) return;
      const operationName = args.operationName ?? undefined;
      const type = getOperationAST(args.document, operationName)?.operation;
      if (type !== 'query' && type !== 'mutation') return;
      const key = documentKey(params.query, params.operationName);
      if (documents.has(key)) return;
      return {
        onExecuteDone({ result }) {
          if (!result || Symbol.asyncIterator in result || result.errors?.length) return;
          const compiled = compiledFor(args.schema as GraphQLSchema, args.document, operationName);
          if (!compiled) return;
          const plan = type === 'query' ? textAnswerPlan(args.schema as GraphQLSchema, args.document, operationName) : null;
          remember(documents, MAX_DOCUMENTS, key, { compiled, plan, operation: operationNameOf(args.document, operationName), mutation: type === 'mutation' });
        },
      };
    },
    onResponse({ request, response }) {
      if (request.method !== 'POST' || response.status !== 200 || new URL(request.url).pathname !== ENDPOINT) return;
      const type = response.headers.get('content-type');
      if (type && /^application\/(graphql-response\+)?json\b/.test(type)) remember(contentTypes, MAX_ACCEPTS, request.headers.get('accept') ?? '', type);
    },
  };

  /** Whether the request may be one of ours, from its head alone (the body is not read yet). */
  const eligible = (req: IncomingMessage) => {
    const h = req.headers;
    if (req.method !== 'POST' || req.url !== ENDPOINT || h.origin !== undefined || h['transfer-encoding'] !== undefined) return false;
    if (!h.authorization || !JSON_CONTENT.test(h['content-type'] ?? '') || !contentTypes.has(h.accept ?? '')) return false;
    const length = h['content-length'];
    return length !== undefined && /^\d+$/.test(length) && Number(length) <= maxBodyBytes;
  };

  /** The request's parameters when they are exactly a known query's, else null. */
  const knownQuery = (body: Buffer): { learned: Learned; variables: Record<string, unknown> | undefined } | null => {
    let params: unknown;
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      return null;
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return null;
    for (const key of Object.keys(params)) if (!PARAM_KEYS.has(key)) return null;
    const { query, variables, operationName } = params as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof query !== 'string' || (operationName != null && typeof operationName !== 'string')) return null;
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
    const learned = documents.get(documentKey(query, operationName as string | null | undefined));
    return learned ? { learned, variables: (variables ?? undefined) as Record<string, unknown> | undefined } : null;
  };

  /** The node listener: this path for what it knows, yoga for everything else. */
  function listener(app: YogaServerInstance<any, any>): RequestListener { // eslint-disable-line @typescript-eslint/no-explicit-any -- any yoga app
    /** Yoga answers a request whose body this path has already read. */
    const replay = async (req: IncomingMessage, res: ServerResponse, body: Buffer, serverContext: Record<string, unknown>) => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const response = await app.fetch(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: 'POST', headers, body }, serverContext);
      const out = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, [...response.headers]);
      res.end(out);
    };

    const answer = async (req: IncomingMessage, res: ServerResponse, body: Buffer, progress: Progress) => {
      const found = knownQuery(body);
      const token = found && /^Bearer\s+(\S+)$/i.exec(req.headers.authorization!.trim())?.[1];
      const principal = token ? await stores.tenants.authenticate(token) : null;
      if (!found || !principal) return replay(req, res, body, {});
      const keyId = keyIdOf(req.headers.authorization);
      if (keyId) {
        const verdict = limiter.take(keyId);
        if ((verdict instanceof Promise ? await verdict : verdict) !== null) return replay(req, res, body, {}); // yoga says 429
      }
      progress.taken = true;
      const info = startRequest(logger, req.headers['x-request-id'] as string | undefined, ENDPOINT);
      info.operation = found.learned.operation;
      progress.mutating = found.learned.mutation;
      // With read replicas, as src/graphql/replica-reads.ts does for yoga's requests: a query reads
      // on a replica (one that has replayed the consistency token sent, if any).
      const sent = db.replicas && !found.learned.mutation ? req.headers[CONSISTENCY_HEADER] : undefined;
      const after = typeof sent === 'string' ? parseLsn(sent) : undefined;
      if (sent !== undefined && after === undefined) return replay(req, res, body, { [RATE_LIMIT_TAKEN]: true }); // yoga refuses it
      const onReplica = <T>(work: () => Promise<T>) => runInRequest(info, () => (db.replicas && !found.learned.mutation ? db.onReplica(work, { after }) : work()));
      let payload: string | Buffer;
      const { plan } = found.learned;
      const query = (statement: Sql, options?: { prepared?: boolean }) =>
        db.withTenant(principal.tenantId, () => db.query<Record<string, string | null>>(statement.text, statement.values, options));
      // Traces, a trace, audit entries, LLM runs, system records: the answer written straight from the rows' text (text-answers).
      const written = plan ? await onReplica(() => plan.answer(principal.tenantId, principal.scopes, found.variables, query)) : null;
      if (written !== null) {
        payload = written;
      } else {
        const context = { principal, tenantId: principal.tenantId, stores, loaders: createLoaders(stores, principal.tenantId) };
        const result = await onReplica(async () => found.learned.compiled.query(undefined, context, found.variables));
        if (!('data' in result)) return replay(req, res, body, { [RATE_LIMIT_TAKEN]: true });
        if (result.errors?.length) return replay(req, res, body, { [RATE_LIMIT_TAKEN]: true, [EXECUTED]: result });
        // …and a mutation's answer carries the primary's WAL position after it.
        const consistency = db.replicas && found.learned.mutation ? await db.replicas.consistencyToken().catch(() => undefined) : undefined;
        payload = JSON.stringify(consistency === undefined ? { data: result.data } : { data: result.data, extensions: { consistencyToken: consistency } });
        if (consistency !== undefined) res.setHeader(CONSISTENCY_HEADER, consistency);
      }
      res.writeHead(200, {
        'content-type': contentTypes.get(req.headers.accept ?? '')!,
        'content-length': Buffer.byteLength(payload),
        'x-request-id': info.id,
      });
      res.end(payload);
      served++;
      runInRequest(info, () => logAccess(info, 'POST', 200));
      countRequest?.(info, 200);
    };

    return (req, res) => {
      if (!eligible(req)) return void app(req, res);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const progress: Progress = { taken: false, mutating: false };
        answer(req, res, body, progress).catch((error: unknown) => {
          if (res.headersSent) return void res.destroy();
          if (progress.mutating) {
            // A mutation may have written something: never run it again; say what yoga would say.
            logger.error({ err: error }, 'fast GraphQL path: mutation failed');
            const text = JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
            return void res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
          }
          // Nothing written yet (the database was unreachable, say): yoga answers with its own rules.
          logger.debug({ err: error }, 'fast GraphQL path gave the request to yoga');
          replay(req, res, body, { [RATE_LIMIT_TAKEN]: progress.taken }).catch(() => res.destroy());
        });
      });
    };
  }

  return { learner, listener, served: () => served };
}

export type FastGraphql = ReturnType<typeof createFastGraphql>;
