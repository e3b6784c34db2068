// Fault (c): a client that disconnects mid-request. Large batches are sent over raw HTTP and the
// socket is destroyed at different moments after the body went out; each batch must end up fully
// stored or absent, and resending it afterwards stores it exactly once. `npm run faults -- disconnect`.
import { request } from 'node:http';
import { startServer } from '../lib/server.ts';
import { batchSteps, freshDatabase, post, RECORD, report, sendWithRetry, sleep, START, verify, type Batch } from './lib.ts';

const SIZE = 1000;
/** Padding of each step's params, so that a batch takes a while to store; retries resend it identically. */
const PAD = 200;
const ABORT_AFTER_MS = [0, 0, 1, 5, 20, 50, 100, 200, 400, 800];

function sendAndAbort(url: string, key: string, batch: Batch, afterMs: number): Promise<void> {
  const body = JSON.stringify({ query: RECORD, variables: { input: { steps: batchSteps(batch, PAD) } } });
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.end(body, () => setTimeout(() => (req.destroy(), resolve()), afterMs));
  });
}

export async function disconnectFault(): Promise<boolean> {
  const db = await freshDatabase();
  const server = await startServer(db.url, 5);
  try {
    await post(server.url, db.key, START, { input: { runId: 'disconnect' } });
    const batches: Batch[] = ABORT_AFTER_MS.map((_, i) => ({ traceId: 'trace_disconnect', from: i * SIZE, size: SIZE }));
    for (const [i, batch] of batches.entries()) await sendAndAbort(server.url, db.key, batch, ABORT_AFTER_MS[i]!);
    await sleep(3000); // let the server finish (or roll back) what the clients walked away from
    const afterAbort = await verify(db.query, batches, new Set());
    const storedAfterAbort = afterAbort.stored / SIZE;
    // Resending the identical body is the client's recovery: a batch the server finished is answered
    // as duplicates, one it rolled back is stored now; either way each is stored exactly once.
    const counters = { requests: batches.length, errors: {} as Record<string, number> };
    const acknowledged = new Set<Batch>();
    for (const b of batches) if (!(await sendWithRetry(() => server.url, db.key, b, counters, Date.now() + 60_000, PAD)).errors) acknowledged.add(b);
    const final = await verify(db.query, batches, acknowledged);
    const ok = report('disconnect', counters.requests, acknowledged.size, { lost: final.lost, duplicates: final.duplicates, partial: afterAbort.partial + final.partial }, `, aborted batches stored anyway: ${storedAfterAbort}/${batches.length}`);
    return ok && acknowledged.size === batches.length;
  } finally {
    await server.stop();
    await db.drop();
  }
}
