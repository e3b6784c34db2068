// Whether a statement that reads or changes a tenant table names its tenant — read from the SQL
// text, not parsed: a tenant table after FROM, JOIN, UPDATE or DELETE FROM needs a condition on
// tenant_id against a value (`tenant_id = $1`, `= ANY(…)`, `IN (…)`, or (tenant_id, …) IN …); an
// INSERT that only writes rows needs tenant_id among its columns. Good enough to catch a store
// that forgets its tenant; it cannot prove a condition is on the right table of a join.
import { DISTRIBUTED_TABLES } from '../../src/db/distribution.ts';

// Table names bare or quoted, with or without "public". (Prisma's own SQL qualifies and quotes them).
const READS = /\b(?:FROM|JOIN|UPDATE)\s+(?:ONLY\s+)?(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?/gi;
const INSERT = /\bINSERT\s+INTO\s+(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?(?:\s+AS\s+\w+)?\s*\(([^)]*)\)/gi;
const TENANT_CONDITION = /\btenant_id"?\s*(?:=\s*(?:\$\d+|'|ANY\s*\(|\(SELECT)|IN\s*\()|\(\s*(?:"?\w+"?\.)?"?tenant_id"?\s*,[^)]*\)\s*(?:IN|=)/i;
const CROSS_TENANT = /\/\*\s*cross-tenant:[^*]+\*\//;
/** Statements that are not tenant work: transaction control, session settings, DDL (migrations). */
const NOT_TENANT_WORK = /^\s*(?:BEGIN|COMMIT|ROLLBACK|SET|SHOW|RESET|LISTEN|UNLISTEN|NOTIFY|CREATE|ALTER|DROP|GRANT|REVOKE|COMMENT|DO|VACUUM|ANALYZE|TRUNCATE|SAVEPOINT|RELEASE|LOCK)\b/i;

const tenantTables = new Set<string>(DISTRIBUTED_TABLES);

/** Why this statement is not routable by tenant, or null when it is (or is not tenant work). */
export function tenantFilterProblem(statement: string): string | null {
  if (NOT_TENANT_WORK.test(statement) || CROSS_TENANT.test(statement)) return null;
  const read = [...statement.matchAll(READS)].map((m) => m[1]!.toLowerCase()).filter((t) => tenantTables.has(t));
  const inserts = [...statement.matchAll(INSERT)].filter((m) => tenantTables.has(m[1]!.toLowerCase()));
  const insertWithoutTenant = inserts.find((m) => !/\btenant_id\b/i.test(m[2]!));
  if (insertWithoutTenant) return `INSERT INTO ${insertWithoutTenant[1]} without tenant_id:\n  ${oneLine(statement)}`;
  if (read.length && !TENANT_CONDITION.test(statement)) return `reads ${[...new Set(read)].join(', ')} without a tenant_id condition:\n  ${oneLine(statement)}`;
  return null;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 400);
