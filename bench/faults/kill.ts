// Fault (a): SIGKILL the server in the middle of a stream of batched step writes sent with retries,
// restart it, finish the stream; every acknowledged step must be stored exactly once and no batch
// half-written. `npm run faults -- kill` (needs Postgres: DATABASE_URL or the local default).
import { startServer, type Server } from '../lib/server.ts';
import { freshDatabase, post, report, sendWithRetry, START, verify, type Batch } from './lib.ts';

const TRACES = 8;
const BATCHES = 200;
const STEPS = 50;
const WORKERS = 4;
const KILL_AFTER = 70;

export async function killFault(): Promise<boolean> {
  const db = await freshDatabase();
  let server: Server = await startServer(db.url, 5);
  let url = server.url;
  try {
    for (let t = 0; t < TRACES; t += 1) await post(url, db.key, START, { input: { runId: `kill-${t}` } });
    const batches: Batch[] = Array.from({ length: BATCHES }, (_, i) => ({ traceId: `trace_kill-${i % TRACES}`, from: Math.floor(i / TRACES) * STEPS, size: STEPS }));
    const acknowledged = new Set<Batch>();
    const counters = { requests: 0, errors: {} as Record<string, number> };
    const deadline = Date.now() + 180_000;
    let killed: Promise<void> | null = null;
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const answer = await sendWithRetry(() => url, db.key, batch, counters, deadline);
        if (!answer.errors) acknowledged.add(batch);
        if (acknowledged.size >= KILL_AFTER && !killed) {
          killed = (async () => {
            process.kill(server.pid, 'SIGKILL'); // other workers' requests are in flight now
            await server.stop();
            console.log(`killed the server after ${acknowledged.size} acknowledged batches; restarting`);
            server = await startServer(db.url, 5);
            url = server.url;
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await killed;
    const result = await verify(db.query, batches, acknowledged);
    const rejected = batches.length - acknowledged.size;
    const ok = report('kill', counters.requests, acknowledged.size, result, `, rejected: ${rejected}, retried errors ${JSON.stringify(counters.errors)}`);
    return ok && rejected === 0 && killed !== null && result.stored === BATCHES * STEPS;
  } finally {
    await server.stop();
    await db.drop();
  }
}
