// Answers whose JSON Postgres writes (./statement.ts), for the documents the fast GraphQL path
// already serves (src/http/fast-graphql.ts). A plan is made once per document; a request it
// cannot answer exactly runs through graphql-jit as before.
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Sql } from '../../db/sql.ts';
import type { Scope as KeyScope } from '../../stores/tenants.ts';
import { selectionTree, Unsupported } from './selection.ts';
import { dataStatement } from './statement.ts';

export interface JsonSqlPlan {
  /**
   * The statement whose one row's `data` column is the JSON text of the answer's `data`, or null:
   * this request goes to graphql-jit (its arguments fail a check, say, which graphql-jit reports).
   */
  statement(tenantId: string, scopes: readonly KeyScope[], variables: Record<string, unknown> | undefined): Sql | null;
}

/** A plan for the document's operation, or null when no request of it could be answered so. */
export function jsonSqlPlan(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): JsonSqlPlan | null {
  let shape: ReturnType<typeof selectionTree>;
  try {
    shape = selectionTree(schema, document, operationName);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
  let usable = true;
  return {
    statement(tenantId, scopes, variables) {
      // Every query field needs a read key (builder.ts): without one, graphql-jit says so.
      if (!usable || !(scopes.includes('read') || scopes.includes('admin'))) return null;
      try {
        return dataStatement(schema, shape, tenantId, variables);
      } catch (error) {
        // A shape not modelled fails for every request alike: stop trying. Anything else
        // (arguments refused, a bad cursor) is this request's, and graphql-jit reports it.
        if (error instanceof Unsupported) usable = false;
        return null;
      }
    },
  };
}
