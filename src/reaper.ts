// Aborts traces left `running` with no activity (B15: in the reference a crashed worker left its
// traces running for ever). Each trace is aborted through the store, so it gets a root hash and an
// abort reason like any other abort, and the database trigger still guards the transition.
import type { Logger } from 'pino';
import type { Stores } from './stores/index.ts';
import { startBackgroundJob, type BackgroundJob } from './background-job.ts';

export type ReaperOptions = {
  stores: Stores;
  /** A running trace with no step recorded for this long (and started before it) is aborted. */
  staleAfterSeconds: number;
  /** Seconds between passes; 0 runs no timer (passes only through runOnce). */
  intervalSeconds: number;
  logger: Logger;
};

export type Reaper = BackgroundJob;

export function startReaper({ stores, staleAfterSeconds, intervalSeconds, logger }: ReaperOptions): Reaper {
  const reason = `reaped: no activity for ${staleAfterSeconds} s`;
  return startBackgroundJob({
    name: 'reaper',
    intervalSeconds,
    logger,
    batchSize: 500,
    cutoff: () => new Date(Date.now() - staleAfterSeconds * 1000),
    list: (cutoff, limit) => stores.traces.staleRunningForAnyTenant(cutoff, limit),
    async handle({ tenantId, traceId }) {
      await stores.traces.abort(tenantId, traceId, reason);
      logger.info({ tenantId, traceId }, 'reaper: aborted stale trace');
      return true;
    },
  });
}
