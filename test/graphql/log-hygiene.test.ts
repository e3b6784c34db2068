// Structured logs never carry an API key (nor its secret part) or a secret from a payload, at any
// level, including the errors logged for an unexpected failure.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server.ts';
import { gql, setup, type TestEnv } from '../helpers.ts';

const SECRET_PASSWORD = 'hunter2-correct-horse-battery-staple';
const SECRET_TOKEN = 'sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
  return { logger, text: () => lines.join('') };
}

/** The key and the parts of it an attacker could use: the secret after the key id. */
function keyParts(key: string): string[] {
  const secret = key.split('_').at(-1)!;
  return [key, secret];
}

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
// The last test closes the database under the app; closing again must not fail the file.
afterAll(() => env?.close().catch(() => {}));

const START = `mutation($input: StartTraceInput!) { startTrace(input: $input) { created } }`;
const variables = (runId: string) => ({
  input: { runId, metadata: { password: SECRET_PASSWORD, headers: { authorization: `Bearer ${SECRET_TOKEN}` } }, goal: `use ${SECRET_TOKEN}` },
});

describe('log hygiene', () => {
  it('keeps keys and secret payload values out of debug logs of ordinary, failing and refused requests', async () => {
    const { logger, text } = capture();
    const app = createApp({ db: env.db, stores: env.stores, logger });
    expect((await gql(app, START, variables('log-1'), env.a.write)).errors).toBeUndefined();
    await gql(app, START, { input: { ...variables('log-1').input, goal: 'different' } }, env.a.write); // CONFLICT
    await gql(app, START, { input: { runId: 42, metadata: { password: SECRET_PASSWORD } } }, env.a.write); // coercion
    await gql(app, START, variables('log-2'), env.a.read); // FORBIDDEN
    await gql(app, `query { trace(traceId: "${SECRET_TOKEN}") { traceId } }`, undefined, `${env.a.write}x`); // bad key
    await gql(app, `query { trace(traceId: "x") { traceId  `, undefined, env.a.read); // parse error
    const logged = text();
    expect(logged.length).toBeGreaterThan(0); // the capture works: debug lines were written
    for (const s of [...keyParts(env.a.write), ...keyParts(env.a.read), SECRET_PASSWORD, SECRET_TOKEN]) expect(logged).not.toContain(s);
  });

  // Runs last: it closes the database.
  it('logs an unexpected failure (database gone) as an error, and keeps them out of it', async () => {
    const { logger, text } = capture();
    // The key is in the cache from the requests above, so the failure is the resolver's, not the key lookup's.
    const app = createApp({ db: env.db, stores: env.stores, logger });
    await env.db.close();
    const res = await gql(app, START, variables('log-3'), env.a.write);
    expect(res.status).toBeGreaterThanOrEqual(200);
    const logged = text();
    expect(logged.match(/"level":50/g)).toHaveLength(1); // the failure was logged as an error, once
    for (const s of [...keyParts(env.a.write), SECRET_PASSWORD, SECRET_TOKEN]) expect(logged).not.toContain(s);
  });
});
