// The committed schema.graphql and the generated client must match the code: a schema change that
// was not regenerated (npm run codegen) fails here, so every change shows up in review.
import { readFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';

describe('schema.graphql', () => {
  it('is the printed schema of the code', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  it('the generated client was produced from it', async () => {
    const generated = await readFile(new URL('../../src/client/generated/graphql.ts', import.meta.url), 'utf8');
    // Every input type of the schema that a client operation uses appears in the generated types.
    for (const name of ['StartTraceInput', 'RecordTraceStepsInput', 'CompleteTraceInput', 'TraceStepInput']) {
      const fields = Object.keys((schema.getType(name) as unknown as { getFields(): object }).getFields());
      for (const field of fields) expect(generated, `${name}.${field}`).toMatch(new RegExp(`export type ${name} = \\{[^}]*\\b${field}\\b`, 's'));
    }
  });
});
