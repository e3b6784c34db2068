// Postgres MVCC snapshots ("xmin:xmax:xip,…", from pg_current_snapshot()) as the live tail's
// resume points. Row timestamps are taken when a transaction starts, not when it commits, so "rows
// newer than T" misses a transaction that started before T and committed after it. A snapshot says
// exactly which transactions' writes a reader has seen, whatever order they committed in.
// Pure functions, no I/O.

export type Snapshot = { xmin: bigint; xmax: bigint; xip: ReadonlySet<bigint>; text: string };

const SNAPSHOT = /^(\d{1,20}):(\d{1,20}):((?:\d{1,20}(?:,\d{1,20})*)?)$/;

/** Parses pg_snapshot text; null when it is not one (a forged cursor). */
export function parseSnapshot(text: string): Snapshot | null {
  const match = SNAPSHOT.exec(text);
  if (!match) return null;
  const xmin = BigInt(match[1]!);
  const xmax = BigInt(match[2]!);
  const xip = match[3] ? match[3].split(',').map(BigInt) : [];
  if (xmin > xmax || xip.some((x) => x < xmin || x >= xmax)) return null;
  return { xmin, xmax, xip: new Set(xip), text };
}

const EPOCH = 1n << 32n;

/**
 * A row's xmin is a 32-bit transaction id; snapshots hold 64-bit ones (epoch and id). The row's
 * transaction is the 64-bit id with those low bits nearest to the snapshot, which is right for any
 * row written within two billion transactions of it: the live tail only looks at recent rows.
 */
export function fullXid(xmin32: string | bigint, near: Snapshot): bigint {
  const low = BigInt(xmin32);
  const candidate = (near.xmax / EPOCH) * EPOCH + low;
  if (candidate - near.xmax > EPOCH / 2n) return candidate - EPOCH;
  if (near.xmax - candidate > EPOCH / 2n) return candidate + EPOCH;
  return candidate;
}

/** Whether the writes of transaction `xid` (64-bit) were visible to a reader holding `snapshot`. */
export function isVisible(xid: bigint, snapshot: Snapshot): boolean {
  if (xid < snapshot.xmin) return true;
  if (xid >= snapshot.xmax) return false;
  return !snapshot.xip.has(xid);
}

/** Whether `a` sees everything `b` sees (a was taken at the same time as b or later). */
export function covers(a: Snapshot, b: Snapshot): boolean {
  if (a.xmax < b.xmax || a.xmin < b.xmin) return false;
  for (const x of a.xip) if (x < b.xmax && !b.xip.has(x)) return false;
  return true;
}

/** The later of two snapshots: the one that sees everything the other sees. */
export const later = (a: Snapshot, b: Snapshot): Snapshot => (covers(b, a) ? b : a);
