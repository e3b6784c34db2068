// Export and import of a tenant's records, every column of every row, for backup and restore.
// Rows travel as JSON objects keyed by column name, rendered by Postgres itself: bigints as
// strings, times as ISO UTC with milliseconds, JSON columns as stored. Postgres reads them back
// with jsonb_populate_recordset, so nothing passes through JavaScript numbers and a round trip is
// exact; the column lists come from the catalogue, so a column added by a later migration travels
// too. Tenant first on every method; imports never change a stored row (ON CONFLICT DO NOTHING,
// then a comparison: an identical row is skipped, a different one is a CONFLICT).
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import { LEDGER_GENESIS_HASH, ledgerEntryHash } from '../domain/hashes.ts';
import { AppError, badInput, conflict, dbErrorMessage, isUniqueViolation } from '../errors.ts';

type Tx = Prisma.TransactionClient;

/** In file order: a record may refer only to records of types before it (steps to their trace). */
export const RECORD_TYPES = ['run', 'incident', 'trace', 'traceStep', 'llmRunRecord', 'systemRecord', 'policyActivation', 'logExport', 'auditEntry'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

const TABLES: Record<RecordType, string> = {
  run: 'runs',
  incident: 'incidents',
  trace: 'aos_traces',
  traceStep: 'aos_trace_steps',
  llmRunRecord: 'llm_run_records',
  systemRecord: 'system_records',
  policyActivation: 'policy_activation_audit',
  logExport: 'log_exports',
  auditEntry: 'audit_ledger',
};

/**
 * How an imported row finds the stored row it may duplicate: its unique business key, else its id.
 * `keys` are read from the record (as k1, k2); `label` names it in messages.
 */
const SAME_ROW: Record<RecordType, { keys: { column: string; from: string }[]; label: string }> = {
  run: { keys: [{ column: 'run_id', from: `d->>'run_id'` }], label: `'run ' || (d->>'run_id')` },
  incident: { keys: [{ column: 'id', from: `(d->>'id')::uuid` }], label: `'incident ' || (d->>'id')` },
  trace: { keys: [{ column: 'trace_id', from: `d->>'trace_id'` }], label: `'trace ' || (d->>'trace_id')` },
  traceStep: {
    keys: [{ column: 'trace_id', from: `d->>'trace_id'` }, { column: 'step_index', from: `(d->>'step_index')::int` }],
    label: `'step ' || (d->>'step_index') || ' of trace ' || (d->>'trace_id')`,
  },
  llmRunRecord: { keys: [{ column: 'run_id', from: `d->>'run_id'` }], label: `'LLM run record ' || (d->>'run_id')` },
  systemRecord: { keys: [{ column: 'id', from: `(d->>'id')::uuid` }], label: `'system record ' || (d->>'id')` },
  policyActivation: { keys: [{ column: 'id', from: `(d->>'id')::uuid` }], label: `'policy activation ' || (d->>'id')` },
  logExport: { keys: [{ column: 'id', from: `(d->>'id')::uuid` }], label: `'log export ' || (d->>'id')` },
  auditEntry: { keys: [{ column: 'seq', from: `(d->>'seq')::bigint` }], label: `'audit entry seq ' || (d->>'seq')` },
};

/** Records created in [from, to); null: unbounded. Steps go with their trace. */
export type TimeRange = { from: Date | null; to: Date | null };
export type Column = { name: string; type: string };
export type RecordCounts = Record<RecordType, number>;
export type ImportRecord = { type: RecordType; data: string; line: number };
export type ImportCounts = Record<RecordType, { inserted: number; skipped: number }>;

/** Rows per page out and per insert in; tests pass small sizes to cross page boundaries. */
export const PAGE_SIZE = 500;
/** A long export or import is one transaction: one snapshot out, all or nothing in. */
const LONG_TRANSACTION = { timeout: 24 * 3_600_000, maxWait: 30_000 };

export const zeroCounts = (): RecordCounts => Object.fromEntries(RECORD_TYPES.map((t) => [t, 0])) as RecordCounts;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A column as it goes into the file: exact text for bigints, ISO UTC for times, the rest as is. */
function exported({ name, type }: Column): string {
  const col = `k.${quote(name)}`;
  if (type === 'bigint') return `${col}::text AS ${quote(name)}`;
  if (type.startsWith('timestamp')) return `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${quote(name)}`;
  return col;
}

export function createTransferStore(db: Db) {
  const prisma = db.prisma;
  let catalogue: Promise<Record<RecordType, Column[]>> | undefined;

  /** Each table's columns in table order (so files list them the same way every time). */
  function columns(): Promise<Record<RecordType, Column[]>> {
    catalogue ??= (async () => {
      const rows = await db.admin.$queryRaw<{ table: string; name: string; type: string }[]>`
        SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relname = ANY(${Object.values(TABLES)}) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`;
      return Object.fromEntries(
        RECORD_TYPES.map((type) => [type, rows.filter((r) => r.table === TABLES[type]).map(({ name, type: t }) => ({ name, type: t }))]),
      ) as Record<RecordType, Column[]>;
    })().catch((error: unknown) => {
      catalogue = undefined;
      throw error;
    });
    return catalogue;
  }

  const selectList = async (type: RecordType) => (await columns())[type].map(exported).join(', ');

  /** Bounds on k.created_at, appended to `params`. */
  function rangeSql(range: TimeRange, params: unknown[]): string {
    let sql = '';
    if (range.from) sql += ` AND k.created_at >= $${params.push(range.from)}::timestamptz`;
    if (range.to) sql += ` AND k.created_at < $${params.push(range.to)}::timestamptz`;
    return sql;
  }

  /** One keyset page of a table over (created_at, id), or seq for the ledger. */
  async function page(tx: Tx, type: RecordType, tenantId: string, range: TimeRange, after: { at: Date; id: string } | bigint | null, size: number) {
    const params: unknown[] = [tenantId];
    let where = rangeSql(range, params);
    const bySeq = type === 'auditEntry';
    if (typeof after === 'bigint') where += ` AND k.seq > $${params.push(after.toString())}::bigint`;
    else if (after) where += ` AND (k.created_at, k.id) > ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)`;
    return tx.$queryRawUnsafe<{ doc: string; at: Date; id: string; seq: string | null; trace_id: string | null }[]>(
      `SELECT row_to_json(e)::text AS doc, k.created_at AS at, k.id::text AS id,
              ${bySeq ? 'k.seq::text' : 'NULL'} AS seq, ${type === 'trace' ? 'k.trace_id' : 'NULL'} AS trace_id
       FROM ${TABLES[type]} k CROSS JOIN LATERAL (SELECT ${await selectList(type)}) e
       WHERE k.tenant_id = $1${where}
       ORDER BY ${bySeq ? 'k.seq' : 'k.created_at, k.id'} LIMIT ${size}`,
      ...params,
    );
  }

  /**
   * The steps of a page of traces, in the traces' order, each trace's by step index. Consecutive
   * traces are read together while their steps fit in one page (known from a count first); a trace
   * with more steps than a page is read alone, a keyset page at a time. So every step is read once,
   * through the unique (tenant_id, trace_id, step_index) index, and no read exceeds a page.
   */
  async function exportSteps(tx: Tx, tenantId: string, traceIds: string[], emit: Emit, size: number) {
    const list = await selectList('traceStep');
    const counts = await tx.$queryRawUnsafe<{ trace_id: string; steps: number }[]>(
      `SELECT p.trace_id, (SELECT count(*)::int FROM aos_trace_steps k WHERE k.tenant_id = $1 AND k.trace_id = p.trace_id) AS steps
       FROM unnest($2::text[]) WITH ORDINALITY p(trace_id, n) ORDER BY p.n`,
      tenantId,
      traceIds,
    );
    let chunk: string[] = [];
    let held = 0;
    const flush = async () => {
      if (chunk.length === 0) return;
      const rows = await tx.$queryRawUnsafe<{ doc: string }[]>(
        `SELECT row_to_json(e)::text AS doc
         FROM unnest($2::text[]) WITH ORDINALITY p(trace_id, n)
         JOIN aos_trace_steps k ON k.tenant_id = $1 AND k.trace_id = p.trace_id
         CROSS JOIN LATERAL (SELECT ${list}) e
         ORDER BY p.n, k.step_index`,
        tenantId,
        chunk,
      );
      for (const row of rows) await emit('traceStep', row.doc);
      chunk = [];
      held = 0;
    };
    for (const { trace_id: traceId, steps } of counts) {
      if (steps === 0) continue;
      if (steps > size) {
        await flush();
        for (let after = -1; ; ) {
          const rows = await tx.$queryRawUnsafe<{ doc: string; step_index: number }[]>(
            `SELECT row_to_json(e)::text AS doc, k.step_index FROM aos_trace_steps k CROSS JOIN LATERAL (SELECT ${list}) e
             WHERE k.tenant_id = $1 AND k.trace_id = $2 AND k.step_index > $3 ORDER BY k.step_index LIMIT ${size}`,
            tenantId,
            traceId,
            after,
          );
          for (const row of rows) await emit('traceStep', row.doc);
          if (rows.length < size) break;
          after = rows.at(-1)!.step_index;
        }
        continue;
      }
      if (held + steps > size) await flush();
      chunk.push(traceId);
      held += steps;
    }
    await flush();
  }

  return {
    columns,

    /** How many records of each type an export of this range would hold (progress totals). */
    async counts(tenantId: string, range: TimeRange): Promise<RecordCounts> {
      const counts = zeroCounts();
      for (const type of RECORD_TYPES) {
        const params: unknown[] = [tenantId];
        const sql =
          type === 'traceStep'
            ? `SELECT count(*)::int AS n FROM aos_trace_steps s JOIN aos_traces k ON k.tenant_id = s.tenant_id AND k.trace_id = s.trace_id
               WHERE k.tenant_id = $1${rangeSql(range, params)}`
            : `SELECT count(*)::int AS n FROM ${TABLES[type]} k WHERE k.tenant_id = $1${rangeSql(range, params)}`;
        const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(sql, ...params);
        counts[type] = row?.n ?? 0;
      }
      return counts;
    },

    /**
     * Emits every record of the tenant created in the range, type by type in RECORD_TYPES order,
     * each type in (created_at, id) order (the ledger in seq order), each page of traces followed
     * by their steps. One REPEATABLE READ transaction, so the file is one consistent snapshot;
     * keyset pages of 500 keep memory flat. Only the tenant's own system records, not global ones.
     */
    async exportRecords(tenantId: string, range: TimeRange, types: readonly RecordType[], emit: Emit, size = PAGE_SIZE): Promise<void> {
      checkSize(size);
      await columns(); // before the transaction: on PGlite it holds the only connection
      await prisma.$transaction(
        async (tx) => {
          for (const type of RECORD_TYPES) {
            if (type === 'traceStep' || !types.includes(type)) continue;
            let after: { at: Date; id: string } | bigint | null = null;
            for (;;) {
              const rows = await page(tx, type, tenantId, range, after, size);
              for (const row of rows) await emit(type, row.doc);
              if (type === 'trace' && types.includes('traceStep') && rows.length) {
                await exportSteps(tx, tenantId, rows.map((r) => r.trace_id!), emit, size);
              }
              if (rows.length < size) break;
              const last = rows.at(-1)!;
              after = type === 'auditEntry' ? BigInt(last.seq!) : { at: last.at, id: last.id };
            }
          }
        },
        { ...LONG_TRANSACTION, isolationLevel: 'RepeatableRead' },
      );
    },

    /**
     * Inserts the records into the tenant, all or nothing, in one transaction. A record already
     * stored identically is skipped (so a second import of a file changes nothing); one stored with
     * other content is a CONFLICT. Ledger entries must extend this database's chain for the tenant:
     * each new entry must follow the stored tail (seq, prev_hash) and hash to its entry_hash, so the
     * imported ledger verifies; anything else is refused as a chain conflict.
     */
    async importRecords(tenantId: string, records: AsyncIterable<ImportRecord>, size = PAGE_SIZE): Promise<ImportCounts> {
      const counts = Object.fromEntries(RECORD_TYPES.map((t) => [t, { inserted: 0, skipped: 0 }])) as ImportCounts;
      checkSize(size);
      await columns(); // before the transaction: on PGlite it holds the only connection
      return prisma.$transaction(async (tx) => {
        const ledger = ledgerImport(tx, tenantId);
        let batch: ImportRecord[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const type = batch[0]!.type;
          const where = `lines ${batch[0]!.line}–${batch.at(-1)!.line} (${type})`;
          try {
            const cols = await checkBatch(tx, tenantId, type, batch, where);
            const result = type === 'auditEntry' ? await ledger.add(batch, cols) : await insertBatch(tx, tenantId, type, batch, cols);
            counts[type].inserted += result.inserted;
            counts[type].skipped += result.skipped;
          } catch (error) {
            if (error instanceof AppError) throw error;
            if (isUniqueViolation(error)) throw conflict(`${where}: ${dbErrorMessage(error)}`);
            throw badInput(`${where}: ${dbErrorMessage(error)}`, 'file');
          }
          batch = [];
        };
        for await (const record of records) {
          if (batch.length > 0 && (batch[0]!.type !== record.type || batch.length >= size)) await flush();
          batch.push(record);
        }
        await flush();
        return counts;
      }, LONG_TRANSACTION);
    },
  };

  /**
   * Every record must be a row of this tenant, with columns this database has. Returns the columns
   * the records carry, quoted, in table order: only catalogue names ever reach the SQL text.
   */
  async function checkBatch(tx: Tx, tenantId: string, type: RecordType, batch: ImportRecord[], where: string): Promise<string> {
    const [row] = await tx.$queryRawUnsafe<{ keys: string[] | null; foreign: number }[]>(
      `SELECT (SELECT array_agg(DISTINCT k) FROM jsonb_array_elements($1::jsonb) d, jsonb_object_keys(d) k) AS keys,
              (SELECT count(*)::int FROM jsonb_array_elements($1::jsonb) d WHERE d->>'tenant_id' IS DISTINCT FROM $2 OR NOT d ? 'id') AS foreign`,
      docs(batch),
      tenantId,
    );
    if (row!.foreign > 0) throw badInput(`${where}: ${row!.foreign} record(s) without an id or of another tenant than ${tenantId}`, 'file');
    const known = (await columns())[type];
    const keys = row!.keys ?? [];
    const unknown = keys.filter((k) => !known.some((c) => c.name === k));
    if (unknown.length) {
      throw badInput(`${where}: column(s) ${unknown.join(', ')} unknown to ${TABLES[type]} here: is this database migrated to the exporting version?`, 'file');
    }
    return known.filter((c) => keys.includes(c.name)).map((c) => quote(c.name)).join(', ');
  }

  /** Inserts what is new; compares what was skipped with the stored row. */
  async function insertBatch(tx: Tx, tenantId: string, type: RecordType, batch: ImportRecord[], cols: string) {
    const json = docs(batch);
    // Steps exported before the table was partitioned carry no trace_started_at (the partition
    // key): it is the trace's started_at, taken from the trace (imported before its steps). A
    // step of a trace not here gets NULL and is refused, as the foreign key would refuse it.
    const derive = type === 'traceStep' && !cols.split(', ').includes('"trace_started_at"');
    const from = `jsonb_populate_recordset(NULL::${TABLES[type]}, $1::jsonb)`;
    const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
      derive
        ? `INSERT INTO ${TABLES[type]} (${cols}, "trace_started_at")
           SELECT ${cols.split(', ').map((c) => `r.${c}`).join(', ')},
                  (SELECT t.started_at FROM aos_traces t WHERE t.tenant_id = $2 AND t.trace_id = r.trace_id)
           FROM ${from} r
           ON CONFLICT DO NOTHING RETURNING id::text AS id`
        : `INSERT INTO ${TABLES[type]} (${cols}) SELECT ${cols} FROM ${from}
           ON CONFLICT DO NOTHING RETURNING id::text AS id`,
      json,
      ...(derive ? [tenantId] : []),
    );
    const skipped = batch.length - inserted.length;
    const clash = skipped > 0 ? await firstClash(tx, tenantId, type, json, inserted.map((r) => r.id)) : null;
    if (clash) throw conflict(`${clash.label} is already stored here ${clash.detail}; nothing was imported`, { record: clash.label });
    return { inserted: inserted.length, skipped };
  }

  /** The first record of `json` (not among `insertedIds`) that differs from the stored row it collided with. */
  async function firstClash(tx: Tx, tenantId: string, type: RecordType, json: string, insertedIds: string[]): Promise<{ label: string; detail: string } | null> {
    const { keys, label } = SAME_ROW[type];
    // The keys are computed apart (a materialised CTE) and the stored row is probed per record by
    // a scalar subquery on plain values: under row-level security a comparison with `->>` (not
    // leakproof) cannot use an index, and rows inserted moments ago have no planner statistics,
    // so a join might scan them all.
    const rows = await tx.$queryRawUnsafe<{ label: string; found: boolean; differing: string[] }[]>(
      `WITH f AS MATERIALIZED (
         SELECT ${label} AS label, d, ${keys.map((k, i) => `${k.from} AS k${i + 1}`).join(', ')}
         FROM jsonb_array_elements($1::jsonb) r(d) WHERE NOT (d->>'id' = ANY($3::text[])))
       SELECT label, doc IS NOT NULL AS found,
              ARRAY(SELECT key FROM jsonb_each(d) WHERE doc IS NULL OR (doc -> key) IS DISTINCT FROM (d -> key) ORDER BY key) AS differing
       FROM (SELECT f.label, f.d,
                    (SELECT to_jsonb(e) FROM ${TABLES[type]} k CROSS JOIN LATERAL (SELECT ${await selectList(type)}) e
                     WHERE k.tenant_id = $2 AND ${keys.map((k, i) => `k.${quote(k.column)} = f.k${i + 1}`).join(' AND ')} LIMIT 1) AS doc
             FROM f) x`,
      json,
      tenantId,
      insertedIds,
    );
    const clash = rows.find((d) => !d.found || d.differing.length > 0);
    if (!clash) return null;
    return {
      label: clash.label,
      detail: clash.found ? `with other ${clash.differing.join(', ')} than the file's` : 'as another row (the same id or idempotency key)',
    };
  }

  /** The ledger's import state: the chain's tail here, extended entry by entry under the append lock. */
  function ledgerImport(tx: Tx, tenantId: string) {
    let state: { tail: { seq: bigint; hash: string }; storedMax: bigint } | null = null;
    return {
      async add(batch: ImportRecord[], cols: string): Promise<{ inserted: number; skipped: number }> {
        if (state === null) {
          // The same lock appends take (stores/audit-ledger.ts), held to the end of the import.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('audit_ledger:' || ${tenantId}::text, 0))`;
          const [last] = await tx.$queryRaw<{ seq: string; entry_hash: string }[]>`
            SELECT seq::text, entry_hash FROM audit_ledger WHERE tenant_id = ${tenantId} ORDER BY seq DESC LIMIT 1`;
          const storedMax = last ? BigInt(last.seq) : 0n;
          state = { storedMax, tail: last ? { seq: storedMax, hash: last.entry_hash } : { seq: 0n, hash: LEDGER_GENESIS_HASH } };
        }
        const { storedMax } = state;
        const entries = batch.map((r) => ({ record: r, entry: JSON.parse(r.data) as LedgerDoc }));
        const stored = entries.filter(({ entry }) => BigInt(entry.seq) <= storedMax);
        const fresh = entries.filter(({ entry }) => BigInt(entry.seq) > storedMax);
        const clash = stored.length ? await firstClash(tx, tenantId, 'auditEntry', docs(stored.map((s) => s.record)), []) : null;
        if (clash) {
          throw conflict(
            `chain conflict: tenant ${tenantId}'s audit ledger here already holds ${clash.label} ${clash.detail}: ` +
              'the file comes from another history of this ledger; nothing was imported',
            { record: clash.label },
          );
        }
        for (const { record, entry } of fresh) {
          const seq = BigInt(entry.seq);
          const { tail } = state;
          if (seq !== tail.seq + 1n || entry.prev_hash !== tail.hash) {
            throw conflict(
              `chain conflict at line ${record.line}: the file's audit entry seq ${seq} does not continue tenant ${tenantId}'s ledger here, which ends at seq ${tail.seq}` +
                (seq === tail.seq + 1n ? ' with another hash' : '') +
                '; import the ledger from its first entry (a wider --from), into a database whose ledger is this one\'s past; nothing was imported',
              { seq: seq.toString() },
            );
          }
          const recomputed = ledgerEntryHash(entry.prev_hash, {
            tenantId,
            seq,
            eventType: entry.event_type,
            entityType: entry.entity_type,
            entityId: entry.entity_id,
            actorType: entry.actor_type,
            actorId: entry.actor_id,
            actionReason: entry.action_reason,
            beforeState: entry.before_state,
            afterState: entry.after_state,
            correlationId: entry.correlation_id,
            createdAt: new Date(entry.created_at),
          });
          if (recomputed !== entry.entry_hash) throw badInput(`line ${record.line}: audit entry seq ${seq} does not hash to its entry_hash: the file was altered; nothing was imported`, 'file');
          state.tail = { seq, hash: entry.entry_hash };
        }
        if (fresh.length) {
          const json = docs(fresh.map((f) => f.record));
          // No ON CONFLICT: under the lock nothing else takes these seqs, so a collision (an
          // idempotency key used by another entry) must fail loudly rather than leave a gap.
          await tx.$executeRawUnsafe(`INSERT INTO audit_ledger (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::audit_ledger, $1::jsonb)`, json);
        }
        return { inserted: fresh.length, skipped: stored.length };
      },
    };
  }
}

type Emit = (type: RecordType, doc: string) => Promise<void> | void;

type LedgerDoc = {
  seq: string;
  prev_hash: string;
  entry_hash: string;
  event_type: string;
  entity_type: string;
  entity_id: string;
  actor_type: string;
  actor_id: string | null;
  action_reason: string | null;
  before_state: unknown;
  after_state: unknown;
  correlation_id: string | null;
  created_at: string;
};

/** Page sizes go into LIMIT clauses as text. */
function checkSize(size: number) {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`page size must be a positive integer, got ${size}`);
}

const docs = (batch: ImportRecord[]) => `[${batch.map((r) => r.data).join(',')}]`;

export type TransferStore = ReturnType<typeof createTransferStore>;
