// The explorer and GraphiQL over plain HTTP (D12): every asset from this server, compressed and
// cacheable; no API key and no other host in any HTML the server sends.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.ts';
import { GRAPHIQL_ASSETS_PATH } from '../../src/explorer/graphiql.ts';
import { setup, type TestEnv } from '../helpers.ts';

let env: TestEnv;
let demoKey: string;
beforeAll(async () => {
  env = await setup();
  demoKey = (await seedDemo(env.stores)).apiKey;
});
afterAll(() => env?.close());

const get = (path: string, headers: Record<string, string> = {}) => env.app.fetch(`http://test${path}`, { headers });
const foreignUrl = /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i;

describe('explorer', () => {
  it('answers its routes with index.html, which loads only same-origin assets', async () => {
    for (const path of ['/', '/traces/trace_x', '/incidents', '/ledger', '/dashboard', '/key']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    const html = await (await get('/')).text();
    expect(html).not.toMatch(foreignUrl);
    expect(html).not.toMatch(/aos_[A-Za-z0-9]+_/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await get(script, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toContain('/graphql');
  });

  it('leaves the API, Prometheus and unknown paths alone, and cannot be walked out of its folder', async () => {
    expect((await get('/metrics')).headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await get('/health')).status).toBe(200);
    expect((await get('/assets/../../package.json')).status).toBe(404);
    expect((await get('/assets/%2e%2e/%2e%2e/package.json')).status).toBe(404);
    expect((await get('/nope')).status).toBe(404);
  });
});

describe('GraphiQL', () => {
  it('serves a page with no key and no other host, and every asset it names', async () => {
    const res = await get('/graphql', { accept: 'text/html' });
    const html = await res.text();
    expect(html).not.toContain(demoKey);
    expect(html).not.toMatch(/Bearer aos_/);
    expect(html).not.toMatch(foreignUrl);
    const assets = [...html.matchAll(/"(\/graphiql-assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(6); // script, styles, favicon, three workers
    for (const path of new Set(assets)) {
      expect(path.startsWith(GRAPHIQL_ASSETS_PATH)).toBe(true);
      const asset = await get(path, { 'accept-encoding': 'gzip' });
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      const body = gunzipSync(Buffer.from(await asset.arrayBuffer())).toString('latin1');
      // The assets themselves load nothing from elsewhere either.
      expect(body, path).not.toMatch(/(?:unpkg\.com|jsdelivr\.net|cdnjs|fonts\.googleapis|raw\.githubusercontent)/);
    }
    expect((await get(`${GRAPHIQL_ASSETS_PATH}nope.js`)).status).toBe(404);
  });
});
