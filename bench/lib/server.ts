// The servers under test as child processes: ours (`node dist/main.js serve`, built first) and the
// peer (PostGraphile), and their memory from /proc: VmHWM is the peak resident set, reset before
// each measured run through clear_refs.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Server {
  url: string;
  pid: number;
  /** The server's stdout and stderr (warnings and errors: LOG_LEVEL=warn). */
  logFile: string;
  /** Starts a new peak-RSS window (false when the kernel does not allow it). */
  resetPeak(): boolean;
  /** Peak resident set since the last reset, in MB. */
  peakMb(): number;
  rssMb(): number;
  stop(): Promise<void>;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** A server under test as a child process: ready once its stdout matches `ready` (group 1: its GraphQL URL). */
async function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before listening:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  const pid = child.pid!;
  // If the harness dies (an uncaught error), its server must not live on holding connections.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  const logFile = join(tmpdir(), `aos-bench-${name.replace(/\W+/g, '-')}-${pid}.log`);
  const log = createWriteStream(logFile);
  log.write(output);
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return {
    url,
    pid,
    logFile,
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    peakMb: () => statusKb(pid, 'VmHWM') / 1024,
    rssMb: () => statusKb(pid, 'VmRSS') / 1024,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Our server as production runs it: compiled first (`npm run build:server`, tsc into dist/), then
 * `node dist/main.js serve` with NODE_ENV=production; no tsx in the measured process.
 */
export function startServer(databaseUrl: string, poolSize: number, workers = 1): Promise<Server> {
  execFileSync('npm', ['run', '--silent', 'build:server'], { stdio: 'inherit' });
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the server spends its time.
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const env = {
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    DB_POOL_SIZE: String(poolSize),
    // Explicit: on PostgreSQL the default would be one process per CPU.
    WORKERS: String(workers),
    LOG_LEVEL: 'warn',
    AOS_DEMO: 'off',
    TRACE_REAPER_INTERVAL_SECONDS: '0',
    // The limiter still runs, but one read key at 2,000+ requests a second would pass the default
    // 30,000 a minute within a benchmark (the lookup did, once it got fast enough).
    RATE_LIMIT_PER_MINUTE: '1000000',
    // As the production start path runs it (graphql-js drops its development-only checks).
    NODE_ENV: 'production',
  };
  return startChild('server', [...extra, 'dist/main.js', 'serve'], env, /GraphiQL: (http:\/\/\S+\/graphql)/);
}

/**
 * The peer: PostGraphile 5 over the same database as its owner (bench/peer/postgraphile.mjs has
 * its whole configuration), plain Node with the Promise.withResolvers polyfill Node 20 needs.
 */
export function startPeer(databaseUrl: string, poolSize: number): Promise<Server> {
  const env = { DATABASE_URL: databaseUrl, PORT: '0', DB_POOL_SIZE: String(poolSize), NODE_ENV: 'production' };
  return startChild('postgraphile', ['--import', './bench/peer/with-resolvers.mjs', 'bench/peer/postgraphile.mjs'], env, /PostGraphile peer: (http:\/\/\S+\/graphql)/);
}

/** The floor over HTTP (bench/peer/http-floor.mjs): the floor's SQL behind a bare node:http server. */
export function startHttpFloor(databaseUrl: string, poolSize: number): Promise<Server> {
  const env = { DATABASE_URL: databaseUrl, PORT: '0', DB_POOL_SIZE: String(poolSize), NODE_ENV: 'production' };
  return startChild('http-floor', ['bench/peer/http-floor.mjs'], env, /HTTP floor: (http:\/\/\S+\/sql)/);
}
