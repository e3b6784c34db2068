// A periodic job over a work list that spans tenants (the reaper, the OTLP settler): passes never
// overlap, the timer never keeps the process alive, and one failing item does not stop a pass.
import type { Logger } from 'pino';

export type BackgroundJob = {
  /** One pass now; while a pass is in flight, callers share it instead of starting another. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a pass in flight. */
  stop(): Promise<void>;
};

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
  let inFlight: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function pass(): Promise<number> {
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
      if (items.length < batchSize || failed > 0 || stopped) return done;
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
        .catch((error: unknown) => logger.error({ err: error }, `${name}: pass failed`))
        .finally(schedule);
    }, intervalSeconds * 1000);
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
