// Every ```graphql block of README.md runs, in order, against a demo tenant, and every ```sh block
// that talks to the server ($AOS_URL) runs in bash, in order, as pasted, against a server started
// the README's way, after the `export` lines it prints: a README that drifts from the API fails here.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

describe('README shell examples', () => {
  const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes('$AOS_URL'));

  it('has the curl, OpenTelemetry, forensics, live-tail and operations examples', () => expect(shellBlocks.length).toBeGreaterThanOrEqual(6));

  it('run in order, as pasted, against the embedded demo server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aos-readme-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|AOS_|PORT$|HOST$|NODE_OPTIONS$)/.test(k)));
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...env, PORT: '0', AOS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', TRACE_REAPER_INTERVAL_SECONDS: '0' },
    });
    let printed = '';
    const exited = new Promise<number | null>((resolve) => server.on('close', (code) => resolve(code)));
    try {
      // The two lines a user pastes, exactly as the server printed them.
      const exports = await new Promise<string>((resolve, reject) => {
        server.stdout.on('data', (chunk) => {
          printed += chunk;
          const lines = printed.match(/^\s*export AOS_URL=\S+\n\s*export AOS_KEY=\S+$/m);
          if (lines) resolve(lines[0]);
        });
        server.stderr.on('data', (chunk) => (printed += chunk));
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${printed}`)));
      });
      // Terminal 1 of the live tail runs beside the blocks after it and must end by itself.
      const script = ['set -eo pipefail', exports.trim().split('\n').map((l) => l.trim()).join('\n')];
      shellBlocks.forEach((block, i) => {
        const run = block.startsWith('# Terminal 1') ? `( ${block}\n) > "$TERMINAL_1" 2>&1 &\nterminal1=$!` : block;
        script.push(`printf '\\n::block ${i}::\\n'`, run);
      });
      script.push(`printf '\\n::end::\\n'`, 'wait "$terminal1"');
      const terminal1 = join(dataDir, 'terminal-1.out');
      const bash = spawn('bash', ['-c', script.join('\n')], { env: { ...env, TERMINAL_1: terminal1 } });
      let out = '';
      bash.stdout.on('data', (chunk) => (out += chunk));
      bash.stderr.on('data', (chunk) => (out += chunk));
      const code = await new Promise<number | null>((resolve) => bash.on('close', resolve));
      expect(code, out).toBe(0);
      const outputs = out.split(/^::block \d+::$/m).slice(1);
      expect(outputs).toHaveLength(shellBlocks.length);
      outputs.forEach((output, i) => {
        expect(output, `block ${i}:\n${shellBlocks[i]}`).not.toMatch(/"errors"|Unauthorized|error:/);
      });
      expect(out).toMatch(/"scopes":\["READ","WRITE","ADMIN"\]/);
      expect(out).toMatch(/"exportBundle":\{"bundleId":"[^"]+","contentHash":"[0-9a-f]{64}"\}/);
      const live = await readFile(terminal1, 'utf8');
      expect(live).toMatch(/"step":\{"stepIndex":1,"skillName":"answer","status":"SUCCESS"\}/);
      expect(live).toMatch(/event: complete/);
    } finally {
      server.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
