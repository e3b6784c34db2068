// The browser tests' world: a real server on a free port (the app of test/helpers.ts over HTTP,
// demo data seeded), the system Chromium driven by playwright-core, and a record of every request
// the page makes to any host but the server's (there must be none: D12).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seedDemo } from '../../src/demo/seed.ts';
import { gql, setup, type TestEnv } from '../helpers.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export type Explorer = {
  env: TestEnv;
  origin: string;
  demoKey: string;
  browser: Browser;
  /** A fresh browser context (its own sessionStorage) on `path`, the key handed over in the fragment. */
  open: (path: string, key?: string | null) => Promise<{ page: Page; context: BrowserContext; foreign: string[] }>;
  /** GraphQL as the demo tenant (or with `key`), through the real HTTP path. */
  api: <R = Record<string, any>>(query: string, variables?: Record<string, unknown>, key?: string) => Promise<R>;
  close: () => Promise<void>;
};

export async function startExplorer(): Promise<Explorer> {
  const env = await setup();
  const { apiKey: demoKey } = await seedDemo(env.stores);
  const server: Server = createServer(env.app.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  return {
    env,
    origin,
    demoKey,
    browser,
    async open(path, key = demoKey) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
      const foreign: string[] = [];
      // Anything for another host is recorded and refused, as it would be on an air-gapped network.
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        foreign.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      await page.goto(`${origin}${path}${key ? `#key=${key}` : ''}`);
      return { page, context, foreign };
    },
    async api(query, variables = {}, key = demoKey) {
      const res = await gql(env.app, query, variables, key);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data as any;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await env.close();
    },
  };
}

/** `npm run screenshots` sets AOS_SCREENSHOTS to the folder README.md names; tests skip it otherwise. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.AOS_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png` });
}

/** Records a finished trace of `steps` steps for `agentId` through the API; returns its trace id. */
export async function recordTrace(
  x: Explorer,
  { runId, agentId, steps, fail = false, key }: { runId: string; agentId: string; steps: number; fail?: boolean; key?: string },
): Promise<string> {
  const started = await x.api<any>(`mutation($input: StartTraceInput!) { startTrace(input: $input) { trace { traceId } } }`, { input: { runId, agentId } }, key);
  const traceId: string = started.startTrace.trace.traceId;
  const t0 = Date.now() - steps * 50;
  for (let from = 0; from < steps; from += 500) {
    const batch = Array.from({ length: Math.min(500, steps - from) }, (_, k) => {
      const i = from + k;
      const failed = fail && i === steps - 1;
      return {
        traceId,
        stepIndex: i,
        skillName: i % 3 === 0 ? 'search' : i % 3 === 1 ? 'plan' : 'summarise',
        status: failed ? 'FAILURE' : 'SUCCESS',
        timestamp: new Date(t0 + i * 50).toISOString(),
        durationMs: 40,
        costCents: '0.25',
        params: { query: `question ${i}`, api_key: 'sk-live-secret-that-must-not-show' },
        ...(failed ? { outcomeCode: 'timeout', outcomeData: { error: 'model timed out' } } : { outcomeData: { answer: `answer ${i}` } }),
      };
    });
    await x.api(`mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount } }`, { input: { steps: batch } }, key);
  }
  await x.api(`mutation($input: CompleteTraceInput!) { completeTrace(input: $input) { traceId } }`, { input: { traceId, status: fail ? 'FAILED' : 'COMPLETED' } }, key);
  return traceId;
}
