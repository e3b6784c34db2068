// Where the per-key token buckets of the rate limit live (limits.ts leases tokens from them).
// PostgreSQL: one row per key in rate_limit_buckets, shared by every server process of the
// deployment (several workers, several instances behind a load balancer), taken from with one
// statement per lease. The embedded database runs one process, so its buckets live in memory.
import type { Logger } from 'pino';
import type { Db } from './db/client.ts';

export type Lease = {
  /** Tokens handed out (0 to `want`). */
  granted: number;
  /** Tokens left in the bucket after this lease (fractional). */
  left: number;
};

export interface TokenBuckets {
  /** Tokens a process takes at a time (and the most it can hold unspent). */
  readonly leaseSize: number;
  /**
   * Takes up to `want` whole tokens from the key's bucket, which holds at most `perMinute` tokens
   * and refills by `perMinute` a minute. Synchronous where the buckets are in memory.
   */
  take(keyId: string, want: number): Lease | Promise<Lease>;
}

export function memoryBuckets(perMinute: number, now: () => number = Date.now): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = perMinute / 60_000;
  return {
    // One process holds the buckets themselves: a token at a time is exact and costs nothing.
    leaseSize: 1,
    take(keyId, want) {
      const t = now();
      const bucket = buckets.get(keyId) ?? { tokens: perMinute, at: t };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * ratePerMs);
      bucket.at = t;
      const granted = Math.max(0, Math.min(want, Math.floor(bucket.tokens)));
      bucket.tokens -= granted;
      buckets.set(keyId, bucket);
      return { granted, left: bucket.tokens };
    },
  };
}

// The refilled level of an existing row, then the lease from it, in one statement: concurrent
// leases of one key serialise on its row lock. A key id that is not in api_keys gets no row (the
// header is not verified yet; authentication refuses it a moment later), so made-up key ids
// cannot fill the table.
const REFILLED = `LEAST($3::float8, b.tokens + EXTRACT(EPOCH FROM now() - b.refilled_at)::float8 * $3::float8 / 60)`;
const GRANT = `GREATEST(0, LEAST($2::int, floor(${REFILLED})))::int`;
const TAKE_SQL = `
  INSERT INTO rate_limit_buckets AS b (key_id, tokens, granted, refilled_at)
  SELECT $1::varchar, $3::float8 - LEAST($2::int, floor($3::float8)), LEAST($2::int, floor($3::float8))::int, now()
  WHERE EXISTS (SELECT 1 FROM api_keys WHERE key_id = $1::varchar)
  ON CONFLICT (key_id) DO UPDATE SET granted = ${GRANT}, tokens = ${REFILLED} - ${GRANT}, refilled_at = now()
  RETURNING granted, tokens AS left`;

/**
 * Share of the limit a process leases at a time from the shared bucket: one statement per 1 % of
 * the limit (300 requests at the default 30000 a minute) instead of one per request. The price:
 * a burst can pass the limit by the leases that processes hold unspent, at most 1 % of the limit
 * per process (2 processes at 30000 a minute: 600 requests over, once).
 */
export const LEASE_FRACTION = 1 / 100;

export function postgresBuckets(db: Db, perMinute: number, logger: Logger): TokenBuckets {
  return {
    leaseSize: Math.max(1, Math.floor(perMinute * LEASE_FRACTION)),
    async take(keyId, want) {
      try {
        const [row] = await db.withSession((session) => session.query<Lease>(TAKE_SQL, [keyId, want, perMinute]));
        // No such key: let it through to authentication, which refuses it.
        return row ?? { granted: want, left: perMinute };
      } catch (error) {
        // A database that cannot answer must not turn into 429s: this one request goes on and
        // reports the database's state itself; the next one asks again.
        logger.warn({ err: error, keyId }, 'rate limit: cannot lease from the shared bucket; letting the request through');
        return { granted: 1, left: 0 };
      }
    },
  };
}
