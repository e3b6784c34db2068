// Several server processes behind one port (WORKERS, issue 14) with node:cluster: the primary
// forks the workers, which each run the whole server and share the listening socket, and then
// only supervises them. It restarts a worker that dies (with backoff, so a worker that dies at
// once does not spin), forwards SIGINT/SIGTERM to them and exits once they are all gone.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** What a worker sends the primary once it serves requests. */
export type ReadyMessage = { type: 'aos-ready'; port: number };

const isReady = (message: unknown): message is ReadyMessage =>
  typeof message === 'object' && message !== null && (message as ReadyMessage).type === 'aos-ready';

/** Tells the primary this worker is serving (no-op outside a cluster worker). */
export function reportReady(port: number): void {
  process.send?.({ type: 'aos-ready', port } satisfies ReadyMessage);
}

/** A worker that lived at least this long was healthy: its death restarts it without delay. */
const HEALTHY_AFTER_MS = 30_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A repeat of the shutdown signal within this long is the same signal delivered twice (as in main.ts). */
const SIGNAL_ECHO_MS = 1000;

export type ClusterOptions = {
  workers: number;
  logger: Logger;
  /** Runs once, when every first worker serves: `port` is the shared port. */
  onReady(port: number): Promise<void>;
};

/**
 * Forks the workers and supervises them; resolves to the primary's exit code: 0 after a clean
 * shutdown, 1 when a first worker failed to start (it said why on stderr) or a worker did not stop
 * cleanly.
 */
export function runCluster({ workers, logger, onReady }: ClusterOptions): Promise<number> {
  return new Promise<number>((resolve) => {
    const starting = new Set<Worker>();
    const bornAt = new Map<Worker, number>();
    let started = false;
    let stoppingSince: number | undefined;
    let failed = false;
    let quickDeaths = 0;
    const restarts = new Set<NodeJS.Timeout>();

    const fork = () => {
      const worker = cluster.fork();
      bornAt.set(worker, performance.now());
      if (!started) starting.add(worker);
      worker.on('message', (message: unknown) => {
        if (!isReady(message)) return;
        logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker serving');
        if (!starting.delete(worker) || starting.size || started) return;
        started = true;
        onReady(message.port).catch((error: unknown) => logger.error({ err: error }, 'after start'));
      });
      return worker;
    };

    const stop = (signal: NodeJS.Signals) => {
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    };

    const finish = () => {
      if (Object.keys(cluster.workers ?? {}).length || restarts.size) return;
      logger.info('stopped');
      resolve(failed ? 1 : 0);
    };

    cluster.on('exit', (worker, code, signal) => {
      const lived = performance.now() - (bornAt.get(worker) ?? 0);
      bornAt.delete(worker);
      if (stoppingSince !== undefined) {
        if (code !== 0) failed = true;
        return finish();
      }
      if (!started) {
        // A worker that cannot start (port in use, database unreachable) would fail again: stop.
        logger.error({ worker: worker.id, code, signal }, 'a worker failed to start: stopping the others');
        failed = true;
        stoppingSince = performance.now();
        stop('SIGTERM');
        return finish();
      }
      quickDeaths = lived >= HEALTHY_AFTER_MS ? 0 : quickDeaths + 1;
      const delay = quickDeaths === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** quickDeaths);
      logger.error({ worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: Math.round(delay) }, 'worker died unexpectedly: restarting it');
      const timer = setTimeout(() => {
        restarts.delete(timer);
        fork();
      }, delay);
      restarts.add(timer);
    });

    const onSignal = (signal: NodeJS.Signals) => {
      if (stoppingSince !== undefined) {
        // Ctrl-C reaches every process of the group and npm forwards it once more: only a signal
        // after that is a second request, which the workers take as "do not wait".
        if (performance.now() - stoppingSince < SIGNAL_ECHO_MS) return;
        logger.warn({ signal }, 'second signal: telling the workers not to wait');
      } else {
        stoppingSince = performance.now();
        logger.info({ signal, workers: workers }, 'shutting down: stopping the workers');
      }
      stop(signal);
      finish();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    logger.info({ workers }, `starting ${workers} server processes`);
    for (let i = 0; i < workers; i++) fork();
  });
}
