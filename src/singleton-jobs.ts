// Work that must run once per deployment, not once per server process: the background jobs (the
// reaper, the OTLP settler) and a `retention` run: on PostgreSQL, the process holding a session advisory lock runs them. The lock
// lives on a dedicated connection, so it goes when that process dies or loses the connection
// (Postgres ends the session), and another process takes over at its next try. Each process
// tries every `retryMs` while it does not hold the lock. The embedded database has one process:
// the jobs simply run there.
import pg from 'pg';
import type { Logger } from 'pino';
import type { Db } from './db/client.ts';
import { conflict } from './errors.ts';
import type { ListenTarget } from './live/listener.ts';

/** The advisory lock key of the background jobs ("aosjobs" in ASCII); database-wide. */
export const BACKGROUND_JOBS_LOCK = '27425614238540403';

export type Jobs = { stop(): Promise<void> };

export type SingletonOptions = {
  target: ListenTarget;
  logger: Logger;
  /** Starts the jobs in this process (called again after each takeover). */
  start: () => Jobs;
  /** How often a process without the lock tries to take it. */
  retryMs?: number;
};

export function runOncePerDeployment({ target, logger, start, retryMs = 5000 }: SingletonOptions): Jobs {
  if ('pglite' in target) {
    logger.info('background jobs run in this process (embedded database: one process)');
    return start();
  }
  const connectionString = target.connectionString;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let client: pg.Client | undefined;
  let jobs: Jobs | undefined;
  let attempt: Promise<void> | undefined;

  const retry = () => {
    if (stopped) return;
    timer = setTimeout(() => void (attempt = tryToLead()), retryMs);
    timer.unref();
  };

  async function release(reason: Error) {
    const running = jobs;
    jobs = undefined;
    client = undefined;
    if (!running) return;
    logger.warn({ err: reason }, 'background jobs: lost the advisory lock; stopping them here and trying again');
    await running.stop();
    retry();
  }

  async function tryToLead(): Promise<void> {
    const candidate = new pg.Client({ connectionString, keepAlive: true, application_name: 'aos-logs background jobs' });
    candidate.on('error', (error) => void release(error));
    candidate.on('end', () => void release(new Error('lock connection ended')));
    let locked = false;
    try {
      await candidate.connect();
      const { rows } = await candidate.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [BACKGROUND_JOBS_LOCK]);
      locked = rows[0]?.locked === true;
    } catch (error) {
      logger.warn({ err: error }, 'background jobs: cannot reach the database to take the advisory lock; trying again');
    }
    if (!locked || stopped) {
      candidate.removeAllListeners('end');
      await candidate.end().catch(() => {});
      retry();
      return;
    }
    client = candidate;
    logger.info('background jobs run in this process (it holds the advisory lock)');
    jobs = start();
  }

  attempt = tryToLead();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await attempt;
      const running = jobs;
      jobs = undefined;
      await running?.stop();
      // Closing the session releases the lock for the other processes.
      const holder = client;
      client = undefined;
      holder?.removeAllListeners('end');
      await holder?.end().catch(() => {});
    },
  };
}

/** The advisory lock key of `retention` runs ("aosrtn" in ASCII); database-wide. */
export const RETENTION_LOCK = '107131306144878';

/**
 * Runs `work` only if no other process of the deployment is running it (the advisory lock `key`,
 * held on one session for the whole run); otherwise refuses with CONFLICT, changing nothing. The
 * embedded database has one process: no lock.
 */
export async function exclusively<T>(db: Db, key: string, what: string, work: () => Promise<T>): Promise<T> {
  if (db.kind === 'pglite') return work();
  return db.withSession(async (session) => {
    const [row] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (!row?.locked) throw conflict(`${what} is already running against this database (another process holds its lock): wait for it to finish`);
    try {
      return await work();
    } finally {
      await session.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    }
  });
}
