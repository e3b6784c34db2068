// Verified API keys, kept for a few seconds so that a request does not pay a database round trip
// to authenticate a key this process checked a moment ago (1.7–2.5 ms each before; BENCHMARKS.md).
//
// Only keys that verified are kept, so unknown or forged keys cannot fill it. An entry holds the
// SHA-256 of the secret, never the secret, and lives `ttlMs` from its verification whatever its
// use: a key revoked by another process stops working here at once when the revocation is
// announced (live/key-revocations.ts), within the TTL otherwise. Revoking through this process drops the entry at once, and a verification that was already under way when the key was
// revoked is not kept (`epoch`). Least recently used entries go first past `maxEntries`.
import { timingSafeEqual } from 'node:crypto';
import type { Principal } from './tenants.ts';

export interface KeyCacheOptions {
  /** 0 turns the cache off. */
  maxEntries: number;
  /** 0 turns the cache off. */
  ttlMs: number;
  /** The clock, for tests. */
  now?: () => number;
}

export const DEFAULT_KEY_CACHE: KeyCacheOptions = { maxEntries: 1000, ttlMs: 5000 };

type Entry = { secretHash: Buffer; principal: Principal; expiresAt: number };

export function createKeyCache({ maxEntries, ttlMs, now = Date.now }: KeyCacheOptions) {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry>();
  const enabled = maxEntries > 0 && ttlMs > 0;
  let revocations = 0;
  return {
    /** Read before looking a key up in the database, and handed back to `set`. */
    get epoch() {
      return revocations;
    },

    /**
     * The principal when this key id was verified within the TTL; null when the cached secret
     * differs (a key id has one secret for life); undefined when the database must answer.
     */
    get(keyId: string, secretHash: Buffer): Principal | null | undefined {
      const entry = entries.get(keyId);
      if (!entry) return undefined;
      entries.delete(keyId);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(keyId, entry);
      // A copy: a caller changing its principal must not change the next request's.
      return timingSafeEqual(entry.secretHash, secretHash) ? { ...entry.principal, scopes: [...entry.principal.scopes] } : null;
    },

    /**
     * Keeps a key that just verified, unless a key was revoked since the lookup began at `epoch`;
     * never past the key's own expiry (`keyExpiresAt`, a rotated key's grace period).
     */
    set(keyId: string, secretHash: Buffer, principal: Principal, epoch: number, keyExpiresAt?: number): void {
      if (!enabled || epoch !== revocations) return;
      entries.delete(keyId);
      entries.set(keyId, { secretHash, principal, expiresAt: Math.min(now() + ttlMs, keyExpiresAt ?? Infinity) });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },

    /** Forgets a revoked key, and any verification of it still under way. */
    revoke(keyId: string): void {
      revocations++;
      entries.delete(keyId);
    },

    /** Forgets every key (revocations may have been missed), and any verification under way. */
    clear(): void {
      revocations++;
      entries.clear();
    },

    get size() {
      return entries.size;
    },
  };
}

export type KeyCache = ReturnType<typeof createKeyCache>;
