// Fans the database's announcements out to this process's subscriptions, in batches that each
// come with a guarantee: every announcement of a transaction visible in the batch's snapshot has
// been received. Postgres delivers announcements in commit order, so after the hub sends a mark
// (an announcement carrying pg_current_snapshot()) and receives it back, everything committed
// before that snapshot was announced ahead of it. Subscriptions can then move their resume point
// to that snapshot without a gap. The connection opens with the first subscription, reconnects
// with backoff, and tells subscriptions to look again (resync) whenever announcements may have
// been lost: at every (re)connection.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { openListener, type Listener, type ListenTarget } from './listener.ts';
import { parseSnapshot, type Snapshot } from './snapshot.ts';

export type LiveEvent =
  | { kind: 'steps'; tenantId: string; traceId: string }
  | { kind: 'traces'; tenantId: string; ids: string[] }
  | { kind: 'incidents'; tenantId: string; ids: string[] };

/** A batch's snapshot and the database clock just after it was taken. */
export type Point = { snapshot: Snapshot; at: Date };

export type LiveSignal =
  | { type: 'batch'; point: Point; events: LiveEvent[] }
  /** Announcements may have been lost before listening (again) as `generation`: look again. */
  | { type: 'resync'; generation: number }
  /** The hub is closing (the server shuts down): end the subscription. */
  | { type: 'closing' };

export interface LiveHub {
  /** Starts listening if needed; `onSignal` gets every signal until the returned function is called. */
  subscribe(onSignal: (signal: LiveSignal) => void): () => void;
  /** Asks for another batch soon, events or not (a subscriber waits for a change to become visible). */
  requestBatch(): void;
  /** The listening connection's generation, or null while not listening. */
  listening(): number | null;
  /** As listening(), waiting up to `ms` for a connection being opened. */
  listeningWithin(ms: number): Promise<number | null>;
  stats(): { subscribers: number; connected: boolean; announcements: number; reconnects: number };
  /**
   * Delivers messages of kind `kind` (a JSON payload {"k": kind, …} on the channel) to
   * `onMessage` as they arrive, not in batches, and keeps listening until the returned function is
   * called; `onResync` runs whenever messages may have been missed (at every (re)connection).
   */
  watch(kind: string, onMessage: (message: Record<string, unknown>) => void, onResync: () => void): () => void;
  close(): Promise<void>;
}

export type LiveHubOptions = {
  target: ListenTarget;
  logger: Logger;
  /** How long the connection stays open after the last subscription ends (Infinity: for good). */
  lingerMs?: number;
};

const MAX_BACKOFF_MS = 30_000;
/** Announcements held while waiting for a mark, at most. */
const MAX_PENDING = 20_000;

export function createLiveHub({ target, logger, lingerMs = 10_000 }: LiveHubOptions): LiveHub {
  const log = logger.child({ component: 'live-tail' });
  const subscribers = new Set<(signal: LiveSignal) => void>();
  const hubTag = randomUUID();
  let listener: Listener | null = null;
  let connecting = false;
  let closed = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;
  let pending: LiveEvent[] = [];
  let markInFlight = false;
  let batchWanted = false;
  let announcements = 0;
  let reconnects = 0;
  let generation = 0;
  const waiters: (() => void)[] = [];
  const watchers = new Map<string, Set<(message: Record<string, unknown>) => void>>();

  const emit = (signal: LiveSignal) => {
    for (const onSignal of [...subscribers]) onSignal(signal);
  };

  function sendMark() {
    if (!listener || markInFlight) return;
    markInFlight = true;
    batchWanted = false;
    listener.mark(hubTag).catch((error: Error) => {
      markInFlight = false;
      log.warn({ err: error }, 'live tail: sending a mark failed');
    });
  }

  function onPayload(payload: string) {
    announcements++;
    let message: { k?: unknown; t?: unknown; trace?: unknown; ids?: unknown; s?: unknown; at?: unknown; tag?: unknown };
    try {
      message = JSON.parse(payload);
    } catch {
      return;
    }
    const watching = typeof message.k === 'string' ? watchers.get(message.k) : undefined;
    if (watching) {
      for (const onMessage of [...watching]) onMessage(message);
      return;
    }
    if (message.k === 'mark') {
      const snapshot = typeof message.s === 'string' ? parseSnapshot(message.s) : null;
      const at = typeof message.at === 'string' ? new Date(message.at) : null;
      if (message.tag === hubTag) markInFlight = false;
      if (!snapshot || !at || Number.isNaN(at.getTime())) return;
      // Any process's mark will do: the ordering guarantee holds for every listener.
      const events = pending;
      pending = [];
      if (events.length || batchWanted || message.tag === hubTag) emit({ type: 'batch', point: { snapshot, at }, events });
      if (pending.length || batchWanted) sendMark();
      return;
    }
    const tenantId = typeof message.t === 'string' ? message.t : null;
    if (!tenantId || !subscribers.size) return;
    if (pending.length >= MAX_PENDING) {
      // Marks are not coming back (a stalled connection?): drop the list, have everyone look again.
      pending = [];
      emit({ type: 'resync', generation: -1 });
    }
    if (message.k === 'steps' && typeof message.trace === 'string') pending.push({ kind: 'steps', tenantId, traceId: message.trace });
    else if ((message.k === 'traces' || message.k === 'incidents') && Array.isArray(message.ids)) {
      pending.push({ kind: message.k, tenantId, ids: message.ids.filter((id): id is string => typeof id === 'string') });
    } else return;
    sendMark();
  }

  function onLost(error: Error) {
    log.warn({ err: error }, 'live tail: listener connection lost');
    listener = null;
    markInFlight = false;
    pending = [];
    if (subscribers.size && !closed) scheduleConnect();
  }

  function scheduleConnect() {
    if (retryTimer || connecting || listener) return;
    const delay = attempt === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    retryTimer.unref();
  }

  async function connect() {
    if (closed || listener || connecting || !subscribers.size) return;
    connecting = true;
    try {
      const opened = await openListener(target, { onPayload, onLost });
      if (closed || !subscribers.size) {
        await opened.close();
        return;
      }
      listener = opened;
      if (attempt > 0) reconnects++;
      attempt = 0;
      generation++;
      for (const wake of waiters.splice(0)) wake();
      log.debug('live tail: listening');
      // Announcements made before LISTEN took effect were not received: subscriptions look again.
      emit({ type: 'resync', generation });
    } catch (error) {
      attempt++;
      log.warn({ err: error, attempt }, 'live tail: cannot listen; retrying');
    } finally {
      connecting = false;
    }
    if (!listener && !closed && subscribers.size) scheduleConnect();
  }

  async function disconnect() {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    const current = listener;
    listener = null;
    markInFlight = false;
    pending = [];
    attempt = 0;
    await current?.close();
  }

  const hub: LiveHub = {
    subscribe(onSignal) {
      if (closed) throw new Error('live tail hub is closed');
      subscribers.add(onSignal);
      clearTimeout(lingerTimer);
      lingerTimer = undefined;
      if (!listener) scheduleConnect();
      return () => {
        if (!subscribers.delete(onSignal) || subscribers.size) return;
        clearTimeout(lingerTimer);
        if (!Number.isFinite(lingerMs)) return;
        lingerTimer = setTimeout(() => {
          lingerTimer = undefined;
          if (!subscribers.size) void disconnect();
        }, lingerMs);
        lingerTimer.unref();
      };
    },
    requestBatch() {
      batchWanted = true;
      sendMark();
    },
    listening: () => (listener ? generation : null),
    async listeningWithin(ms) {
      if (!listener && !closed) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          timer = setTimeout(resolve, ms);
        });
        clearTimeout(timer);
      }
      return listener ? generation : null;
    },
    stats: () => ({ subscribers: subscribers.size, connected: listener !== null, announcements, reconnects }),
    watch(kind, onMessage, onResync) {
      const forKind = watchers.get(kind) ?? new Set();
      forKind.add(onMessage);
      watchers.set(kind, forKind);
      const unsubscribe = hub.subscribe((signal) => {
        if (signal.type === 'resync') onResync();
      });
      return () => {
        forKind.delete(onMessage);
        unsubscribe();
      };
    },
    async close() {
      closed = true;
      clearTimeout(lingerTimer);
      emit({ type: 'closing' });
      for (const wake of waiters.splice(0)) wake();
      subscribers.clear();
      await disconnect();
    },
  };
  return hub;
}
