// The operation names /metrics may use as label values: those of the project's own documents (the
// typed operations of src/client/operations and the GraphiQL examples). Any other name a client
// sends counts as "other", so no client can read another tenant's operation names from /metrics
// or grow the label set (one new series per made-up name).
import { Kind, parse, type DocumentNode } from 'graphql';
import * as generated from '../client/generated/graphql.ts';
import { GRAPHIQL_EXAMPLES } from '../graphiql-examples.ts';

const isDocument = (value: unknown): value is DocumentNode =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === Kind.DOCUMENT;

function operationNames(documents: readonly DocumentNode[]): Set<string> {
  const names = new Set<string>();
  for (const document of documents) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
    }
  }
  return names;
}

export const KNOWN_OPERATIONS: ReadonlySet<string> = operationNames([
  ...Object.values(generated).filter(isDocument),
  parse(GRAPHIQL_EXAMPLES),
]);
