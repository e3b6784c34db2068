// Tenants and their API keys (DESIGN D4). A key reads `aos_<keyId>_<secret>`: the key id finds
// the row, and only a SHA-256 of the secret is stored, so a database leak discloses no usable key.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { badInput, conflict, isUniqueViolation, notFound } from '../errors.ts';
import { createKeyCache, DEFAULT_KEY_CACHE, type KeyCacheOptions } from './key-cache.ts';

export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}

/** Who is calling: one tenant, the scopes of the key, never the secret. */
export interface Principal {
  tenantId: string;
  keyId: string;
  scopes: Scope[];
}

export interface ApiKeyInfo {
  keyId: string;
  tenantId: string;
  name: string;
  scopes: Scope[];
  createdAt: Date;
  revokedAt: Date | null;
  /** Set by a rotation: the key is refused from then on. */
  expiresAt: Date | null;
}

/** The LISTEN channel's message telling every process that a key was revoked (see live/key-revocations.ts). */
export const KEY_REVOKED = 'key_revoked';
const NOTIFY_REVOKED_SQL = `SELECT pg_notify('aos_events', json_build_object('k', '${KEY_REVOKED}', 'key', $1::text)::text)`;

const KEY_PATTERN = /^aos_([A-Za-z0-9]{12})_([A-Za-z0-9]{40})$/;
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  // 248 = 4 × 62: rejecting bytes above it keeps every character equally likely.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
  }
  return out;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Tenant columns under their domain names. */
const TENANT_SELECT = 'id, name, created_at AS "createdAt"';

/** Key columns under their domain names, the secret's hash left out (scopes as text: the driver cannot decode an enum array). */
const KEY_SELECT = `key_id AS "keyId", tenant_id AS "tenantId", name, scopes::text[] AS scopes, created_at AS "createdAt",
  revoked_at AS "revokedAt", expires_at AS "expiresAt"`;

export function createTenantStore(db: Db, keyCacheOptions: KeyCacheOptions = DEFAULT_KEY_CACHE) {
  // Tenants and keys are the operator's and the authenticator's business: across tenants, as owner.
  const owner = <T>(text: string, values: readonly unknown[] = []) => db.withSession((session) => session.query<T>(text, values));
  const verified = createKeyCache(keyCacheOptions);
  const keyById = async (keyId: string) => (await owner<ApiKeyInfo>(`SELECT ${KEY_SELECT} FROM api_keys WHERE key_id = $1`, [keyId]))[0];
  return {
    async create(id: string, name: string): Promise<Tenant> {
      if (!TENANT_ID.test(id)) throw badInput('tenant id: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit', 'tenant');
      try {
        const [tenant] = await owner<Tenant>(`INSERT INTO tenants (id, name) VALUES ($1, $2) RETURNING ${TENANT_SELECT}`, [id, name]);
        return tenant!;
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`tenant ${id} already exists`);
        throw error;
      }
    },

    async byIds(ids: readonly string[]): Promise<(Tenant | null)[]> {
      const rows = await owner<Tenant>(`SELECT ${TENANT_SELECT} FROM tenants WHERE id = ANY($1::text[])`, [[...ids]]);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    },

    /** Whether any tenant exists (serve's first-start hint; at start on PostgreSQL, the only query). */
    async any(): Promise<boolean> {
      const [row] = await owner<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM tenants) AS found');
      return row?.found === true;
    },

    async list(): Promise<Tenant[]> {
      return owner<Tenant>(`SELECT ${TENANT_SELECT} FROM tenants ORDER BY id`);
    },

    /** Creates a key and returns its plaintext, which is never stored and cannot be shown again. */
    async createKey(tenantId: string, scopes: Scope[], name: string): Promise<{ key: string; info: ApiKeyInfo }> {
      if (scopes.length === 0 || scopes.some((s) => !SCOPES.includes(s))) throw badInput(`scopes: one or more of ${SCOPES.join(', ')}`, 'scopes');
      const [tenant] = await owner<{ id: string }>('SELECT id FROM tenants WHERE id = $1', [tenantId]);
      if (!tenant) throw notFound(`tenant ${tenantId}`);
      const keyId = randomToken(12);
      const secret = randomToken(40);
      const [info] = await owner<ApiKeyInfo>(
        `INSERT INTO api_keys (tenant_id, key_id, secret_hash, scopes, name) VALUES ($1, $2, $3, $4::text[]::"ApiScope"[], $5)
         RETURNING ${KEY_SELECT}`,
        [tenantId, keyId, hashSecret(secret), [...new Set(scopes)], name],
      );
      return { key: `aos_${keyId}_${secret}`, info: info! };
    },

    async listKeys(tenantId: string): Promise<ApiKeyInfo[]> {
      return owner<ApiKeyInfo>(`SELECT ${KEY_SELECT} FROM api_keys WHERE tenant_id = $1 ORDER BY created_at`, [tenantId]);
    },

    /**
     * Revokes a key at once; returns false when the key id is unknown. Every server process
     * listening on the database drops the key from its cache at once (a NOTIFY on the LISTEN
     * channel, committed with the update).
     */
    async revokeKey(keyId: string): Promise<boolean> {
      // A caller passing no key id (a JavaScript caller, a missing field) must never reach the
      // UPDATE: under an ORM that reads an undefined filter as no filter, it once revoked every
      // key of every tenant. Refused here whatever the statement below would make of it.
      if (typeof keyId !== 'string' || !/^[A-Za-z0-9]{12}$/.test(keyId)) return false;
      try {
        return await db.transaction(
          async (tx) => {
            const revoked = await tx.query('UPDATE api_keys SET revoked_at = $2 WHERE key_id = $1 AND revoked_at IS NULL RETURNING key_id', [keyId, new Date()]);
            await tx.query(NOTIFY_REVOKED_SQL, [keyId]);
            return revoked.length > 0;
          },
          { admin: true },
        );
      } finally {
        // After the update: a lookup that read the row before it committed is not kept either.
        verified.revoke(keyId);
      }
    },

    /**
     * A new key with the same tenant and scopes; the old one stays valid for `graceSeconds` (its
     * expires_at), then is refused. With 0 the old key is revoked at once.
     */
    async rotateKey(keyId: string, graceSeconds: number): Promise<{ key: string; info: ApiKeyInfo; old: ApiKeyInfo }> {
      if (!Number.isInteger(graceSeconds) || graceSeconds < 0) throw badInput('grace: a whole number of seconds, 0 or more', 'grace');
      const old = await keyById(keyId);
      if (!old || old.revokedAt || (old.expiresAt && old.expiresAt <= new Date())) throw notFound(`active key ${keyId}`);
      const created = await this.createKey(old.tenantId, old.scopes, `${old.name} (rotated from ${keyId})`.slice(0, 200));
      if (graceSeconds === 0) {
        await this.revokeKey(keyId);
      } else {
        await owner('UPDATE api_keys SET expires_at = $2 WHERE key_id = $1', [keyId, new Date(Date.now() + graceSeconds * 1000)]);
      }
      const updated = await keyById(keyId);
      if (!updated) throw notFound(`key ${keyId}`);
      return { ...created, old: updated };
    },

    /** Drops a key from this process's cache (another process revoked it: live/key-revocations.ts). */
    forgetKey(keyId: string): void {
      verified.revoke(keyId);
    },

    /** Drops every cached key (revocations may have been missed while not listening). */
    forgetAllKeys(): void {
      verified.clear();
    },

    /**
     * The principal for a presented key, or null for anything malformed, unknown or revoked. Keys
     * verified in the last few seconds are answered from memory (see key-cache.ts: a revocation by
     * another process takes effect here within that TTL).
     */
    async authenticate(presented: string): Promise<Principal | null> {
      const match = KEY_PATTERN.exec(presented);
      if (!match) return null;
      const [, keyId, secret] = match as unknown as [string, string, string];
      const actual = Buffer.from(hashSecret(secret), 'hex');
      const cached = verified.get(keyId, actual);
      if (cached !== undefined) return cached;
      const epoch = verified.epoch;
      // On the owner connection: every request that misses the cache comes here, before any tenant is known.
      const [row] = await owner<{ tenantId: string; keyId: string; scopes: Scope[]; secretHash: string; revokedAt: Date | null; expiresAt: Date | null }>(
        `SELECT tenant_id AS "tenantId", key_id AS "keyId", scopes::text[] AS scopes, secret_hash AS "secretHash",
                revoked_at AS "revokedAt", expires_at AS "expiresAt"
         FROM api_keys WHERE key_id = $1`,
        [keyId],
      );
      if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
      if (!timingSafeEqual(Buffer.from(row.secretHash, 'hex'), actual)) return null;
      const principal = { tenantId: row.tenantId, keyId: row.keyId, scopes: row.scopes };
      verified.set(keyId, actual, principal, epoch, row.expiresAt?.getTime());
      return { ...principal, scopes: [...principal.scopes] };
    },
  };
}

export type TenantStore = ReturnType<typeof createTenantStore>;
