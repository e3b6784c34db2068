// What a benchmark is: our API, its SQL floor, the peer where it can express the same request (and
// optional baselines), doing the same work.
import type pg from 'pg';
import type { DatasetMeta } from '../lib/db.ts';
import type { GraphqlClient } from '../lib/http.ts';
import type { Variant } from '../lib/measure.ts';

export interface SuiteContext {
  /** The floor's connections: as many as the server's pool. */
  pool: pg.Pool;
  /** Read key of the large tenant. */
  reader: GraphqlClient;
  /** Write key of the ingest tenant (its rows are deleted after the run). */
  writer: GraphqlClient;
  /** The peer (PostGraphile over the same database as its owner); absent with --no-peer. */
  peer?: GraphqlClient;
  /** The floor's SQL over HTTP (bench/peer/http-floor.mjs), for the small reads; absent with --no-peer. */
  httpFloor?: GraphqlClient;
  meta: DatasetMeta;
  tenantId: string;
  ingestTenantId: string;
}

export interface Bench {
  /** Selects it with --only (several benches may share a group). */
  group: string;
  title: string;
  concurrency: number;
  unit: 'req' | 'steps';
  ours: Variant;
  floor: Variant;
  /** The same request to the peer, when it can express it (and the peer runs). */
  peer?: Variant;
  /** The floor's SQL behind a bare HTTP server: what the hop to any HTTP service costs. */
  httpFloor?: Variant;
  /** Optional extra variants, skipped with --no-baselines. */
  baselines: Variant[];
  /** Runs our API, the floor (and the peer) once on the same input; says whether they returned the same rows. */
  check(): Promise<string>;
  /** The first input of a read benchmark, for --explain: our GraphQL request and the floor's SQL. */
  sample?: { query: string; variables: Record<string, unknown>; sql: { text: string; values: unknown[] }[] };
}

/** Relay global id → the key inside it ("Type:key", base64). */
export const keyOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').replace(/^[A-Za-z]+:/, '');

export function same(what: string, ours: unknown, floor: unknown): string {
  return agree(what, { ours, floor });
}

/** Every side's rows (already reduced to comparable values) against the first side's. */
export function agree(what: string, sides: Record<string, unknown>): string {
  const [[first, rows], ...others] = Object.entries(sides).map(([name, r]) => [name, JSON.stringify(r)] as [string, string]) as [[string, string], ...[string, string][]];
  for (const [name, other] of others) {
    if (other === rows) continue;
    // Show where they part: the first differing row when both are lists, else the start of each.
    const a = sides[first];
    const b = sides[name];
    const at = Array.isArray(a) && Array.isArray(b) ? a.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(b[i])) : -1;
    const show = (side: unknown, text: string) => (at >= 0 ? `row ${at} of ${(side as unknown[]).length}: ${JSON.stringify((side as unknown[])[at])}` : text.slice(0, 400));
    throw new Error(`${first} and ${name} disagree on ${what}: ${first} ${show(a, rows)}; ${name} ${show(b, other)}`);
  }
  return `same rows (${what}${others.length > 1 ? `; ${Object.keys(sides).join(', ')}` : ''})`;
}

/** A timestamp as the API, the peer or pg gives it → epoch milliseconds, for comparing rows. */
export const epochMs = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.getTime() : Date.parse(String(v)));
