// An OTLP ExportTraceServiceRequest (already parsed from JSON, or decoded from protobuf) → flat,
// validated spans. Follows the OTLP/JSON rules: lowerCamelCase keys, hex ids (base64 only in the
// binary form, converted here), enums as integers, 64-bit integers as strings or numbers, unknown
// fields ignored. A request whose structure is wrong is refused whole (400); a span with bad ids or
// times is rejected alone and counted for partialSuccess, and the rest of the request is kept.

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

export interface OtlpEvent {
  name: string;
  timeUnixNano: bigint | null;
  attributes: Attributes;
}

export interface OtlpLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceState: string | null;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: OtlpEvent[];
  links: OtlpLink[];
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  dropped: { attributes: number; events: number; links: number };
  resource: Attributes;
  scope: { name: string; version: string; attributes: Attributes };
}

export interface DecodedExport {
  spans: OtlpSpan[];
  rejected: { count: number; messages: string[] };
}

/** The request cannot be read at all: HTTP 400, nothing stored. */
export class OtlpBadRequest extends Error {}

/** Where ids come from: hex text in OTLP/JSON, base64 of the raw bytes after protobuf decoding. */
export type IdEncoding = 'hex' | 'base64';

const MAX_EVENTS = 128;
const MAX_LINKS = 128;
const MAX_VALUE_DEPTH = 16;
const INT64_MAX = 2n ** 63n - 1n;
/** Kept per request; the count covers every rejected span. */
const MAX_MESSAGES = 5;

const TRUNCATED = '<TRUNCATED: nested too deep>';

export function decodeExport(body: unknown, ids: IdEncoding): DecodedExport {
  const request = object(body, 'request body');
  const spans: OtlpSpan[] = [];
  const rejected = { count: 0, messages: [] as string[] };
  list(request.resourceSpans, 'resourceSpans').forEach((rsValue, r) => {
    const rs = object(rsValue, `resourceSpans[${r}]`);
    const resource = rs.resource === undefined ? {} : object(rs.resource, `resourceSpans[${r}].resource`);
    const resourceAttributes = attributes(resource.attributes, `resourceSpans[${r}].resource.attributes`);
    list(rs.scopeSpans, `resourceSpans[${r}].scopeSpans`).forEach((ssValue, s) => {
      const path = `resourceSpans[${r}].scopeSpans[${s}]`;
      const ss = object(ssValue, path);
      const scopeValue = ss.scope === undefined ? {} : object(ss.scope, `${path}.scope`);
      const scope = {
        name: text(scopeValue.name),
        version: text(scopeValue.version),
        attributes: attributes(scopeValue.attributes, `${path}.scope.attributes`),
      };
      list(ss.spans, `${path}.spans`).forEach((spanValue, i) => {
        const spanPath = `${path}.spans[${i}]`;
        const result = span(object(spanValue, spanPath), spanPath, ids, resourceAttributes, scope);
        if (typeof result === 'string') {
          rejected.count += 1;
          if (rejected.messages.length < MAX_MESSAGES) rejected.messages.push(`${spanPath}: ${result}`);
        } else {
          spans.push(result);
        }
      });
    });
  });
  return { spans, rejected };
}

/** A span, or why it was rejected. */
function span(
  raw: Record<string, unknown>,
  path: string,
  ids: IdEncoding,
  resource: Attributes,
  scope: OtlpSpan['scope'],
): OtlpSpan | string {
  const traceId = id(raw.traceId, 16, ids);
  if (!traceId) return 'traceId must be 32 hex digits, not all zero';
  const spanId = id(raw.spanId, 8, ids);
  if (!spanId) return 'spanId must be 16 hex digits, not all zero';
  let parentSpanId: string | null = null;
  if (raw.parentSpanId !== undefined && raw.parentSpanId !== null && raw.parentSpanId !== '') {
    parentSpanId = id(raw.parentSpanId, 8, ids);
    if (!parentSpanId) return 'parentSpanId must be empty or 16 hex digits';
  }
  const start = nanos(raw.startTimeUnixNano);
  if (start === null || start === 0n) return 'startTimeUnixNano must be a positive integer below 2^63';
  const end = raw.endTimeUnixNano === undefined ? start : nanos(raw.endTimeUnixNano);
  if (end === null) return 'endTimeUnixNano must be an integer below 2^63';
  const status = raw.status === undefined ? {} : object(raw.status, `${path}.status`);
  const events = list(raw.events, `${path}.events`);
  const links = list(raw.links, `${path}.links`);
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState: raw.traceState ? text(raw.traceState) : null,
    name: text(raw.name),
    kind: enumValue(raw.kind, SPAN_KINDS),
    startTimeUnixNano: start,
    // A span that ended "before" it started (clock skew) lasts zero, rather than being lost.
    endTimeUnixNano: end < start ? start : end,
    attributes: attributes(raw.attributes, `${path}.attributes`),
    events: events.slice(0, MAX_EVENTS).map((value, e) => {
      const event = object(value, `${path}.events[${e}]`);
      return {
        name: text(event.name),
        timeUnixNano: nanos(event.timeUnixNano),
        attributes: attributes(event.attributes, `${path}.events[${e}].attributes`),
      };
    }),
    links: links.slice(0, MAX_LINKS).map((value, l) => {
      const link = object(value, `${path}.links[${l}]`);
      return {
        traceId: id(link.traceId, 16, ids) ?? '',
        spanId: id(link.spanId, 8, ids) ?? '',
        attributes: attributes(link.attributes, `${path}.links[${l}].attributes`),
      };
    }),
    status: { code: enumValue(status.code, STATUS_CODES), message: text(status.message) },
    dropped: {
      attributes: count(raw.droppedAttributesCount),
      events: count(raw.droppedEventsCount) + Math.max(0, events.length - MAX_EVENTS),
      links: count(raw.droppedLinksCount) + Math.max(0, links.length - MAX_LINKS),
    },
    resource,
    scope,
  };
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OtlpBadRequest(`${path}: expected an object`);
  return value as Record<string, unknown>;
}

/** A repeated field: absent (or null) means empty, anything but an array is bad data. */
function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpBadRequest(`${path}: expected an array`);
  return value;
}

function id(value: unknown, bytes: number, encoding: IdEncoding): string | null {
  if (typeof value !== 'string') return null;
  const hex = encoding === 'hex' ? value.toLowerCase() : base64ToHex(value);
  if (hex === null || hex.length !== bytes * 2 || !/^[0-9a-f]+$/.test(hex) || /^0+$/.test(hex)) return null;
  return hex;
}

function base64ToHex(value: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return null;
  return Buffer.from(value, 'base64').toString('hex');
}

/** fixed64 nanoseconds: a decimal string (the JSON rule) or a number; null when not one. */
function nanos(value: unknown): bigint | null {
  if (value === undefined || value === null) return 0n;
  let n: bigint;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) n = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) n = BigInt(value);
  else return null;
  return n <= INT64_MAX ? n : null;
}

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/**
 * Enums arrive as integers (OTLP/JSON), though proto3 JSON also allows the value's name, which we
 * read too; an unknown value counts as 0 (unspecified).
 */
function enumValue(value: unknown, names: readonly string[]): number {
  if (typeof value === 'string') return Math.max(0, names.indexOf(value));
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length ? value : 0;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/**
 * Text as Postgres can store it: NUL and unpaired surrogates (which a JSON body can smuggle in
 * with \u escapes) become U+FFFD instead of failing the whole export at insert.
 */
export function text(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function attributes(value: unknown, path: string): Attributes {
  const out: Attributes = {};
  for (const [i, entry] of list(value, path).entries()) {
    const kv = object(entry, `${path}[${i}]`);
    if (typeof kv.key !== 'string') throw new OtlpBadRequest(`${path}[${i}].key: expected a string`);
    // defineProperty, so a "__proto__" attribute stays data instead of becoming a prototype.
    Object.defineProperty(out, text(kv.key), { value: anyValue(kv.value, 0), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** An OTLP AnyValue → plain JSON. 64-bit integers beyond 2^53 stay decimal strings (exact). */
function anyValue(value: unknown, depth: number): AttrValue {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_VALUE_DEPTH) return TRUNCATED;
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) return text(v.stringValue);
  if ('boolValue' in v) return v.boolValue === true;
  if ('intValue' in v) {
    const raw = v.intValue;
    if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
    if (typeof raw === 'string' && /^-?\d{1,20}$/.test(raw)) return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    return null;
  }
  if ('doubleValue' in v) {
    const raw = v.doubleValue;
    // Binary protobuf can carry NaN and the infinities as numbers; JSON (and jsonb) cannot.
    if (typeof raw === 'number') return Number.isFinite(raw) ? raw : String(raw);
    // proto3 JSON writes NaN and the infinities as strings; JSON has no number for them.
    return typeof raw === 'string' && /^(-?Infinity|NaN|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(raw) ? (Number.isFinite(Number(raw)) ? Number(raw) : raw) : null;
  }
  if ('arrayValue' in v) {
    const values = (v.arrayValue as { values?: unknown } | null)?.values;
    return Array.isArray(values) ? values.map((item) => anyValue(item, depth + 1)) : [];
  }
  if ('kvlistValue' in v) {
    const values = (v.kvlistValue as { values?: unknown } | null)?.values;
    const out: { [key: string]: AttrValue } = {};
    if (Array.isArray(values)) {
      for (const entry of values) {
        if (typeof entry !== 'object' || entry === null || typeof (entry as { key?: unknown }).key !== 'string') continue;
        const { key, value: inner } = entry as { key: string; value?: unknown };
        Object.defineProperty(out, text(key), { value: anyValue(inner, depth + 1), enumerable: true, writable: true, configurable: true });
      }
    }
    return out;
  }
  if ('bytesValue' in v) return typeof v.bytesValue === 'string' ? v.bytesValue : null;
  return null;
}
