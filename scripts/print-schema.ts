// Writes the printed GraphQL schema to schema.graphql (committed, so schema changes show in review;
// test/graphql/schema.test.ts fails when it is stale). Run: npm run schema:print
import { writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { schema } from '../src/graphql/schema.ts';

await writeFile(new URL('../schema.graphql', import.meta.url), `${printSchema(schema)}\n`);
