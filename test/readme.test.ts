// Every ```graphql block of README.md runs, in order, against a demo tenant: a README that drifts
// from the API fails here.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.ts';
import { GRAPHIQL_EXAMPLES } from '../src/graphiql-examples.ts';
import { gql, setup, sql, type TestEnv } from './helpers.ts';

let env: TestEnv;
let key: string;
beforeAll(async () => {
  env = await setup();
  key = (await seedDemo(env.stores)).apiKey;
});
afterAll(() => env?.close());

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(5));

  it.each(blocks.map((b) => [b.match(/(?:query|mutation)\s+(\w+)/)?.[1] ?? b.slice(0, 40), b]))('%s runs without errors', async (_name, block) => {
    // The only variable README examples use: an id the demo data does not fix in advance.
    const [incident] = await sql<{ id: string }>(env.db, `SELECT id FROM incidents WHERE tenant_id = 'demo' LIMIT 1`);
    const res = await gql(env.app, block, block.includes('$incidentId') ? { incidentId: incident!.id } : {}, key);
    expect(res.errors).toBeUndefined();
    expect(res.data).toBeTruthy();
  });
});

describe('GraphiQL examples', () => {
  const names = [...GRAPHIQL_EXAMPLES.matchAll(/^(?:query|mutation) (\w+)/gm)].map((m) => m[1]!);

  it.each(names)('%s runs without errors', async (operationName) => {
    const res = await env.app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: GRAPHIQL_EXAMPLES, operationName }),
    });
    const body = (await res.json()) as { errors?: unknown; data?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toBeTruthy();
  });
});
