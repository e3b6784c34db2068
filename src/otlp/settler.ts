// Finalises OpenTelemetry traces. OTLP never says "this trace has ended", and the spans of a trace
// come in several exports in any order (children usually before their root; from several services,
// any order at all), so finalising when the root span arrives would reject children that were merely
// late. Instead a trace settles once no span of it has arrived for `settleAfterSeconds`: COMPLETED,
// or FAILED when a top-level span failed, with its root hash, like completeTrace. Runs in `serve`
// beside the reaper, whose much longer idle limit then only catches traces this did not settle.
import type { Logger } from 'pino';
import type { Stores } from '../stores/index.ts';

export type SettlerOptions = {
  stores: Stores;
  /** A trace with no span recorded for this long is finalised; 0 turns settling off. */
  settleAfterSeconds: number;
  logger: Logger;
  /** Seconds between passes; defaults to min(10, settleAfterSeconds); 0 runs no timer (runOnce only). */
  intervalSeconds?: number;
};

export type Settler = {
  /** One pass now; while a pass is in flight, callers share it. Returns the traces finalised. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
};

const BATCH = 500;

export function startOtlpSettler({ stores, settleAfterSeconds, logger, intervalSeconds }: SettlerOptions): Settler {
  const interval = settleAfterSeconds <= 0 ? 0 : (intervalSeconds ?? Math.min(10, settleAfterSeconds));
  let inFlight: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function pass(): Promise<number> {
    const cutoff = new Date(Date.now() - settleAfterSeconds * 1000);
    let settled = 0;
    for (;;) {
      const candidates = await stores.otlpSpans.settleableForAnyTenant(cutoff, BATCH);
      let failed = 0;
      for (const { tenantId, traceId } of candidates) {
        try {
          if (await stores.otlpSpans.settle(tenantId, traceId, cutoff)) settled += 1;
        } catch (error) {
          failed += 1;
          logger.error({ err: error, tenantId, traceId }, 'otlp settler: could not finalise trace');
        }
      }
      // As in the reaper: a failing trace would come back in every batch, so stop at the first failure.
      if (candidates.length < BATCH || failed > 0 || stopped) return settled;
    }
  }

  function runOnce(): Promise<number> {
    inFlight ??= pass().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function schedule() {
    if (stopped || interval <= 0) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => logger.error({ err: error }, 'otlp settler: pass failed'))
        .finally(schedule);
    }, interval * 1000);
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
