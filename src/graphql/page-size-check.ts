// Page sizes checked before the query's cost: `traces(first: 5000)` should hear "first must be
// between 0 and 1000", not "Query Cost limit of 50000 exceeded" (the cost counts a literal `first`,
// so an oversized page trips it first). Only literals: the result depends on the document alone,
// as yoga's validation cache assumes. Sizes in variables (which the cost cannot see either) are
// checked by the resolvers, like every page (pagination.ts).
import { getNamedType, GraphQLError, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_LIST_PAGE } from './pagination.ts';
import { MAX_SPAN_PAGE } from './types/trace-span.ts';
import { MAX_STEP_PAGE } from './types/trace-step.ts';
import { MAX_TRACE_PAGE } from './types/trace.ts';

/** Connections whose pages may be larger than MAX_LIST_PAGE (kept with the resolvers' constants). */
const PAGE_LIMITS: Record<string, number> = { 'Query.traces': MAX_TRACE_PAGE, 'Trace.steps': MAX_STEP_PAGE, 'Trace.spans': MAX_SPAN_PAGE };

export function pageSizeErrors(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!field || !parent || !getNamedType(field.type).name.endsWith('Connection')) return;
        const limit = PAGE_LIMITS[`${parent.name}.${field.name}`] ?? MAX_LIST_PAGE;
        for (const arg of node.arguments ?? []) {
          if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
          const size = arg.value.kind === 'IntValue' ? Number(arg.value.value) : undefined;
          if (size !== undefined && (size < 0 || size > limit)) {
            errors.push(
              new GraphQLError(`${parent.name}.${field.name}: ${arg.name.value} must be between 0 and ${limit}`, {
                nodes: arg,
                extensions: { code: 'BAD_USER_INPUT', field: arg.name.value },
              }),
            );
          }
        }
      },
    }),
  );
  return errors;
}

// Per parsed document: yoga's own validation cache sits after every plugin, so this runs on every
// request and would walk the whole document each time.
const errorsByDocument = new WeakMap<DocumentNode, GraphQLError[]>();

/** Goes before the query-shape plugins: an oversized page is refused with this message instead of theirs. */
export const pageSizePlugin: Plugin = {
  onValidate({ params, setResult }) {
    let errors = errorsByDocument.get(params.documentAST);
    if (!errors) errorsByDocument.set(params.documentAST, (errors = pageSizeErrors(params.schema, params.documentAST)));
    if (errors.length) setResult(errors);
  },
};
