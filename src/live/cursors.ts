// Resume cursors of the live tail: opaque to clients (base64url JSON), exact for us. Each event
// carries the cursor that covers it and everything before it; a client that reconnects with the
// last cursor it received gets what it missed, once, and nothing it already had.
import { z } from 'zod';
import { badInput } from '../errors.ts';
import { parseSnapshot, type Snapshot } from './snapshot.ts';

/**
 * traceStepRecorded: the step indexes already delivered, as sorted inclusive ranges. Steps are
 * unique per (trace, index), so "not yet delivered" is exact whatever order they committed in.
 */
export type StepCursor = { kind: 'steps'; traceId: string; delivered: IndexRanges };
export type IndexRanges = [number, number][];

/**
 * traceUpdated and incidentOpened: every change visible in `snapshot` was delivered, and so were
 * the changes in `delivered` (keys from a batch cut short by a disconnect). `at` is the database
 * clock just after the snapshot was taken.
 */
export type FeedCursor = { kind: 'traces' | 'incidents'; snapshot: Snapshot; at: Date; delivered: string[] };

const MAX_CURSOR_CHARS = 65_536;
const index = z.number().int().min(0).max(2_147_483_647);
const Wire = z.discriminatedUnion('k', [
  z.object({ v: z.literal(1), k: z.literal('steps'), trace: z.string().min(1).max(256), r: z.array(z.tuple([index, index])).max(10_000) }),
  z.object({
    v: z.literal(1),
    k: z.enum(['traces', 'incidents']),
    s: z.string().max(20_000),
    at: z.iso.datetime(),
    d: z.array(z.string().max(200)).max(1_000),
  }),
]);

export function encodeCursor(cursor: StepCursor | FeedCursor): string {
  const wire =
    cursor.kind === 'steps'
      ? { v: 1, k: 'steps', trace: cursor.traceId, r: cursor.delivered }
      : { v: 1, k: cursor.kind, s: cursor.snapshot.text, at: cursor.at.toISOString(), d: cursor.delivered };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

/** Decodes a client's `after`; anything we did not issue for this subscription is BAD_USER_INPUT. */
export function decodeCursor(text: string, kind: 'steps'): StepCursor;
export function decodeCursor(text: string, kind: 'traces' | 'incidents'): FeedCursor;
export function decodeCursor(text: string, kind: StepCursor['kind'] | FeedCursor['kind']): StepCursor | FeedCursor {
  const invalid = () => badInput('after: not a cursor of this subscription', 'after');
  if (text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let parsed: z.infer<typeof Wire>;
  try {
    parsed = Wire.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  if (parsed.k !== kind) throw invalid();
  if (parsed.k === 'steps') {
    if (!isSortedRanges(parsed.r)) throw invalid();
    return { kind: 'steps', traceId: parsed.trace, delivered: parsed.r };
  }
  const snapshot = parseSnapshot(parsed.s);
  if (!snapshot) throw invalid();
  return { kind: parsed.k, snapshot, at: new Date(parsed.at), delivered: parsed.d };
}

function isSortedRanges(ranges: IndexRanges): boolean {
  return ranges.every(([from, to], i) => from <= to && (i === 0 || from > ranges[i - 1]![1] + 1));
}

/** Adds step indexes to a range list, merging neighbours: [[0,4]] + 5 → [[0,5]]. */
export function addIndexes(ranges: IndexRanges, indexes: number[]): IndexRanges {
  const all = [...ranges.map(([a, b]) => [a, b] as [number, number]), ...indexes.map((i) => [i, i] as [number, number])];
  all.sort((x, y) => x[0] - y[0]);
  const merged: IndexRanges = [];
  for (const [from, to] of all) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** The ranges as a Postgres int4multirange literal ('{}' when empty), for `NOT (x <@ $ranges)`. */
export const toMultirange = (ranges: IndexRanges) => `{${ranges.map(([from, to]) => `[${from},${to + 1})`).join(',')}}`;
