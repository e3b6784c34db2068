// The one SQL builder for statements sent through the driver: tagged templates whose values
// become `$n` parameters (`statement.text`, `statement.values`), nestable, with `join`, `raw`
// for trusted identifiers and `empty`. sql-template-tag is the library Prisma.sql is built on,
// without the rest of Prisma in the process.
export { default as sql, Sql, join, raw, empty, bulk } from 'sql-template-tag';
