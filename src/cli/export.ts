// `aos export`: a tenant's records created in a time range, to JSON Lines (every column, for
// backup and `aos import`) or to OTLP/JSON (traces and steps, for OpenTelemetry tools).
import { notFound } from '../errors.ts';
import type { Stores } from '../stores/index.ts';
import { RECORD_TYPES, zeroCounts, type RecordCounts, type RecordType, type TimeRange } from '../stores/transfer.ts';
import { otlpTraceRequest, type BigintColumns, type Row } from './otlp-json.ts';
import { endLine, headerLine, recordLine } from './transfer-file.ts';

export type ExportFormat = 'jsonl' | 'otlp';

export type ExportOptions = {
  tenantId: string;
  range: TimeRange;
  format: ExportFormat;
  /** Receives each line without its newline, in order; may wait (backpressure). */
  write: (line: string) => Promise<void>;
  onProgress?: ((state: { done: number; total: number; type: RecordType }) => void) | undefined;
  /** Rows per database page (default 500). */
  pageSize?: number | undefined;
};

export type ExportReport = { counts: RecordCounts; records: number; lines: number };

export async function exportTenant(stores: Stores, options: ExportOptions): Promise<ExportReport> {
  const { tenantId, range, format } = options;
  const [tenant] = await stores.tenants.byIds([tenantId]);
  if (!tenant) throw notFound(`tenant ${tenantId}`);

  const types: readonly RecordType[] = format === 'otlp' ? ['trace', 'traceStep'] : RECORD_TYPES;
  const planned = await stores.transfer.counts(tenantId, range);
  const total = types.reduce((sum, t) => sum + planned[t], 0);
  const counts = zeroCounts();
  let done = 0;
  let lines = 0;
  const write = async (line: string) => {
    lines += 1;
    await options.write(line);
  };

  const sink = format === 'otlp' ? await otlpSink(stores, write) : jsonlSink(write);
  if (format === 'jsonl') await write(headerLine({ tenantId, from: range.from?.toISOString() ?? null, to: range.to?.toISOString() ?? null }));
  await stores.transfer.exportRecords(tenantId, range, types, async (type, doc) => {
    await sink.record(type, doc);
    counts[type] += 1;
    done += 1;
    options.onProgress?.({ done, total, type });
  }, options.pageSize);
  await sink.end();
  if (format === 'jsonl') await write(endLine(counts));
  return { counts, records: done, lines };
}

type Sink = { record(type: RecordType, doc: string): Promise<void>; end(): Promise<void> };

function jsonlSink(write: (line: string) => Promise<void>): Sink {
  return { record: (type, doc) => write(recordLine(type, doc)), end: async () => {} };
}

/**
 * Groups the record stream into one request per trace. The store sends a page of traces, then
 * their steps trace by trace, so only one trace's steps are held at a time.
 */
async function otlpSink(stores: Stores, write: (line: string) => Promise<void>): Promise<Sink> {
  const columns = await stores.transfer.columns();
  const bigintsOf = (type: RecordType) => new Set(columns[type].filter((c) => c.type === 'bigint').map((c) => c.name));
  const bigints: BigintColumns = { trace: bigintsOf('trace'), traceStep: bigintsOf('traceStep') };
  const traces = new Map<string, Row>();
  let current: { traceId: string; steps: Row[] } | null = null;
  let stepsSeen = false;

  const emit = (trace: Row, steps: Row[]) => write(JSON.stringify(otlpTraceRequest(trace, steps, bigints)));
  async function flushCurrent() {
    if (!current) return;
    const trace = traces.get(current.traceId);
    if (trace) await emit(trace, current.steps);
    traces.delete(current.traceId);
    current = null;
  }
  async function flushAll() {
    await flushCurrent();
    for (const trace of traces.values()) await emit(trace, []);
    traces.clear();
    stepsSeen = false;
  }

  return {
    async record(type, doc) {
      const row = JSON.parse(doc) as Row;
      if (type === 'trace') {
        if (stepsSeen) await flushAll(); // a new page of traces: the previous page is complete
        traces.set(String(row.trace_id), row);
        return;
      }
      stepsSeen = true;
      if (current && current.traceId !== row.trace_id) await flushCurrent();
      current ??= { traceId: String(row.trace_id), steps: [] };
      current.steps.push(row);
    },
    end: flushAll,
  };
}
