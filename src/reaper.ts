// Aborts traces left `running` with no activity (B15: in the reference a crashed worker left its
// traces running for ever). Each trace is aborted through the store, so it gets a root hash and an
// abort reason like any other abort, and the database trigger still guards the transition.
import type { Logger } from 'pino';
import type { Stores } from './stores/index.ts';

export type ReaperOptions = {
  stores: Stores;
  /** A running trace with no step recorded for this long (and started before it) is aborted. */
  staleAfterSeconds: number;
  /** Seconds between passes; 0 runs no timer (passes only through runOnce). */
  intervalSeconds: number;
  logger: Logger;
};

export type Reaper = {
  /** One pass now; while a pass is in flight, callers share it instead of starting another. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a pass in flight. */
  stop(): Promise<void>;
};

const BATCH = 500;

export function startReaper({ stores, staleAfterSeconds, intervalSeconds, logger }: ReaperOptions): Reaper {
  const reason = `reaped: no activity for ${staleAfterSeconds} s`;
  let inFlight: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function pass(): Promise<number> {
    const cutoff = new Date(Date.now() - staleAfterSeconds * 1000);
    let aborted = 0;
    // A failed trace stays in the work list, so a full batch with failures would come back forever:
    // go on to the next batch only while every trace of the previous one was aborted.
    for (;;) {
      const stale = await stores.traces.staleRunningForAnyTenant(cutoff, BATCH);
      let failed = 0;
      for (const { tenantId, traceId } of stale) {
        try {
          await stores.traces.abort(tenantId, traceId, reason);
          aborted += 1;
          logger.info({ tenantId, traceId }, 'reaper: aborted stale trace');
        } catch (error) {
          failed += 1;
          logger.error({ err: error, tenantId, traceId }, 'reaper: could not abort stale trace');
        }
      }
      if (stale.length < BATCH || failed > 0 || stopped) return aborted;
    }
  }

  function runOnce(): Promise<number> {
    inFlight ??= pass().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function schedule() {
    if (stopped || intervalSeconds <= 0) return;
    // Chained timeouts rather than setInterval: the next pass is planned only after this one ends.
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => logger.error({ err: error }, 'reaper: pass failed'))
        .finally(schedule);
    }, intervalSeconds * 1000);
    // The reaper alone must not keep the process alive.
    timer.unref();
  }

  schedule();
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight?.catch(() => {});
    },
  };
}
