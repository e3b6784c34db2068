// Periodic work (startPeriodic: runs never overlap, the timer never keeps the process alive), and
// on it a job over a work list that spans tenants (the reaper, the OTLP settler), where one
// failing item does not stop a pass. Partition maintenance runs on startPeriodic too.
import type { Logger } from 'pino';

/** One pass now (callers share a pass in flight), and stop. */
export type BackgroundJob = Periodic<number>;

export type WorkItem = { tenantId: string; traceId: string };

export type BackgroundJobOptions = {
  name: string;
  /** Seconds between passes; 0 runs no timer (passes only through runOnce). */
  intervalSeconds: number;
  logger: Logger;
  batchSize: number;
  /** The next batch of work (called with the same cutoff for one whole pass). */
  list(cutoff: Date, limit: number): Promise<WorkItem[]>;
  /** Does one item; resolves to whether it counted. */
  handle(item: WorkItem, cutoff: Date): Promise<boolean>;
  /** The cutoff of a pass starting now. */
  cutoff(): Date;
};

export function startBackgroundJob({ name, intervalSeconds, logger, batchSize, list, handle, cutoff }: BackgroundJobOptions): BackgroundJob {
  return startPeriodic({
    intervalMs: intervalSeconds * 1000,
    onError: (error) => logger.error({ err: error }, `${name}: pass failed`),
    async run(stopped) {
      const at = cutoff();
      let done = 0;
      // A failing item stays in the work list, so a full batch with failures would come back forever:
      // go on to the next batch only while every item of the previous one succeeded.
      for (;;) {
        const items = await list(at, batchSize);
        let failed = 0;
        for (const item of items) {
          try {
            if (await handle(item, at)) done += 1;
          } catch (error) {
            failed += 1;
            logger.error({ err: error, ...item }, `${name}: could not process trace`);
          }
        }
        if (items.length < batchSize || failed > 0 || stopped()) return done;
      }
    },
  });
}

export type Periodic<T> = {
  /** One run now; while a run is in flight, callers share it instead of starting another. */
  runOnce(): Promise<T>;
  /** Stops the timer and waits for a run in flight. */
  stop(): Promise<void>;
};

/**
 * `run` every `intervalMs` (the first after `firstDelayMs`, by default a whole interval): runs
 * never overlap, the timer never keeps the process alive, and a failed run is reported and
 * tried again at the next interval. `intervalMs` 0 runs no timer (runs only through runOnce).
 */
export function startPeriodic<T>({ intervalMs, firstDelayMs = intervalMs, onError, run }: {
  intervalMs: number;
  firstDelayMs?: number;
  onError: (error: unknown) => void;
  /** One run; `stopped()` tells a long run to end early. */
  run: (stopped: () => boolean) => Promise<T>;
}): Periodic<T> {
  let inFlight: Promise<T> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  function runOnce(): Promise<T> {
    inFlight ??= run(() => stopped).finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function schedule(delay: number) {
    if (stopped || intervalMs <= 0) return;
    // Chained timeouts rather than setInterval: the next run is planned only after this one ends.
    timer = setTimeout(() => {
      runOnce()
        .catch(onError)
        .finally(() => schedule(intervalMs));
    }, delay);
    timer.unref();
  }

  schedule(firstDelayMs);
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight?.catch(() => {});
    },
  };
}
