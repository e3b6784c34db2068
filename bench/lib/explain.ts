// --explain: EXPLAIN (ANALYZE, BUFFERS) of every statement our server sends for a benchmark's
// first input, next to the floor's. The GraphQL request runs through the real app in this process
// (createApp + app.fetch) while pg's Client.query is wrapped to record each statement and its
// parameters; the recorded statements are then explained on a separate connection.
import pg from 'pg';
import pino from 'pino';
import { createDb } from '../../src/db/client.ts';
import { createApp } from '../../src/server.ts';
import { createStores } from '../../src/stores/index.ts';
import type { Bench } from '../suites/types.ts';

/** `tenant`: the statement ran on a tenant pool (role aos_app, row-level security on). */
type Statement = { text: string; values: unknown[]; tenant?: string | undefined };

let recording: Statement[] | null = null;
const originalQuery = pg.Client.prototype.query;

/** Wraps pg once: while `recording` is set, every statement any pg client sends is kept. */
function installRecorder() {
  if ((pg.Client.prototype.query as { recorder?: true }).recorder) return;
  const wrapped = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | { text?: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof config === 'string' ? config : config?.text;
    const options = (this as unknown as { connectionParameters?: { options?: string } }).connectionParameters?.options ?? '';
    const tenant = /role=aos_app -c aos\.tenant_id=(\S+)/.exec(options)?.[1];
    if (recording && text) recording.push({ text, values: (typeof config === 'object' ? config.values : values) ?? [], tenant });
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  };
  (wrapped as { recorder?: true }).recorder = true;
  pg.Client.prototype.query = wrapped as typeof pg.Client.prototype.query;
}

// A UNION of parenthesised SELECTs (system records: tenant rows and global ones) starts with "(".
const EXPLAINABLE = /^\s*(\(\s*)?(WITH|SELECT)\b/i;

async function explainAll(client: pg.Client, statements: Statement[]): Promise<string[]> {
  const out: string[] = [];
  for (const s of statements) {
    if (!EXPLAINABLE.test(s.text)) continue;
    // Explained as it ran: under the tenant role, with its row-level security policies, or as owner.
    if (s.tenant) await client.query(`SET ROLE aos_app; SELECT set_config('aos.tenant_id', '${s.tenant.replace(/'/g, "''")}', false)`);
    else await client.query('RESET ROLE');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values);
    out.push(`${s.tenant ? `[as aos_app, tenant ${s.tenant}] ` : ''}${s.text.replace(/\s+/g, ' ').trim()}\n  -- $n = ${JSON.stringify(s.values).slice(0, 300)}\n${rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
  }
  return out;
}

export async function explainBenches(databaseUrl: string, apiKey: string, benches: Bench[]): Promise<string> {
  installRecorder();
  const db = await createDb({ databaseUrl, poolSize: 4 });
  const app = createApp({ db, stores: createStores(db), logger: pino({ level: 'warn' }) });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const sections: string[] = [];
  try {
    for (const b of benches) {
      if (!b.sample || b.concurrency !== 1) continue;
      const statements: Statement[] = [];
      recording = statements;
      const response = await app.fetch('http://bench.local/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: b.sample.query, variables: b.sample.variables }),
      });
      const body = (await response.json()) as { errors?: unknown[] };
      recording = null;
      if (body.errors) throw new Error(`${b.title}: ${JSON.stringify(body.errors).slice(0, 300)}`);
      const ours = await explainAll(client, statements);
      const floor = await explainAll(client, b.sample.sql.map((q) => ({ ...q, tenant: undefined })));
      sections.push(
        [
          `### ${b.title}`,
          `Ours: ${statements.length} statements (${statements.map((s) => s.text.trim().split(/\s+/)[0]).join(', ')}).`,
          ...ours,
          'Floor:',
          ...floor,
        ].join('\n\n'),
      );
    }
  } finally {
    recording = null;
    await client.end();
    await db.close();
  }
  return sections.join('\n\n');
}
