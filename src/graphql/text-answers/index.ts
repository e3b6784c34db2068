// Answers written as JSON text straight from the rows (./answer.ts), for the documents the fast
// GraphQL path already serves (src/http/fast-graphql.ts). A plan is made once per document; a
// request it cannot answer exactly runs through graphql-jit as before.
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Scope as KeyScope } from '../../stores/tenants.ts';
import { answer, type Query } from './answer.ts';
import { selectionTree, Unsupported } from './selection.ts';

export type { Query } from './answer.ts';

export interface TextAnswerPlan {
  /**
   * The response body, `{"data":…}` as JSON, or null: this request goes to graphql-jit (its
   * arguments fail a check, say, which graphql-jit reports; or the key may not read).
   */
  answer(tenantId: string, scopes: readonly KeyScope[], variables: Record<string, unknown> | undefined, query: Query): Promise<Buffer | null>;
}

/** A plan for the document's operation, or null when no request of it could be answered so. */
export function textAnswerPlan(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): TextAnswerPlan | null {
  let shape: ReturnType<typeof selectionTree>;
  try {
    shape = selectionTree(schema, document, operationName);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
  let usable = true;
  return {
    async answer(tenantId, scopes, variables, query) {
      // Every query field needs a read key (builder.ts): without one, graphql-jit says so.
      if (!usable || !(scopes.includes('read') || scopes.includes('admin'))) return null;
      try {
        return await answer(schema, shape, tenantId, variables, query);
      } catch (error) {
        // A shape not modelled fails for every request alike: stop trying. Anything else (arguments
        // refused, a bad cursor, a database error) is this request's, and graphql-jit answers it.
        if (error instanceof Unsupported) usable = false;
        return null;
      }
    },
  };
}
