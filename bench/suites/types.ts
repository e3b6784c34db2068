// What a benchmark is: our API and its SQL floor (and optional baselines) doing the same work.
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
  baselines: Variant[];
  /** Runs our API and the floor once on the same input; says whether they returned the same rows. */
  check(): Promise<string>;
  /** The first input of a read benchmark, for --explain: our GraphQL request and the floor's SQL. */
  sample?: { query: string; variables: Record<string, unknown>; sql: { text: string; values: unknown[] }[] };
}

/** Relay global id → the key inside it ("Type:key", base64). */
export const keyOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').replace(/^[A-Za-z]+:/, '');

export function same(what: string, ours: unknown, floor: unknown): string {
  const a = JSON.stringify(ours);
  const b = JSON.stringify(floor);
  if (a === b) return `same rows (${what})`;
  throw new Error(`ours and the floor disagree on ${what}:\n  ours:  ${a.slice(0, 400)}\n  floor: ${b.slice(0, 400)}`);
}
