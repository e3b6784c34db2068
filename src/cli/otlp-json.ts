// A trace and its steps as an OTLP/JSON ExportTraceServiceRequest (resourceSpans → scopeSpans →
// spans), the shape the OpenTelemetry Collector's file exporter writes one per line, so the export
// loads into any OTLP tool. One span per step, under a span for the trace itself; every non-null
// column rides along as an `aos.trace.*` / `aos.step.*` attribute. Steps that arrived as OTLP spans
// keep their own span ids, parents and nanosecond times (and then no trace span is added: their
// own root is in them). Export only: imports read the JSON Lines format, which is lossless.
import { sha256Hex } from '../domain/hashes.ts';

/** A row as exported: column name → JSON value (bigints and times already strings). */
export type Row = Record<string, unknown>;

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
type KeyValue = { key: string; value: AnyValue };

const STATUS_UNSET = 0;
const STATUS_OK = 1;
const STATUS_ERROR = 2;
const SPAN_KINDS: Record<string, number> = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/** OTLP trace ids are 16 bytes: our trace id when it already is 32 hex digits, else a digest of it. */
export function otlpTraceId(traceId: string): string {
  const lower = traceId.toLowerCase();
  return HEX32.test(lower) && !/^0+$/.test(lower) ? lower : sha256Hex(traceId).slice(0, 32);
}

/** OTLP span ids are 8 bytes: a digest of our row id (stable across exports of the same row). */
export function otlpSpanId(rowId: string): string {
  return sha256Hex(rowId).slice(0, 16);
}

const nanosOfIso = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

function attribute(key: string, value: unknown, bigint: boolean): KeyValue | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return { key, value: bigint ? { intValue: value } : { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number') return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
  return { key, value: { stringValue: JSON.stringify(value) } };
}

function attributes(prefix: string, row: Row, bigints: ReadonlySet<string>): KeyValue[] {
  return Object.entries(row)
    .map(([column, value]) => attribute(`${prefix}.${column}`, value, bigints.has(column)))
    .filter((kv) => kv !== null);
}

function stepStatus(step: Row): { code: number; message?: string } {
  switch (step.status) {
    case 'success':
      return { code: STATUS_OK };
    case 'skipped':
      return { code: STATUS_UNSET };
    default:
      return { code: STATUS_ERROR, message: String(step.outcome_code ?? step.status) };
  }
}

function traceStatus(trace: Row): { code: number; message?: string } {
  if (trace.status === 'completed') return { code: STATUS_OK };
  if (trace.status === 'running') return { code: STATUS_UNSET };
  return { code: STATUS_ERROR, message: String(trace.status) };
}

export type BigintColumns = { trace: ReadonlySet<string>; traceStep: ReadonlySet<string> };

export function otlpTraceRequest(trace: Row, steps: Row[], bigints: BigintColumns): unknown {
  const traceId = otlpTraceId(String(trace.trace_id));
  const ownSpans = steps.some((s) => typeof s.span_id === 'string' && HEX16.test(s.span_id));
  const traceSpanId = otlpSpanId(`trace:${String(trace.id)}`);
  let lastEnd = nanosOfIso(String(trace.started_at));

  const stepSpans = steps.map((step) => {
    const start = step.start_time_unix_nano != null ? BigInt(String(step.start_time_unix_nano)) : nanosOfIso(String(step.timestamp));
    const end = step.end_time_unix_nano != null ? BigInt(String(step.end_time_unix_nano)) : start + BigInt(Math.round(Number(step.duration_ms ?? 0) * 1e6));
    if (end > lastEnd) lastEnd = end;
    const spanId = typeof step.span_id === 'string' && HEX16.test(step.span_id) ? step.span_id : otlpSpanId(String(step.id));
    const parent = ownSpans ? (typeof step.parent_span_id === 'string' ? step.parent_span_id : undefined) : traceSpanId;
    return {
      traceId,
      spanId,
      ...(parent && { parentSpanId: parent }),
      name: String(step.skill_name),
      kind: SPAN_KINDS[String(step.span_kind ?? '').toUpperCase()] ?? SPAN_KINDS.INTERNAL,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: end.toString(),
      attributes: attributes('aos.step', step, bigints.traceStep),
      status: stepStatus(step),
    };
  });

  const spans = ownSpans
    ? stepSpans
    : [
        {
          traceId,
          spanId: traceSpanId,
          name: `trace ${String(trace.trace_id)}`,
          kind: SPAN_KINDS.INTERNAL,
          startTimeUnixNano: nanosOfIso(String(trace.started_at)).toString(),
          endTimeUnixNano: (trace.completed_at ? nanosOfIso(String(trace.completed_at)) : lastEnd).toString(),
          attributes: attributes('aos.trace', trace, bigints.trace),
          status: traceStatus(trace),
        },
        ...stepSpans,
      ];

  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: String(trace.agent_id ?? 'aos-logs') } },
            { key: 'aos.tenant_id', value: { stringValue: String(trace.tenant_id) } },
          ],
        },
        scopeSpans: [{ scope: { name: 'aos-logs', version: String(1) }, spans }],
      },
    ],
  };
}
