// Query.auditEntries: a keyset page of the ledger, through the store's own filter, sort columns and
// column list (src/stores/audit-ledger.ts).
import { raw, sql } from '../../db/sql.ts';
import { AUDIT_COLUMNS, AUDIT_SORT_COLUMNS, auditMatching, type AuditEntryFilter, type AuditEntrySortKey } from '../../stores/audit-ledger.ts';
import { keysetSql } from '../../stores/keyset.ts';
import { compact } from '../builder.ts';
import { encodeCursor, listPage } from '../pagination.ts';
import { argumentsOf } from './arguments.ts';
import { columnsOf, connectionPlan, objectPlan, type Args, type PageArgs, type RootPlan, type Scope } from './plans.ts';
import type { Selected } from './selection.ts';
import { globalIdOf, isoOf } from './text-values.ts';

const COLUMNS = columnsOf(AUDIT_COLUMNS, 'a');
COLUMNS.set('entryId', 'a.id');

export function auditEntryConnection(f: Selected, scope: Scope): RootPlan {
  const args = argumentsOf(f, scope) as PageArgs & { filter?: Args | null; sort?: { field: AuditEntrySortKey; direction: 'asc' | 'desc' } | null };
  // As the resolver (src/graphql/types/audit-entry.ts).
  const page = listPage(args, args.sort, { field: 'createdAt', direction: 'desc' }, { integerFields: ['seq'] });
  const column = AUDIT_SORT_COLUMNS[page.sortKey];
  const k = keysetSql(page, column, page.sortKey === 'seq' ? (v) => String(v) : (v) => new Date(v), 'a.id');
  const where = auditMatching(scope.tenantId, compact(args.filter ?? {}) as AuditEntryFilter);
  const connection = connectionPlan(f, page, (node) =>
    objectPlan(node, COLUMNS, (c) => (c.name === 'id' ? { column: 'id', render: (text) => globalIdOf('AuditEntry', text!) } : undefined)),
  );
  return async () => {
    const rows = await scope.query(sql`SELECT a.id::text AS id, ${raw(column)}::text AS sort, ${connection.select}
      FROM audit_ledger a WHERE ${where} AND ${k.where} ORDER BY ${k.orderBy} LIMIT ${k.limit}`);
    const items = rows.slice(0, page.size);
    if (page.backward) items.reverse();
    const render = await connection.prepare(items);
    // As pagination.ts's cursorAt: an ISO instant for createdAt, the digits of seq.
    const value = page.sortKey === 'seq' ? (text: string) => text : isoOf;
    return render(items.map((row) => ({ row, cursor: () => encodeCursor(page.sortKey, value(row.sort!), row.id!) })), rows.length > page.size);
  };
}
