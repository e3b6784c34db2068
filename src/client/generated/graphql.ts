/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AbortTraceInput = {
  /** Stored as metadata.abort_reason; redacted. */
  reason: string;
  traceId: string;
};

export type ApiScope =
  | 'ADMIN'
  | 'READ'
  | 'WRITE';

export type CompleteTraceInput = {
  /** Merged into the trace metadata (keys given here win); redacted. */
  metadata?: unknown;
  status: TraceCompletion;
  traceId: string;
};

export type RecordTraceStepsInput = {
  steps: Array<TraceStepInput>;
};

export type ReplayBehavior =
  | 'CHECK'
  | 'EXECUTE'
  | 'SKIP';

export type ReplayMode =
  | 'FULL'
  | 'TRACE_ONLY';

export type StartTraceInput = {
  agentId?: string | null | undefined;
  /** Defaults to runId. */
  correlationId?: string | null | undefined;
  /** Frozen "now" of a deterministic run, as the exact text the SDK hashes. */
  frozenTimestamp?: string | null | undefined;
  /** The run's goal, stored on the run when the run is new. */
  goal?: string | null | undefined;
  /** An incident of the same tenant this trace belongs to. */
  incidentId?: string | null | undefined;
  isSynthetic?: boolean | null | undefined;
  /** Free-form; redacted before storage. */
  metadata?: unknown;
  /** The plan (a list of step definitions); redacted before storage. */
  plan?: unknown;
  planHash?: string | null | undefined;
  planId?: string | null | undefined;
  replayArtifactVersion?: string | null | undefined;
  replayAttemptId?: string | null | undefined;
  replayMode?: ReplayMode | null | undefined;
  runId: string;
  /** Random seed for deterministic replay; the root hash uses 42 when absent. */
  seed?: string | null | undefined;
  /** Defaults to now. */
  startedAt?: string | null | undefined;
  syntheticScenarioId?: string | null | undefined;
  traceCompletenessStatus?: string | null | undefined;
  /** Defaults to trace_<runId>. Unique per tenant. */
  traceId?: string | null | undefined;
};

/** Derived from the status: FAILURE → ERROR, RETRY → WARN, anything else → INFO. */
export type StepLevel =
  | 'ERROR'
  | 'INFO'
  | 'WARN';

export type StepSource =
  | 'ENGINE'
  | 'EXTERNAL'
  | 'REPLAY';

export type StepStatus =
  | 'FAILURE'
  | 'RETRY'
  | 'SKIPPED'
  | 'SUCCESS';

/** CREATED: stored now. DUPLICATE: the identical step was already stored (a safe retry); nothing changed. */
export type StepWriteOutcome =
  | 'CREATED'
  | 'DUPLICATE';

export type StoreTraceInput = {
  agentId?: string | null | undefined;
  /** Defaults to now. */
  completedAt?: string | null | undefined;
  /** Defaults to runId. */
  correlationId?: string | null | undefined;
  /** Frozen "now" of a deterministic run, as the exact text the SDK hashes. */
  frozenTimestamp?: string | null | undefined;
  /** The run's goal, stored on the run when the run is new. */
  goal?: string | null | undefined;
  /** An incident of the same tenant this trace belongs to. */
  incidentId?: string | null | undefined;
  isSynthetic?: boolean | null | undefined;
  /** Free-form; redacted before storage. */
  metadata?: unknown;
  /** The plan (a list of step definitions); redacted before storage. */
  plan?: unknown;
  planHash?: string | null | undefined;
  planId?: string | null | undefined;
  replayArtifactVersion?: string | null | undefined;
  replayAttemptId?: string | null | undefined;
  replayMode?: ReplayMode | null | undefined;
  /** Optional; when given it must equal the root hash the server computes. */
  rootHash?: string | null | undefined;
  runId: string;
  /** Random seed for deterministic replay; the root hash uses 42 when absent. */
  seed?: string | null | undefined;
  /** Defaults to now. */
  startedAt?: string | null | undefined;
  /** Defaults to COMPLETED. */
  status?: StoredTraceStatus | null | undefined;
  steps: Array<StoredTraceStepInput>;
  syntheticScenarioId?: string | null | undefined;
  traceCompletenessStatus?: string | null | undefined;
  /** Defaults to trace_<runId>. Unique per tenant. */
  traceId?: string | null | undefined;
};

export type StoredTraceStatus =
  | 'ABORTED'
  | 'COMPLETED'
  | 'FAILED';

export type StoredTraceStepInput = {
  costCents?: string | null | undefined;
  durationMs?: number | null | undefined;
  /** Key of a side effect this step performed. */
  idempotencyKey?: string | null | undefined;
  /** Defaults to the first 16 hex of SHA-256 of the canonical params. */
  inputHash?: string | null | undefined;
  /** Defaults to the trace's marking. */
  isSynthetic?: boolean | null | undefined;
  /** Defaults by status: SUCCESS, FAILURE, TRANSIENT or SKIPPED. */
  outcomeCategory?: string | null | undefined;
  outcomeCode?: string | null | undefined;
  /** Step result; redacted before storage. */
  outcomeData?: unknown;
  /** Defaults to the first 16 hex of SHA-256 of the canonical outcomeData. */
  outputHash?: string | null | undefined;
  /** Step input; redacted before storage. */
  params?: unknown;
  replayBehavior?: ReplayBehavior | null | undefined;
  retryCount?: number | null | undefined;
  rngStateBefore?: string | null | undefined;
  /** Defaults to skillName. */
  skillId?: string | null | undefined;
  skillName: string;
  source?: StepSource | null | undefined;
  status: StepStatus;
  /** 0-based position in the trace; unique per trace. */
  stepIndex: number;
  syntheticScenarioId?: string | null | undefined;
  /** When the step ran; defaults to the time the server receives it. */
  timestamp?: string | null | undefined;
};

export type TraceCompletion =
  | 'COMPLETED'
  | 'FAILED';

/** RUNNING moves once to COMPLETED, FAILED or ABORTED; final states never change (enforced in the database). */
export type TraceStatus =
  | 'ABORTED'
  | 'COMPLETED'
  | 'FAILED'
  | 'RUNNING';

export type TraceStepInput = {
  costCents?: string | null | undefined;
  durationMs?: number | null | undefined;
  /** Key of a side effect this step performed. */
  idempotencyKey?: string | null | undefined;
  /** Defaults to the first 16 hex of SHA-256 of the canonical params. */
  inputHash?: string | null | undefined;
  /** Defaults to the trace's marking. */
  isSynthetic?: boolean | null | undefined;
  /** Defaults by status: SUCCESS, FAILURE, TRANSIENT or SKIPPED. */
  outcomeCategory?: string | null | undefined;
  outcomeCode?: string | null | undefined;
  /** Step result; redacted before storage. */
  outcomeData?: unknown;
  /** Defaults to the first 16 hex of SHA-256 of the canonical outcomeData. */
  outputHash?: string | null | undefined;
  /** Step input; redacted before storage. */
  params?: unknown;
  replayBehavior?: ReplayBehavior | null | undefined;
  retryCount?: number | null | undefined;
  rngStateBefore?: string | null | undefined;
  /** Defaults to skillName. */
  skillId?: string | null | undefined;
  skillName: string;
  source?: StepSource | null | undefined;
  status: StepStatus;
  /** 0-based position in the trace; unique per trace. */
  stepIndex: number;
  syntheticScenarioId?: string | null | undefined;
  /** When the step ran; defaults to the time the server receives it. */
  timestamp?: string | null | undefined;
  traceId: string;
};

export type StartTraceMutationVariables = Exact<{
  input: StartTraceInput;
}>;


export type StartTraceMutation = { startTrace: { created: boolean, trace: { id: string, traceId: string, runId: string, status: TraceStatus, startedAt: string } } };

export type RecordTraceStepsMutationVariables = Exact<{
  input: RecordTraceStepsInput;
}>;


export type RecordTraceStepsMutation = { recordTraceSteps: { createdCount: number, duplicateCount: number, results: Array<{ index: number, outcome: StepWriteOutcome, step: { id: string, stepIndex: number, level: StepLevel, contentHash: string } }> } };

export type CompleteTraceMutationVariables = Exact<{
  input: CompleteTraceInput;
}>;


export type CompleteTraceMutation = { completeTrace: { traceId: string, status: TraceStatus, rootHash: string | null, completedAt: string | null } };

export type AbortTraceMutationVariables = Exact<{
  input: AbortTraceInput;
}>;


export type AbortTraceMutation = { abortTrace: { traceId: string, status: TraceStatus, completedAt: string | null, metadata: unknown } };

export type StoreTraceMutationVariables = Exact<{
  input: StoreTraceInput;
}>;


export type StoreTraceMutation = { storeTrace: { created: boolean, trace: { traceId: string, status: TraceStatus, rootHash: string | null } } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { keyId: string, scopes: Array<ApiScope>, tenant: { id: string, name: string } } };

export type TraceWithStepsQueryVariables = Exact<{
  traceId: string;
  first?: number | null | undefined;
}>;


export type TraceWithStepsQuery = { trace: { id: string, traceId: string, runId: string, agentId: string | null, status: TraceStatus, rootHash: string | null, startedAt: string, completedAt: string | null, metadata: unknown, steps: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, stepIndex: number, skillName: string, status: StepStatus, level: StepLevel, costCents: string, durationMs: number, timestamp: string, params: unknown, outcomeData: unknown } }> } } | null };


export const StartTraceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartTrace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartTraceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startTrace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"trace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}}]}}]}}]}}]} as unknown as DocumentNode<StartTraceMutation, StartTraceMutationVariables>;
export const RecordTraceStepsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordTraceSteps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordTraceStepsInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordTraceSteps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createdCount"}},{"kind":"Field","name":{"kind":"Name","value":"duplicateCount"}},{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"step"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stepIndex"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"contentHash"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RecordTraceStepsMutation, RecordTraceStepsMutationVariables>;
export const CompleteTraceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteTrace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CompleteTraceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeTrace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rootHash"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}}]}}]}}]} as unknown as DocumentNode<CompleteTraceMutation, CompleteTraceMutationVariables>;
export const AbortTraceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AbortTrace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AbortTraceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"abortTrace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]}}]} as unknown as DocumentNode<AbortTraceMutation, AbortTraceMutationVariables>;
export const StoreTraceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StoreTrace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StoreTraceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"storeTrace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"trace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rootHash"}}]}}]}}]}}]} as unknown as DocumentNode<StoreTraceMutation, StoreTraceMutationVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"keyId"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"tenant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const TraceWithStepsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TraceWithSteps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"traceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"traceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"traceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"traceId"}},{"kind":"Field","name":{"kind":"Name","value":"runId"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rootHash"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stepIndex"}},{"kind":"Field","name":{"kind":"Name","value":"skillName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"costCents"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"params"}},{"kind":"Field","name":{"kind":"Name","value":"outcomeData"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TraceWithStepsQuery, TraceWithStepsQueryVariables>;