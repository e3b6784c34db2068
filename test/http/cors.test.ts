// CORS (issue 11): yoga's default reflected any Origin with Access-Control-Allow-Credentials.
// Now no origin is allowed unless CORS_ORIGINS names it, credentials never are, and /v1/traces
// answers a browser exporter's preflight for an allowed origin.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createApp, type App } from '../../src/server.ts';
import { setup, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let allowing: App;
const ALLOWED = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

beforeAll(async () => {
  env = await setup();
  allowing = createApp({ db: env.db, stores: env.stores, logger: pino({ level: 'silent' }), metricsEnabled: false, corsOrigins: [ALLOWED] });
});
afterAll(() => env?.close());

const preflight = (app: App, path: string, origin: string) =>
  app.fetch(`http://test${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
const post = (app: App, path: string, origin: string, body: unknown) =>
  app.fetch(`http://test${path}`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${env.a.write}` },
    body: JSON.stringify(body),
  });

describe('default: same origin only', () => {
  it.each(['/graphql', '/v1/traces'])('%s: neither a preflight nor a request gets CORS headers, for any origin', async (path) => {
    const pre = await preflight(env.app, path, EVIL);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const res = await post(env.app, path, EVIL, path === '/graphql' ? { query: '{ viewer { keyId } }' } : { resourceSpans: [] });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('CORS_ORIGINS', () => {
  it.each(['/graphql', '/v1/traces'])('%s answers the preflight of an allowed origin, without credentials', async (path) => {
    const pre = await preflight(allowing, path, ALLOWED);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets an allowed origin post spans and read the answer; another origin gets no CORS headers', async () => {
    const ok = await post(allowing, '/v1/traces', ALLOWED, { resourceSpans: [] });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const other = await preflight(allowing, '/v1/traces', EVIL);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherPost = await post(allowing, '/graphql', EVIL, { query: '{ viewer { keyId } }' });
    expect(otherPost.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('is parsed from a comma-separated list of origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.com/path' })).toThrow(/CORS_ORIGINS/);
  });
});
