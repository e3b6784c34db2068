// Creates the trace steps' month partitions ahead of time (docs/partitions.md): at start, then
// every few hours, once per deployment (singleton-jobs.ts, beside the reaper). Missing a run costs
// nothing but placement: a step with no month partition lands in DEFAULT, never refused.
import type { Logger } from 'pino';
import { startPeriodic, type Periodic } from './background-job.ts';
import type { Stores } from './stores/index.ts';
import type { StepPartition } from './stores/partitions.ts';

/** The month being written and this many after it always have their partition. */
export const PARTITION_MONTHS_AHEAD = 3;
/** Far more often than months turn: a deployment down for a while catches up at its next start. */
const INTERVAL_MS = 6 * 3_600_000;

export type PartitionMaintenance = Periodic<StepPartition[]>;

/** What a maintenance run did, one line per change or problem (nothing when all existed). */
export function describePartitionRun(partitions: StepPartition[]): string[] {
  const created = partitions.filter((p) => p.state === 'created').map((p) => p.name);
  const blocked = partitions.filter((p) => p.state === 'blocked').map((p) => p.name);
  const lines: string[] = [];
  lines.push(created.length ? `Created partitions ${created.join(', ')}.` : 'Every partition already existed.');
  if (blocked.length) {
    lines.push(`Not created, their rows already sit in aos_trace_steps_default (they stay there, readable): ${blocked.join(', ')}.`);
  }
  return lines;
}

export function startPartitionMaintenance({ stores, logger, monthsAhead = PARTITION_MONTHS_AHEAD, intervalMs = INTERVAL_MS }: {
  stores: Stores;
  logger: Logger;
  monthsAhead?: number;
  /** 0: no timer, runs only through runOnce (tests). */
  intervalMs?: number;
}): PartitionMaintenance {
  return startPeriodic({
    intervalMs,
    firstDelayMs: 0,
    onError: (error) => logger.error({ err: error }, 'partitions: maintenance failed; trying again later'),
    async run() {
      const partitions = await stores.partitions.ensureStepPartitions(new Date(), monthsAhead);
      const created = partitions.filter((p) => p.state === 'created');
      const blocked = partitions.filter((p) => p.state === 'blocked');
      if (created.length) logger.info({ partitions: created.map((p) => p.name) }, 'partitions: created trace step partitions ahead');
      if (blocked.length) logger.warn({ partitions: blocked.map((p) => p.name) }, describePartitionRun(partitions).at(-1)!);
      return partitions;
    },
  });
}
