// Read replicas (DATABASE_REPLICA_URLS, DESIGN D13): streaming standbys that serve the reads of
// GraphQL queries. Each is probed every second; one that does not answer, is not in recovery, or
// replays more than REPLICA_MAX_LAG_MS behind the primary is skipped, and its reads go to the
// primary. Read-your-writes: a mutation's answer carries a consistency token (a primary WAL
// position); a read sending it back is served by a replica that has replayed that far, or by the
// primary when none has within REPLICA_CONSISTENCY_WAIT_MS.
import type pg from 'pg';
import { isDatabaseUnavailable, pgErrorCode } from '../errors.ts';
import { openPool, tenantPools, type TenantPools } from './pools.ts';

export type ReplicaOptions = {
  urls: readonly string[];
  /** A replica whose replay lags the primary by more than this is skipped. */
  maxLagMs: number;
  /** How long a read with a consistency token waits for a replica to replay it (then: the primary). */
  consistencyWaitMs: number;
  /** Between health probes (1 s; tests go faster). */
  probeIntervalMs?: number;
};

export type ReplicaState = 'unknown' | 'up' | 'lagging' | 'down';

export type ReplicaStatus = {
  /** host:port/database (never the user or password). */
  name: string;
  /** unknown until the first probe; only `up` replicas serve reads. */
  state: ReplicaState;
  /** Behind the primary at the last probe, in seconds and in WAL bytes (null: not known). */
  lagSeconds: number | null;
  lagBytes: number | null;
  /** Reads (GraphQL queries) this process sent to it. */
  reads: number;
  reason?: string;
};

/** One replica as the read scope of `db.query` carries it. */
export type Replica = {
  readonly name: string;
  readonly pools: TenantPools<{ pool: pg.Pool }>;
  /** False once it failed a statement or a probe: `db.query` then goes to the primary. */
  usable(): boolean;
};

export type ReplicaSet = {
  /**
   * The replica a read should use: an `up` one (in turn), and with `after` (a consistency token)
   * one that has replayed that WAL position, waiting up to the configured bound. Null: the primary.
   */
  pick(after?: bigint): Promise<Replica | null>;
  /**
   * Whether a statement that failed on `replica` should run again on the primary: the replica is
   * gone (it is then skipped until a probe finds it again), refuses a write, or cancelled the
   * statement for a recovery conflict. Never the caller's own mistake.
   */
  retryOnPrimary(replica: Replica, error: unknown): boolean;
  /** The primary's WAL position now: taken after a mutation committed, it covers its writes. */
  consistencyToken(): Promise<string>;
  /** Probes every replica now (the timer does this every second). */
  probe(): Promise<void>;
  status(): ReplicaStatus[];
  /** Reads this process served from the primary because no replica qualified. */
  primaryReads(): number;
  /** Connections across the replicas' pools. */
  pools(): pg.Pool[];
  close(): Promise<void>;
};

/** WAL positions as Postgres prints them: two hex halves, "16/B374D848". */
const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** The position of a consistency token or an LSN text; undefined when it is not one. */
export function parseLsn(text: string): bigint | undefined {
  const match = LSN.exec(text.trim());
  return match ? (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`) : undefined;
}

const PROBE_TIMEOUT_MS = 2_000;
/** Between replay checks while a read waits for its token. */
const REPLAY_POLL_MS = 10;
/** Statement failures that belong to the replica, not to the statement (see retryOnPrimary). */
const READ_ONLY_TRANSACTION = '25006';
const RECOVERY_CONFLICT = '40001';
/** pg-pool's words when no connection opened within connectionTimeoutMillis. */
const CONNECT_TIMEOUT = /timeout exceeded when trying to connect|connection timeout/i;

type Member = Replica & {
  status: ReplicaStatus;
  probePool: pg.Pool;
  /** Its replay position as last seen (probe or token wait). */
  replayed: bigint | null;
  replayCheck: Promise<void> | undefined;
};

export function createReplicaSet(primary: pg.Pool, max: number, options: ReplicaOptions): ReplicaSet {
  const members: Member[] = options.urls.map((url) => {
    const member: Member = {
      name: replicaName(url),
      // Same construction as the primary's tenant pools: role aos_app and the tenant setting. A
      // connection that does not open in time counts as the replica gone (then: the primary).
      pools: tenantPools((settings) => openPool(url, max, settings, { connectionTimeoutMillis: PROBE_TIMEOUT_MS }), (pool) => ({ pool })),
      // Owner connections for the probes; a replica that hangs is reported, not waited for.
      probePool: openPool(url, 2, '', { connectionTimeoutMillis: PROBE_TIMEOUT_MS, query_timeout: PROBE_TIMEOUT_MS }),
      usable: () => member.status.state === 'up',
      status: { name: replicaName(url), state: 'unknown', lagSeconds: null, lagBytes: null, reads: 0 },
      replayed: null,
      replayCheck: undefined,
    };
    return member;
  });
  let primaryReads = 0;
  let turn = 0;

  const markDown = (member: Member, error: unknown) => {
    member.status = { ...member.status, state: 'down', lagSeconds: null, lagBytes: null, reason: firstLine(error) };
    member.replayed = null;
  };

  const probeOne = async (member: Member, primaryLsn: bigint) => {
    try {
      const [row] = (
        await member.probePool.query<{ recovery: boolean; replay: string | null; age: number | null }>(
          `SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS replay,
                  extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age`,
        )
      ).rows;
      const replay = row?.replay ? parseLsn(row.replay) : undefined;
      if (!row?.recovery || replay === undefined) {
        const reason = row?.recovery ? 'has replayed no WAL yet' : 'not in recovery: not a standby (promoted?)';
        member.status = { ...member.status, state: 'down', lagSeconds: null, lagBytes: null, reason };
        member.replayed = null;
        return;
      }
      member.replayed = replay;
      // An idle primary writes no transactions, so the age of the last replayed one says nothing
      // about lag: a replica that has replayed everything the primary had is not behind at all.
      const caughtUp = replay >= primaryLsn;
      const lagSeconds = caughtUp ? 0 : row.age === null ? null : Math.max(0, row.age);
      const lagBytes = caughtUp ? 0 : Number(primaryLsn - replay);
      const lagging = lagSeconds === null || lagSeconds * 1000 > options.maxLagMs;
      member.status = {
        name: member.name,
        state: lagging ? 'lagging' : 'up',
        lagSeconds,
        lagBytes,
        reads: member.status.reads,
        ...(lagging ? { reason: `replay lags more than REPLICA_MAX_LAG_MS (${options.maxLagMs} ms)` } : {}),
      };
    } catch (error) {
      markDown(member, error);
    }
  };

  let probing: Promise<void> | undefined;
  const probe = () =>
    (probing ??= (async () => {
      try {
        // The primary first: a replica that has replayed up to it afterwards is caught up.
        const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
        const primaryLsn = parseLsn(rows[0]!.lsn)!;
        await Promise.all(members.map((member) => probeOne(member, primaryLsn)));
      } catch {
        // The primary is not answering: /ready and /health say so; the replicas keep their state.
      } finally {
        probing = undefined;
      }
    })());

  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => void probe().then(schedule), options.probeIntervalMs ?? 1_000);
    timer.unref();
  };
  void probe().then(schedule);

  /** Reads the replay position of `member` again (one check in flight per replica). */
  const checkReplay = (member: Member) =>
    (member.replayCheck ??= member.probePool
      .query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')
      .then(
        ({ rows }) => void (member.replayed = rows[0]?.lsn ? (parseLsn(rows[0].lsn) ?? null) : null),
        (error: unknown) => markDown(member, error),
      )
      .finally(() => (member.replayCheck = undefined)));

  const served = (member: Member | null) => {
    if (member) member.status.reads += 1;
    else primaryReads += 1;
    return member;
  };

  return {
    async pick(after) {
      const inTurn = () => {
        const up = members.filter((m) => m.usable());
        turn = (turn + 1) % Math.max(up.length, 1);
        return [...up.slice(turn), ...up.slice(0, turn)];
      };
      if (after === undefined) return served(inTurn()[0] ?? null);
      const deadline = performance.now() + options.consistencyWaitMs;
      for (;;) {
        const candidates = inTurn();
        const ready = candidates.find((m) => m.replayed !== null && m.replayed >= after);
        if (ready || !candidates.length) return served(ready ?? null);
        const left = deadline - performance.now();
        if (left <= 0) return served(null);
        await Promise.race([Promise.all(candidates.map(checkReplay)), sleep(left)]);
        const stillBehind = candidates.every((m) => m.replayed === null || m.replayed < after);
        if (stillBehind) await sleep(Math.min(REPLAY_POLL_MS, Math.max(0, deadline - performance.now())));
      }
    },
    retryOnPrimary(replica, error) {
      const code = pgErrorCode(error);
      if (code === READ_ONLY_TRANSACTION || code === RECOVERY_CONFLICT) return true;
      if (!isDatabaseUnavailable(error) && !CONNECT_TIMEOUT.test(String((error as Error)?.message))) return false;
      const member = replica as Member;
      if (member.status.state === 'up') markDown(member, error);
      return true;
    },
    async consistencyToken() {
      // The insert position, not pg_current_wal_lsn() (the write position): under
      // synchronous_commit=off a commit returns before its record is written, so only the insert
      // position is sure to be past it. It can be a little ahead (others' WAL), never behind.
      const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      return rows[0]!.lsn;
    },
    probe,
    status: () => members.map((m) => ({ ...m.status })),
    primaryReads: () => primaryReads,
    pools: () => members.flatMap((m) => [m.probePool, ...[...m.pools.entries()].map((e) => e.pool)]),
    async close() {
      closed = true;
      clearTimeout(timer);
      await probing;
      for (const member of members) {
        await member.pools.close();
        await member.probePool.end();
      }
    },
  };
}

/** How a replica is named in /ready and /metrics: where it is, without credentials. */
function replicaName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
