// Canonical JSON must match the AOS Python SDK byte for byte, because hashes computed there
// (input_hash, output_hash, root_hash) are recomputed and verified here. The target is
// json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=True, default=str).

export function canonicalJson(value: unknown): string {
  // A Canonical is its own text: no ancestors to track.
  return value instanceof Canonical ? value.text : encode(value, new Set());
}

/**
 * A value already in canonical form (from `canonicalJson`), written verbatim where it appears
 * inside another value. A digest over a whole record can then reuse the canonical text of its
 * big JSON parts instead of encoding them a second time; the output is the same as encoding the
 * original value in place.
 */
export class Canonical {
  constructor(readonly text: string) {}
}

function encode(value: unknown, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      return encodeNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      // Python has no undefined; only reachable at the top level or inside arrays, where
      // JSON.stringify also writes null.
      return 'null';
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Canonical) return value.text;
      if (value instanceof Date) return encodeString(value.toISOString());
      if (Array.isArray(value)) return encodeArray(value, ancestors);
      if (isPlainObject(value)) return encodeObject(value, ancestors);
      return encodeString(String(value));
    default:
      // functions and symbols: Python's default=str fallback
      return encodeString(String(value));
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function enter(value: object, ancestors: Set<object>): void {
  // Python raises ValueError("Circular reference detected"); recursing forever is worse.
  if (ancestors.has(value)) throw new TypeError('canonicalJson: circular reference');
  ancestors.add(value);
}

function encodeArray(items: readonly unknown[], ancestors: Set<object>): string {
  enter(items, ancestors);
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i ? ',' : '') + encode(items[i], ancestors);
  ancestors.delete(items);
  return `${out}]`;
}

function encodeObject(obj: Record<string, unknown>, ancestors: Set<object>): string {
  enter(obj, ancestors);
  const keys = sortedKeys(obj);
  let out = '{';
  for (const key of keys) {
    const v = obj[key];
    // Skipped like JSON.stringify does, so an optional field left unset hashes like an absent one.
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${encodeString(key)}:${encode(v, ancestors)}`;
  }
  ancestors.delete(obj);
  return `${out}}`;
}

/**
 * The object's own keys in code point order. An insertion sort in place on the fresh array from
 * Object.keys: objects here have few keys, and Array.prototype.sort with a comparator copied each
 * array into a work array of its own (a tenth of what an ingest request allocated, with the sorts
 * of canonicalWalk). Keys are distinct, so any correct sort gives this order.
 */
export function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  // Quadratic: only for the few keys JSON objects usually have.
  if (keys.length > 16) return keys.sort(compareCodePoints);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && compareCodePoints(keys[j]!, key) > 0; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}

/** Passed with values that are not objects, which never add to it. */
const NO_ANCESTORS: Set<object> = new Set();

/**
 * canonicalJson for many objects of one shape: the keys given, sorted once instead of per object.
 * The objects must have exactly these own keys (a record type's literal); unset values are left
 * out as canonicalJson leaves them out.
 */
export function canonicalRecord<K extends string>(keys: readonly K[]): (record: Readonly<Record<K, unknown>>) => string {
  const ordered = sortedKeys(Object.fromEntries(keys.map((k) => [k, true]))) as K[];
  // Each key's label after "{" (the first value written) or after ",": made once, not per record.
  const firstLabels = ordered.map((k) => `{${encodeString(k)}:`);
  const nextLabels = ordered.map((k) => `,${encodeString(k)}:`);
  return (record) => {
    // One set of ancestors for the whole record, as encodeObject shares its own, made only when
    // a value is an object other than a Canonical (a value holding the record itself is caught
    // one level down).
    let ancestors: Set<object> | undefined;
    // The parts joined once: one flat string, where `+=` made a rope of short copies that the
    // digest then had to flatten (a third of what ingest allocated per step was such strings).
    const parts: string[] = [];
    for (let i = 0; i < ordered.length; i++) {
      const v = record[ordered[i]!];
      if (v === undefined) continue;
      parts.push(parts.length ? nextLabels[i]! : firstLabels[i]!);
      if (typeof v === 'string') pushString(parts, v);
      else if (v instanceof Canonical) parts.push(v.text);
      else parts.push(encode(v, typeof v === 'object' && v !== null ? (ancestors ??= new Set()) : NO_ANCESTORS));
    }
    parts.push(parts.length ? '}' : '{}');
    return parts.join('');
  };
}

// Python sorts str by code point; JS's default sort uses UTF-16 code units, which orders
// astral characters (surrogates 0xD800-0xDFFF) before 0xE000-0xFFFF. At the first differing
// unit, shifting 0xE000-0xFFFF below the surrogates gives code point order (both are BMP or both
// surrogates: unit order already is code point order).
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return codePointRank(ca) - codePointRank(cb);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

const NAMED_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
};

// Printable ASCII other than the quote and the backslash: written as is.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** encodeString(s) appended to `parts`, without concatenating a copy when no character needs escaping. */
export function pushString(parts: string[], s: string): void {
  if (PLAIN.test(s)) parts.push('"', s, '"');
  else parts.push(encodeString(s));
}

/** A string as canonical JSON (Python's ensure_ascii escaping). */
export function encodeString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    const named = NAMED_ESCAPES[unit];
    if (named !== undefined) out += named;
    // Python's ensure_ascii keeps only 0x20-0x7E literal (DEL is escaped too). Escaping per
    // UTF-16 unit yields surrogate pairs for astral characters, exactly as Python writes them.
    else if (unit < 0x20 || unit > 0x7e) out += `\\u${unit.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

// Known limit: Python prints a float 1.0 as "1.0" where we print "1". JSON parsing loses the
// int/float distinction, so every integral number is written as a Python int would be. Beyond
// 2^53 the value is already lossy; the shortest digits (String) most often equal the literal
// that was sent, and BigInt only takes over where String would switch to exponent form.
/** A number as canonical JSON (Python's int and float repr). */
export function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`canonicalJson: cannot encode ${n}`);
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n === 0 ? 0 : n) : BigInt(n).toString();
  return pythonFloatRepr(n);
}

// Both JS and Python pick the shortest round-tripping digits; they differ only in layout.
// Python's repr uses exponent form when the decimal exponent is < -4 or >= 16, with a signed,
// at least two-digit exponent (1e-05); JS switches at < -6 and writes 1e-7.
function pythonFloatRepr(n: number): string {
  // A non-integral double is below 2^53 < 1e16, so only small magnitudes can need the exponent.
  if (Math.abs(n) >= 1e-4) return String(n);
  const [mantissa = '', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) return String(n);
  const sign = exp < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}
