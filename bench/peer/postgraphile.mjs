// The peer of `npm run bench`: PostGraphile 5 over the same database, configured as a user who
// wanted "GraphQL over these tables" would run it, and nothing more. Plain JavaScript run by plain
// Node (no tsx in the process), as its users run it:
//
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/aos_bench_100k DB_POOL_SIZE=10 NODE_ENV=production \
//     node --import ./bench/peer/with-resolvers.mjs bench/peer/postgraphile.mjs
//
// - preset: Amber (PostGraphile's recommended defaults), no inflection changes, one smart tag (below);
// - connected as the database owner given in DATABASE_URL (postgres: superuser, so row-level
//   security does not apply; the bench's queries filter by tenant with `condition: { tenantId }`);
// - schema `public`, introspected once at start (no watch mode), no GraphiQL, no subscriptions;
// - a pg pool of DB_POOL_SIZE connections, the same size as our server's;
// - a plain node:http server on 127.0.0.1, port PORT (0: any free port), grafserv's node adaptor.
// Prints `PostGraphile peer: http://127.0.0.1:<port>/graphql` once it listens; `--print-schema`
// prints the generated schema (SDL) instead and exits.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error('error: set DATABASE_URL');
  process.exit(2);
}
const host = '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  // (tenant_id, trace_id) is a unique index, not a unique constraint, and PostGraphile makes root
  // lookups from constraints only: this tag gives it `aosTraceByTenantIdAndTraceId`, the lookup a
  // user would add, rather than a one-row connection.
  plugins: [jsonPgSmartTags({ version: 1, config: { class: { aos_traces: { tags: { unique: 'tenant_id,trace_id' } } } } })],
  pgServices: [
    makePgService({
      connectionString,
      poolConfig: { max: Number(process.env.DB_POOL_SIZE ?? 10) },
      schemas: ['public'],
      pubsub: false,
    }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
// Introspect and build the schema before listening, so that no measured request pays for it.
const schema = await pgl.getSchema();
if (process.argv.includes('--print-schema')) {
  const { printSchema } = await import('postgraphile/graphql');
  console.log(printSchema(schema));
  await pgl.release();
  process.exit(0);
}

const serv = pgl.createServ(grafserv);
const server = createServer();
server.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
await serv.addTo(server);
server.listen(port, host, () => {
  console.log(`PostGraphile peer: http://${host}:${server.address().port}/graphql`);
});

const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
