/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation StartTrace($input: StartTraceInput!) {\n    startTrace(input: $input) {\n      created\n      trace { id traceId runId status startedAt }\n    }\n  }\n": typeof types.StartTraceDocument,
    "\n  mutation RecordTraceSteps($input: RecordTraceStepsInput!) {\n    recordTraceSteps(input: $input) {\n      createdCount\n      duplicateCount\n      results { index outcome step { id stepIndex level contentHash } }\n    }\n  }\n": typeof types.RecordTraceStepsDocument,
    "\n  mutation CompleteTrace($input: CompleteTraceInput!) {\n    completeTrace(input: $input) { traceId status rootHash completedAt }\n  }\n": typeof types.CompleteTraceDocument,
    "\n  mutation AbortTrace($input: AbortTraceInput!) {\n    abortTrace(input: $input) { traceId status completedAt metadata }\n  }\n": typeof types.AbortTraceDocument,
    "\n  mutation StoreTrace($input: StoreTraceInput!) {\n    storeTrace(input: $input) { created trace { traceId status rootHash } }\n  }\n": typeof types.StoreTraceDocument,
    "\n  query Viewer {\n    viewer { keyId scopes tenant { id name } }\n  }\n": typeof types.ViewerDocument,
    "\n  query TraceWithSteps($traceId: String!, $first: Int) {\n    trace(traceId: $traceId) {\n      id traceId runId agentId status rootHash startedAt completedAt metadata\n      steps(first: $first) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id stepIndex skillName status level costCents durationMs timestamp params outcomeData } }\n      }\n    }\n  }\n": typeof types.TraceWithStepsDocument,
};
const documents: Documents = {
    "\n  mutation StartTrace($input: StartTraceInput!) {\n    startTrace(input: $input) {\n      created\n      trace { id traceId runId status startedAt }\n    }\n  }\n": types.StartTraceDocument,
    "\n  mutation RecordTraceSteps($input: RecordTraceStepsInput!) {\n    recordTraceSteps(input: $input) {\n      createdCount\n      duplicateCount\n      results { index outcome step { id stepIndex level contentHash } }\n    }\n  }\n": types.RecordTraceStepsDocument,
    "\n  mutation CompleteTrace($input: CompleteTraceInput!) {\n    completeTrace(input: $input) { traceId status rootHash completedAt }\n  }\n": types.CompleteTraceDocument,
    "\n  mutation AbortTrace($input: AbortTraceInput!) {\n    abortTrace(input: $input) { traceId status completedAt metadata }\n  }\n": types.AbortTraceDocument,
    "\n  mutation StoreTrace($input: StoreTraceInput!) {\n    storeTrace(input: $input) { created trace { traceId status rootHash } }\n  }\n": types.StoreTraceDocument,
    "\n  query Viewer {\n    viewer { keyId scopes tenant { id name } }\n  }\n": types.ViewerDocument,
    "\n  query TraceWithSteps($traceId: String!, $first: Int) {\n    trace(traceId: $traceId) {\n      id traceId runId agentId status rootHash startedAt completedAt metadata\n      steps(first: $first) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id stepIndex skillName status level costCents durationMs timestamp params outcomeData } }\n      }\n    }\n  }\n": types.TraceWithStepsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTrace($input: StartTraceInput!) {\n    startTrace(input: $input) {\n      created\n      trace { id traceId runId status startedAt }\n    }\n  }\n"): (typeof documents)["\n  mutation StartTrace($input: StartTraceInput!) {\n    startTrace(input: $input) {\n      created\n      trace { id traceId runId status startedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordTraceSteps($input: RecordTraceStepsInput!) {\n    recordTraceSteps(input: $input) {\n      createdCount\n      duplicateCount\n      results { index outcome step { id stepIndex level contentHash } }\n    }\n  }\n"): (typeof documents)["\n  mutation RecordTraceSteps($input: RecordTraceStepsInput!) {\n    recordTraceSteps(input: $input) {\n      createdCount\n      duplicateCount\n      results { index outcome step { id stepIndex level contentHash } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteTrace($input: CompleteTraceInput!) {\n    completeTrace(input: $input) { traceId status rootHash completedAt }\n  }\n"): (typeof documents)["\n  mutation CompleteTrace($input: CompleteTraceInput!) {\n    completeTrace(input: $input) { traceId status rootHash completedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AbortTrace($input: AbortTraceInput!) {\n    abortTrace(input: $input) { traceId status completedAt metadata }\n  }\n"): (typeof documents)["\n  mutation AbortTrace($input: AbortTraceInput!) {\n    abortTrace(input: $input) { traceId status completedAt metadata }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StoreTrace($input: StoreTraceInput!) {\n    storeTrace(input: $input) { created trace { traceId status rootHash } }\n  }\n"): (typeof documents)["\n  mutation StoreTrace($input: StoreTraceInput!) {\n    storeTrace(input: $input) { created trace { traceId status rootHash } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer { keyId scopes tenant { id name } }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer { keyId scopes tenant { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TraceWithSteps($traceId: String!, $first: Int) {\n    trace(traceId: $traceId) {\n      id traceId runId agentId status rootHash startedAt completedAt metadata\n      steps(first: $first) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id stepIndex skillName status level costCents durationMs timestamp params outcomeData } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TraceWithSteps($traceId: String!, $first: Int) {\n    trace(traceId: $traceId) {\n      id traceId runId agentId status rootHash startedAt completedAt metadata\n      steps(first: $first) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id stepIndex skillName status level costCents durationMs timestamp params outcomeData } }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;