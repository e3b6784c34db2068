// The three live feeds. Each first catches up from its cursor (or starts now), then waits for the
// hub's signals and reads what they announce, as the subscribing tenant only. Every payload carries
// the cursor to resume from; see cursors.ts for why resuming neither skips nor repeats.
import type { TraceStatus, TraceStep, Trace } from '../domain/trace.ts';
import { badInput, notFound } from '../errors.ts';
import type { Incident } from '../stores/incidents.ts';
import type { LiveStore, ReadPoint, Version } from '../stores/live.ts';
import { addIndexes, encodeCursor, toMultirange, type FeedCursor, type IndexRanges } from './cursors.ts';
import type { LiveEvent, LiveHub, LiveSignal, Point } from './hub.ts';
import { fullXid, isVisible, later, parseSnapshot, type Snapshot } from './snapshot.ts';

export type FeedDeps = { hub: LiveHub; live: LiveStore; tenantId: string };
export type Delivery<T> = { cursor: string; item: T };

/** A cursor older than this is refused: the client reloads with a query and subscribes afresh. */
export const MAX_RESUME_AGE_MS = 24 * 3600_000;
const STEP_PAGE = 500;
/** More announced ids than this in one wait: one scan is cheaper than a list of ids. */
const MAX_IDS_PER_READ = 5_000;
/** How long a new subscription waits for the hub to listen; past it, a later resync catches up. */
const LISTEN_WAIT_MS = 5_000;

const toPoint = (p: ReadPoint): Point => ({ snapshot: parseSnapshot(p.snapshot)!, at: new Date(p.at) });
const laterPoint = (a: Point, b: Point): Point => (later(a.snapshot, b.snapshot) === a.snapshot ? a : b);

/**
 * Signals received while the feed was busy, merged: resyncs kept (by generation), batches joined
 * into one with the later snapshot, which is sound because a later snapshot sees everything an
 * earlier one saw. `close()` ends a pending wait, so a client that leaves frees its subscription
 * at once rather than at the next announcement.
 */
function openInbox(hub: LiveHub) {
  let resyncs: number[] = [];
  let batch: { point: Point; events: LiveEvent[] } | null = null;
  let overflow = false;
  let wake: (() => void) | null = null;
  let closed = false;
  const unsubscribe = hub.subscribe((signal: LiveSignal) => {
    if (signal.type === 'closing') closed = true;
    else if (signal.type === 'resync') resyncs.push(signal.generation);
    else if (!batch) batch = { point: signal.point, events: [...signal.events] };
    else {
      batch.point = laterPoint(batch.point, signal.point);
      if (batch.events.length + signal.events.length > MAX_IDS_PER_READ) overflow = true;
      else batch.events.push(...signal.events);
    }
    wake?.();
  });
  return {
    /** The next merged signals; null once closed. */
    async next(): Promise<{ resyncs: number[]; batch: typeof batch; overflow: boolean } | null> {
      while (!closed && !resyncs.length && !batch) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (closed) return null;
      const taken = { resyncs, batch, overflow };
      resyncs = [];
      batch = null;
      overflow = false;
      return taken;
    },
    close() {
      closed = true;
      unsubscribe();
      wake?.();
    },
  };
}

type Inbox = ReturnType<typeof openInbox>;

/**
 * Wraps a feed so that `return()` (the client went away) ends a wait at once: async generators
 * would otherwise finish only after their pending await does.
 */
function closable<T>(inbox: Inbox, feed: (inbox: Inbox) => AsyncGenerator<T>): AsyncIterableIterator<T> {
  const generator = feed(inbox);
  return {
    async next() {
      try {
        const result = await generator.next();
        if (result.done) inbox.close();
        return result;
      } catch (error) {
        inbox.close();
        throw error;
      }
    },
    async return(value?: unknown) {
      inbox.close();
      return generator.return(value as T);
    },
    async throw(error?: unknown) {
      inbox.close();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * traceStepRecorded: every step of the trace not yet delivered, by step index, then each new one.
 * Ends once the trace is final and all its steps went out. Unknown trace → NOT_FOUND.
 */
export async function stepFeed({ hub, live, tenantId }: FeedDeps, traceId: string, delivered: IndexRanges): Promise<AsyncIterableIterator<Delivery<TraceStep>>> {
  const trace = await live.undeliveredSteps(tenantId, traceId, '{}', 0);
  if (!trace) throw notFound(`trace ${traceId}`);
  // Steps are announced by trace id; the trace's own change (it became final) by its row id.
  const concerns = (e: LiveEvent) =>
    e.tenantId === tenantId && (e.kind === 'steps' ? e.traceId === traceId : e.kind === 'traces' && e.ids.includes(trace.id));
  return closable(openInbox(hub), async function* (inbox) {
    let done = delivered;
    let look = true;
    for (;;) {
      while (look) {
        const page = await live.undeliveredSteps(tenantId, traceId, toMultirange(done), STEP_PAGE);
        if (!page) return; // archived and deleted meanwhile
        for (const step of page.steps) {
          done = addIndexes(done, [step.stepIndex]);
          yield { cursor: encodeCursor({ kind: 'steps', traceId, delivered: done }), item: step };
        }
        if (page.steps.length < STEP_PAGE) {
          if (page.status !== 'running') return;
          look = false;
        }
      }
      const signals = await inbox.next();
      if (!signals) return;
      look = signals.resyncs.length > 0 || signals.overflow || (signals.batch?.events.some(concerns) ?? false);
    }
  });
}

type Versioned<T> = { version: Version; value: T };
type Scope = { ids: string[] } | { newerThanXmin32: bigint };
type Read<T> = (scope: Scope, isNews: (v: Version, p: ReadPoint) => boolean) => Promise<{ point: ReadPoint; items: Versioned<T>[] }>;

/**
 * The engine of traceUpdated and incidentOpened. `base` is the resume point: every change visible
 * in its snapshot was delivered, and so were the versions whose keys are in `delivered`. A batch
 * delivers the announced rows whose current version its snapshot sees; a version it does not see
 * yet (written after the mark) is carried to the next batch. A scan (on resume, or when
 * announcements may have been lost) looks at every recent version of the tenant's rows.
 */
async function changeFeed<T>(
  { hub, live, tenantId }: FeedDeps,
  kind: 'traces' | 'incidents',
  after: FeedCursor | undefined,
  read: Read<T>,
  keyOf: (v: Version, xid: bigint) => string,
  /** Whether a version the resume point did not see is a change this feed reports on a scan. */
  reportsOnScan: (v: Version, base: Point) => boolean,
): Promise<AsyncIterableIterator<Delivery<T>>> {
  if (after && Date.now() - after.at.getTime() > MAX_RESUME_AGE_MS) {
    throw badInput('after: this cursor is more than 24 hours old; subscribe without it and reload with a query', 'after');
  }
  // Subscribed and listening before the resume point is read, so no announcement falls between the
  // two and a resync from that same connection adds nothing. Read before the stream opens: a write
  // the client makes once it sees the stream is after "now".
  const inbox = openInbox(hub);
  let base: Point;
  let listeningSince: number | null;
  try {
    listeningSince = await hub.listeningWithin(LISTEN_WAIT_MS);
    base = after ? { snapshot: after.snapshot, at: after.at } : toPoint(await live.readPoint(tenantId));
  } catch (error) {
    inbox.close();
    throw error;
  }
  return closable(inbox, async function* (inbox) {
    let delivered = new Set(after?.delivered ?? []);
    let scan = Boolean(after);
    let carried: string[] = [];
    const cursor = (point: Point, keys: Set<string>) => encodeCursor({ kind, snapshot: point.snapshot, at: point.at, delivered: [...keys] });

    for (;;) {
      let upTo: Point | null = null;
      let ids: string[] = [];
      if (!scan) {
        const signals = await inbox.next();
        if (!signals) return;
        scan = signals.overflow || signals.resyncs.some((g) => g !== listeningSince);
        if (signals.batch) {
          upTo = signals.batch.point;
          const announced = signals.batch.events.flatMap((e) => (e.kind === kind && e.tenantId === tenantId ? e.ids : []));
          ids = [...new Set([...carried, ...announced])];
          scan ||= ids.length > MAX_IDS_PER_READ;
        }
        if (!scan && !ids.length) {
          if (upTo) base = laterPoint(base, upTo);
          continue;
        }
      }
      const notYet: string[] = [];
      let readSnapshot: [string, Snapshot] | null = null;
      const xidOf = (v: Version, p: ReadPoint) => {
        if (readSnapshot?.[0] !== p.snapshot) readSnapshot = [p.snapshot, parseSnapshot(p.snapshot)!];
        return fullXid(v.xmin, readSnapshot[1]);
      };
      const isNews = (v: Version, p: ReadPoint): boolean => {
        const xid = xidOf(v, p);
        if (isVisible(xid, base.snapshot) || delivered.has(keyOf(v, xid))) return false;
        if (scan) return reportsOnScan(v, base);
        if (isVisible(xid, upTo!.snapshot)) return true;
        notYet.push(v.id);
        return false;
      };
      const result = await read(scan ? { newerThanXmin32: base.snapshot.xmin % 2n ** 32n } : { ids }, isNews);
      // A scan saw everything committed before its own snapshot; a batch, everything before its mark's.
      const next = scan ? laterPoint(base, toPoint(result.point)) : laterPoint(base, upTo!);
      for (const [i, { version, value }] of result.items.entries()) {
        delivered.add(keyOf(version, xidOf(version, result.point)));
        yield { cursor: i === result.items.length - 1 ? cursor(next, new Set()) : cursor(base, delivered), item: value };
      }
      // Everything delivered is visible in `next` now; the versions not seen yet wait for a later mark.
      base = next;
      delivered = new Set();
      carried = notYet;
      scan = false;
      if (carried.length) hub.requestBatch();
    }
  });
}

/** traceUpdated: traces inserted or changed (status above all), as they are now, matching the filter. */
export function traceFeed(deps: FeedDeps, filter: { agentId?: string | undefined; status?: TraceStatus | undefined }, after?: FeedCursor) {
  return changeFeed<Trace>(
    deps,
    'traces',
    after,
    async (scope, isNews) => {
      const { point, items } = await deps.live.traceVersions(deps.tenantId, scope, filter, isNews);
      return { point, items: items.map((i) => ({ version: i.version, value: i.trace })) };
    },
    // A version of a trace: the same trace changed again is news again.
    (v, xid) => `${v.id}@${xid}`,
    () => true,
  );
}

/** incidentOpened: incidents, once each, in the order they were opened. */
export function incidentFeed(deps: FeedDeps, after?: FeedCursor) {
  return changeFeed<Incident>(
    deps,
    'incidents',
    after,
    async (scope, isNews) => {
      const { point, items } = await deps.live.incidentVersions(deps.tenantId, scope, isNews);
      return { point, items: items.map((i) => ({ version: i.version, value: i.incident })) };
    },
    (v) => v.id,
    // Acknowledging an incident rewrites its row; one created before the resume point and changed
    // since was delivered already (the only miss: one whose opening was still committing at that
    // very point and that was then acknowledged before the client came back).
    (v, base) => v.updatedAt === undefined || v.updatedAt.getTime() === v.createdAt.getTime() || v.createdAt >= base.at,
  );
}
