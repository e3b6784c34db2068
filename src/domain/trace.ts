// Traces and their steps as the rest of the service sees them (stores map rows into these).
import { computeRootHash, stepOutcome, type RootHashStep } from './hashes.ts';
import type { StepLevel } from './levels.ts';

export type TraceStatus = 'running' | 'completed' | 'failed' | 'aborted';
export type TraceOutcome = Exclude<TraceStatus, 'running'>;
export type StepStatus = 'success' | 'failure' | 'retry' | 'skipped';
export type StepSource = 'engine' | 'external' | 'replay';
export type ReplayBehavior = 'execute' | 'skip' | 'check';
export type ReplayMode = 'FULL' | 'TRACE_ONLY';

/** The SDK's default seed, used when a trace was started without one. */
export const DEFAULT_SEED = 42n;

export interface Trace {
  id: string;
  tenantId: string;
  traceId: string;
  runId: string;
  correlationId: string;
  agentId: string | null;
  planId: string | null;
  seed: bigint | null;
  frozenTimestamp: string | null;
  rootHash: string | null;
  planHash: string | null;
  schemaVersion: string;
  plan: unknown;
  metadata: unknown;
  status: TraceStatus;
  startedAt: Date;
  completedAt: Date | null;
  createdAt: Date;
  storedBy: string | null;
  incidentId: string | null;
  isSynthetic: boolean;
  syntheticScenarioId: string | null;
  archivedAt: Date | null;
  violationStepIndex: number | null;
  violationTimestamp: Date | null;
  violationPolicyId: string | null;
  violationReason: string | null;
  replayMode: ReplayMode | null;
  replayAttemptId: string | null;
  replayArtifactVersion: string | null;
  traceCompletenessStatus: string | null;
}

export interface TraceStep extends Partial<StepSpanColumns> {
  id: string;
  tenantId: string;
  traceId: string;
  stepIndex: number;
  skillId: string;
  skillName: string;
  params: unknown;
  status: StepStatus;
  level: StepLevel;
  outcomeCategory: string;
  outcomeCode: string | null;
  outcomeData: unknown;
  costMicrocents: bigint;
  durationMs: number;
  retryCount: number;
  inputHash: string | null;
  outputHash: string | null;
  rngStateBefore: string | null;
  idempotencyKey: string | null;
  replayBehavior: ReplayBehavior;
  source: StepSource;
  timestamp: Date;
  isSynthetic: boolean;
  syntheticScenarioId: string | null;
  contentHash: string;
  recordedAt: Date;
  archivedAt: Date | null;
}

/** The GenAI columns a span fills on its step (null where the span did not say). */
export interface GenAiColumns {
  operation: string | null;
  provider: string | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  reasoningTokens: number | null;
  agentName: string | null;
  toolName: string | null;
  conversationId: string | null;
}

/**
 * The OpenTelemetry columns of a step (null for steps not received as spans). Reads leave them
 * out when the selection asks for none of them, so on a TraceStep they may be absent: a field
 * that needs them is only resolved when the query that read the step selected them.
 */
export interface StepSpanColumns extends GenAiColumns {
  spanId: string | null;
  parentSpanId: string | null;
  spanKind: string | null;
  startTimeUnixNano: bigint | null;
  endTimeUnixNano: bigint | null;
  attributes: unknown;
}

type RootHashTrace = Pick<Trace, 'seed' | 'frozenTimestamp' | 'startedAt' | 'tenantId'>;
type RootHashStepFields = Pick<
  TraceStep,
  'stepIndex' | 'skillId' | 'inputHash' | 'outputHash' | 'rngStateBefore' | 'status' | 'idempotencyKey' | 'replayBehavior'
>;

/**
 * The root hash of a finished trace, by the reference SDK's algorithm (reference §2.5), over the
 * steps as stored (in step order). The frozen timestamp is the client's text when it sent one,
 * otherwise the start time in ISO form.
 */
export function traceRootHash(trace: RootHashTrace, steps: readonly RootHashStepFields[]): string {
  const ordered = [...steps].sort((a, b) => a.stepIndex - b.stepIndex);
  return computeRootHash({
    seed: trace.seed ?? DEFAULT_SEED,
    frozenTimestamp: trace.frozenTimestamp ?? trace.startedAt.toISOString(),
    tenantId: trace.tenantId,
    steps: ordered.map(
      (s): RootHashStep => ({
        stepIndex: s.stepIndex,
        skillId: s.skillId,
        inputHash: s.inputHash,
        outputHash: s.outputHash,
        rngStateBefore: s.rngStateBefore,
        outcome: stepOutcome(s.status),
        idempotencyKey: s.idempotencyKey,
        replayBehavior: s.replayBehavior,
      }),
    ),
  });
}
