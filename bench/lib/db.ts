// Connection strings and the dataset marker shared by the generator and the benchmarks. A
// generated database carries its description as the database COMMENT, so nothing is added to the
// schema and `npm run bench` knows what it is measuring.
import pg from 'pg';

export const META_KIND = 'aos-logs-bench-dataset';

export interface DatasetMeta {
  kind: typeof META_KIND;
  generatorVersion: number;
  seed: number;
  targetSteps: number;
  label: string;
  /** The span of trace start times, ISO. */
  from: string;
  to: string;
  counts: Record<string, number>;
  largeTenant: string;
  treeTraceId: string;
  generatedAt: string;
  loadSeconds: number;
  /** false while loading: a crash leaves a dataset that --reset must replace. */
  complete: boolean;
}

export function requireDatabaseUrl(flag: string | undefined): string {
  const url = flag ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('error: give --database-url postgres://… or set DATABASE_URL (a Postgres server is required)');
    process.exit(2);
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    console.error('error: the database URL must start with postgres:// or postgresql://');
    process.exit(2);
  }
  return url;
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** host:port/db, never the password. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname}`;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function readMeta(client: pg.Client | pg.Pool): Promise<DatasetMeta | null> {
  const { rows } = await client.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = current_database()`,
  );
  try {
    const meta = JSON.parse(rows[0]?.comment ?? 'null') as DatasetMeta | null;
    return meta?.kind === META_KIND ? meta : null;
  } catch {
    return null;
  }
}

export async function writeMeta(client: pg.Client | pg.Pool, database: string, meta: DatasetMeta): Promise<void> {
  const text = JSON.stringify(meta).replace(/'/g, "''");
  await client.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS '${text}'`);
}
