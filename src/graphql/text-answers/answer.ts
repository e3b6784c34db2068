// A query's whole `data` written as JSON text straight from the rows' text, for the shapes
// dashboards ask most: a page of traces with their summaries and step pages, one trace with its
// steps, a page of audit entries, LLM runs or system records. Issue 10: on these, Node spent 2.5–3× the database's time
// decoding rows into Dates, BigInts and parsed JSON, building graphql-jit's result tree and
// stringifying it again. Here every column arrives as text (`::text`) and is written once into
// the answer; JSON columns pass through unparsed. (JSON built by Postgres itself measured slower:
// its per-value cost made a 1,000-step tree ~2.4× the plain rows' database time.)
//
// Each root field's statements are its resolvers' (stores' filters, keyset bounds, column lists,
// cursors), so both ways read the same rows; test/graphql/text-answers.test.ts holds every
// supported shape to graphql-jit's answer. Whatever this does not model throws (index.ts), and the
// request runs through graphql-jit as before.
import { getVariableValues, type GraphQLSchema } from 'graphql';
import { auditEntryConnection, llmRunConnection, systemRecordConnection } from './record-lists.ts';
import type { Args, Query, RootPlan, Scope } from './plans.ts';
import { Refused, Unsupported, type QueryShape, type Selected } from './selection.ts';
import { traceConnection, traceLookup } from './traces.ts';
import { AnswerWriter } from './writer.ts';

export type { Query } from './plans.ts';

const ROOTS: Record<string, (f: Selected, scope: Scope) => RootPlan> = {
  __typename: () => async () => (w) => w.write('"Query"'),
  trace: traceLookup,
  traces: traceConnection,
  auditEntries: auditEntryConnection,
  llmRuns: llmRunConnection,
  systemRecords: systemRecordConnection,
};

/** The response body, `{"data":…}` as JSON (throws Unsupported or Refused when it cannot). */
export async function answer(schema: GraphQLSchema, shape: QueryShape, tenantId: string, inputs: Args | undefined, query: Query): Promise<Buffer> {
  const coerced = getVariableValues(schema, shape.operation.variableDefinitions ?? [], inputs ?? {});
  if (coerced.errors) throw new Refused('variables');
  const scope: Scope = { schema, tenantId, variables: coerced.coerced, query };
  // Every root field is planned (its arguments checked) before any statement runs.
  const roots = shape.fields.map((f) => {
    const plan = ROOTS[f.name];
    if (!plan) throw new Unsupported(`Query.${f.name}`);
    return plan(f, scope);
  });
  const writes = await Promise.all(roots.map((run) => run()));
  const w = new AnswerWriter();
  w.write('{"data":{');
  shape.fields.forEach((f, i) => {
    w.write(`${i ? ',' : ''}${JSON.stringify(f.key)}:`);
    writes[i]!(w);
  });
  w.write('}}');
  return w.bytes();
}
