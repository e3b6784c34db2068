// Finalises OpenTelemetry traces. OTLP never says "this trace has ended", and the spans of a trace
// come in several exports in any order (children usually before their root; from several services,
// any order at all), so finalising when the root span arrives would reject children that were merely
// late. Instead a trace settles once no span of it has arrived for `settleAfterSeconds`: COMPLETED,
// or FAILED when a top-level span failed, with its root hash, like completeTrace. Runs in `serve`
// beside the reaper, whose much longer idle limit then only catches traces this did not settle.
import type { Logger } from 'pino';
import type { Stores } from '../stores/index.ts';
import { startBackgroundJob, type BackgroundJob } from '../background-job.ts';

export type SettlerOptions = {
  stores: Stores;
  /** A trace with no span recorded for this long is finalised; 0 turns settling off. */
  settleAfterSeconds: number;
  logger: Logger;
  /** Seconds between passes; defaults to min(10, settleAfterSeconds); 0 runs no timer (runOnce only). */
  intervalSeconds?: number;
};

export type Settler = BackgroundJob;

export function startOtlpSettler({ stores, settleAfterSeconds, logger, intervalSeconds }: SettlerOptions): Settler {
  return startBackgroundJob({
    name: 'otlp settler',
    intervalSeconds: settleAfterSeconds <= 0 ? 0 : (intervalSeconds ?? Math.min(10, settleAfterSeconds)),
    logger,
    batchSize: 500,
    cutoff: () => new Date(Date.now() - settleAfterSeconds * 1000),
    list: (cutoff, limit) => stores.otlpSpans.settleableForAnyTenant(cutoff, limit),
    handle: ({ tenantId, traceId }, cutoff) => stores.otlpSpans.settle(tenantId, traceId, cutoff),
  });
}
