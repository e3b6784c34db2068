// Retention of one month of trace steps (issue 14 §3): by dropping the month's partition, or by
// the batched delete (steps by cascade from their traces), on a generated dataset. Archives the
// month first (not measured: the same work either way), vacuums, checkpoints, then measures the deleting
// run: wall time and WAL bytes (pg_current_wal_lsn before and after). Changes the database: run it
// on a copy (CREATE DATABASE x TEMPLATE aos_bench_…), never on the dataset itself.
// WAL: pg_current_wal_lsn() is cluster-wide, and other databases on a shared server write too, so
// the bytes are also counted from the WAL itself (pg_waldump --follow, run as the server's OS user or
// root on the same machine): the records of blocks of this database only, full-page images included.
//   npx tsx bench/partition-retention.ts --database <copy> --month 2026-08 --mode drop|batched [--pg-wal <dir>]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { runRetention } from '../src/cli/retention.ts';
import { createDb } from '../src/db/client.ts';
import { createStores } from '../src/stores/index.ts';
import { requireDatabaseUrl } from './lib/db.ts';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    month: { type: 'string' },
    mode: { type: 'string' },
    'database-url': { type: 'string' },
    'pg-wal': { type: 'string', default: '/var/lib/postgresql/15/main/pg_wal' },
    'pg-waldump': { type: 'string', default: '/usr/lib/postgresql/15/bin/pg_waldump' },
  },
});
if (!args.database || !/^\d{4}-\d{2}$/.test(args.month ?? '') || !['drop', 'batched'].includes(args.mode ?? '')) {
  console.error('usage: npx tsx bench/partition-retention.ts --database <copy> --month YYYY-MM --mode drop|batched');
  process.exit(2);
}
if (/^aos_bench_[0-9]+[km]$/.test(args.database)) {
  console.error(`refusing to change ${args.database} itself: measure on a copy`);
  process.exit(2);
}
const url = new URL(requireDatabaseUrl(args['database-url']));
url.pathname = `/${args.database}`;
const db = await createDb({ databaseUrl: url.toString(), poolSize: 4 });
const stores = createStores(db);

// Ages counted from the first day of the next month plus one day, with one-day ages: the cutoffs
// fall on the first instant of the next month, so the month's traces (created when they started,
// in the generator) are exactly the ones archived and deleted.
const [year, month] = args.month!.split('-').map(Number) as [number, number];
const asOf = new Date(Date.UTC(year, month, 2));
const one = async (text: string) => (await db.withSession((s) => s.query<Record<string, string>>(text)))[0]!;

const steps = async () => (await one('SELECT count(*)::text AS n FROM aos_trace_steps')).n;
console.log(`${args.database}: ${await steps()} steps; archiving ${args.month} (not measured)…`);
const archived = await runRetention(stores, { archiveAfterDays: 1, asOf });
console.log(`archived ${archived.tenants.reduce((n, t) => n + t.archivedTraces, 0)} traces, ${archived.tenants.reduce((n, t) => n + t.archivedSteps, 0)} steps`);
// Archive and delete are months apart in practice: autovacuum has long cleaned up after the
// archive's updates (set hint bits, removed old versions). Without this, the first reader of each
// freshly updated page writes it to WAL in full (hint bits after a checkpoint), in both modes.
await db.withSession((s) => s.exec('VACUUM aos_trace_steps, aos_traces'));
// Read before the CHECKPOINT: pg_waldump needs a record after its start, and the checkpoint writes one.
const lsn0 = (await one('SELECT pg_current_wal_lsn()::text AS lsn')).lsn!;
await db.withSession((s) => s.exec('CHECKPOINT'));

const lsnValue = (lsn: string) => {
  const [hi, lo] = lsn.split('/') as [string, string];
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
};
/** Sums the WAL records touching this database's blocks from `start` until told where to stop. */
function ownWal(start: string, dbOid: string) {
  const child = spawn(args['pg-waldump']!, ['--follow', '-p', args['pg-wal']!, '-s', start], { stdio: ['ignore', 'pipe', 'pipe'] });
  let complaint = '';
  child.stderr.on('data', (chunk: Buffer) => void (complaint += chunk.toString()));
  let exited = false;
  child.on('exit', () => void (exited = true));
  const mine = new RegExp(` rel \\d+/${dbOid}/`);
  let bytes = 0;
  let last = 0n;
  let stopAt: bigint | null = null;
  let finish: (() => void) | null = null;
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const lsn = /lsn: ([0-9A-F]+\/[0-9A-F]+)/.exec(line);
    if (!lsn) return;
    last = lsnValue(lsn[1]!);
    if (stopAt !== null && last >= stopAt) return void (child.kill(), finish?.());
    if (mine.test(line)) bytes += Number(/len \(rec\/tot\):\s*\d+\/\s*(\d+)/.exec(line)?.[1] ?? 0);
  });
  return {
    stop: (end: string) =>
      new Promise<number>((resolve) => {
        stopAt = lsnValue(end);
        finish = () => resolve(bytes);
        if (last >= stopAt) (child.kill(), resolve(bytes));
        // pg_waldump --follow waits for a record at or past `end`; the caller switches WAL segments
        // after reading `end`, which writes (and flushes) one even on an idle server.
        const timer = setInterval(() => {
          if (last >= stopAt!) (clearInterval(timer), child.kill(), resolve(bytes));
          else if (exited) (clearInterval(timer), console.error(`pg_waldump stopped early: ${complaint.trim()}`), resolve(Number.NaN));
        }, 1000);
      }),
  };
}

// The partition phase timed on its own (the rest is the batched delete of the month's traces).
let dropMs: number | null = null;
const dropExpired = stores.partitions.dropExpiredStepPartitions;
stores.partitions.dropExpiredStepPartitions = async (before) => {
  const t = performance.now();
  const dropped = await dropExpired(before);
  dropMs = performance.now() - t;
  return dropped;
};

const dbOid = (await one('SELECT oid::text AS oid FROM pg_database WHERE datname = current_database()')).oid!;
const own = ownWal(lsn0, dbOid);
const t0 = performance.now();
const report = await runRetention(stores, { archiveAfterDays: 1, deleteAfterDays: 1, asOf, dropPartitions: args.mode === 'drop' });
const ms = performance.now() - t0;
const lsn1 = (await one('SELECT pg_current_wal_lsn()::text AS lsn')).lsn!;
// An idle server writes no record after lsn1, and pg_waldump would wait for one for ever.
await one('SELECT pg_switch_wal()::text AS lsn');
const wal = (await one(`SELECT pg_wal_lsn_diff('${lsn1}', '${lsn0}')::bigint::text AS bytes`)).bytes;
const ownBytes = await own.stop(lsn1);
const deletedTraces = report.tenants.reduce((n, t) => n + t.deletedTraces, 0);
const deletedSteps = report.tenants.reduce((n, t) => n + t.deletedSteps, 0);
console.log(
  `mode ${args.mode}: deleted ${deletedTraces} traces and ${deletedSteps} steps in ${(ms / 1000).toFixed(2)} s, ` +
    `WAL of this database ${(ownBytes / 1048576).toFixed(1)} MB (whole server meanwhile ${(Number(wal) / 1048576).toFixed(1)} MB)` +
    `${report.droppedPartitions.length ? `; dropped ${report.droppedPartitions.join(', ')} in ${(dropMs! / 1000).toFixed(2)} s` : ''}; ${await steps()} steps left`,
);
await db.close();
