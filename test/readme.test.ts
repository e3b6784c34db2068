// Every ```graphql block of README.md runs, in order, against a demo tenant: a README that drifts
// from the API fails here.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.ts';
import { gql, setup, type TestEnv } from './helpers.ts';

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
    const res = await gql(env.app, block, {}, key);
    expect(res.errors).toBeUndefined();
    expect(res.data).toBeTruthy();
  });
});
