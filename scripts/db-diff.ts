// Prints the SQL that takes the database from one schema.prisma to another, for a new migration:
//   npm run db:diff -- [--from <old schema.prisma>] [--to prisma/schema.prisma]
// Without --from it prints the full CREATE script. Review it, add what Prisma cannot express
// (triggers, CHECKs, partial indexes), and save it as prisma/migrations/<timestamp>_<name>/migration.sql.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { diffSchemas } from './schema-diff.ts';

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string', default: 'prisma/schema.prisma' } } });
const from = values.from ? await readFile(values.from, 'utf8') : null;
process.stdout.write(await diffSchemas(from, await readFile(values.to!, 'utf8')));
