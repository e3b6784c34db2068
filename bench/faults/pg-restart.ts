// Fault (b): PostgreSQL goes away under load and comes back. /health must say 503 while it is down
// and 200 after, and writes must succeed again without restarting the service; acknowledged batches
// are stored exactly once. Stops the local cluster (pg_ctlcluster), so it runs only on request:
// `npm run faults -- pg-restart`.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { startServer } from '../lib/server.ts';
import { freshDatabase, post, report, sendWithRetry, sleep, START, verify, type Batch } from './lib.ts';

const run = promisify(execFile);
const cluster = () => readdirSync('/etc/postgresql')[0]!;
const pgctl = (action: 'stop' | 'start') => run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster(), 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])]);

async function pgReady(timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await run('pg_isready', ['-h', '127.0.0.1', '-q']).then(() => true, () => false)) return true;
    await sleep(200);
  }
  return false;
}

export async function pgRestartFault(): Promise<boolean> {
  const db = await freshDatabase();
  const server = await startServer(db.url, 5);
  const health: { at: number; status: number }[] = [];
  let stop = false;
  try {
    await post(server.url, db.key, START, { input: { runId: 'pg' } });
    const base = server.url.replace(/\/graphql$/, '');
    const poll = (async () => {
      while (!stop) {
        const status = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
        health.push({ at: Date.now(), status });
        await sleep(100);
      }
    })();
    const batches: Batch[] = [];
    const acknowledged = new Set<Batch>();
    const counters = { requests: 0, errors: {} as Record<string, number> };
    let recoveredAt = Infinity;
    let ackedAfterRecovery = 0;
    const writer = async () => {
      while (!stop) {
        const batch: Batch = { traceId: 'trace_pg', from: batches.length * 10, size: 10 };
        batches.push(batch);
        const a = await sendWithRetry(() => server.url, db.key, batch, counters, Date.now() + 120_000);
        if (!a.errors) {
          acknowledged.add(batch);
          if (Date.now() > recoveredAt) ackedAfterRecovery += 1;
        }
      }
    };
    const writers = [writer(), writer()];
    await sleep(2000);
    const downAt = Date.now();
    await pgctl('stop');
    // Down long enough for the health poll to see it, then straight back for colleagues' sake.
    const sawDown = async () => health.some((h) => h.at > downAt && h.status === 503);
    for (let i = 0; i < 50 && !(await sawDown()); i += 1) await sleep(100);
    await pgctl('start');
    const ready = await pgReady(60_000);
    for (let i = 0; i < 300 && health.at(-1)?.status !== 200; i += 1) await sleep(100);
    recoveredAt = Date.now();
    await sleep(3000);
    stop = true;
    await Promise.all([...writers, poll]);
    const result = await verify(db.query, batches, acknowledged);
    const down503 = await sawDown();
    const upAfter = health.at(-1)?.status === 200;
    const ok = report('pg-restart', counters.requests, acknowledged.size, result,
      `, health 503 while down: ${down503}, 200 after: ${upAfter}, acknowledged after recovery: ${ackedAfterRecovery}, recovered in ${((recoveredAt - downAt) / 1000).toFixed(1)} s, retried errors ${JSON.stringify(counters.errors)}`);
    return ok && ready && down503 && upAfter && ackedAfterRecovery > 0 && acknowledged.size === batches.length;
  } finally {
    stop = true;
    if (!(await pgReady(1000))) {
      await pgctl('start').catch(() => {});
      await pgReady(60_000);
    }
    await server.stop();
    await db.drop();
  }
}
