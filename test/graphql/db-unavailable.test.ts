// When the database cannot be reached, clients get a retryable 503 SERVICE_UNAVAILABLE (not a
// masked 500), and /health says so too.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/client.ts';
import { createApp } from '../../src/server.ts';
import { createStores } from '../../src/stores/index.ts';
import { usingPostgres } from '../helpers.ts';

let db: Db;
beforeAll(async () => {
  // Port 1 on loopback: nothing listens there.
  db = await createDb({ databaseUrl: 'postgresql://nobody@127.0.0.1:1/nowhere', poolSize: 1 });
});
afterAll(() => db?.close());

describe.runIf(usingPostgres)('database unavailable', () => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, and /health 503', async () => {
    const app = createApp({ db, stores: createStores(db), logger: pino({ level: 'silent' }) });
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer aos_AAAAAAAAAAAA_${'B'.repeat(40)}` },
      body: JSON.stringify({ query: '{ viewer { keyId } }' }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect((await app.fetch('http://test/health')).status).toBe(503);
  });
});
