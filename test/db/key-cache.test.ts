// The in-process cache of verified API keys: it answers a key it verified within the TTL without the
// database, a revocation through this process takes effect at once, one by another process (here:
// an UPDATE behind the store's back) within the TTL, and keys that fail never enter it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyCache } from '../../src/stores/key-cache.ts';
import { createTenantStore } from '../../src/stores/tenants.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
}, 60_000);
afterAll(async () => env?.close());

const keyIdOf = (key: string) => key.split('_')[1]!;
/** Revokes as another process would: straight in the database, unseen by this process's stores. */
const revokeElsewhere = (key: string) => sql(env.db, `UPDATE api_keys SET revoked_at = now() WHERE key_id = $1`, [keyIdOf(key)]);
const viewer = `query { viewer { keyId } }`;

/** A tenant store with its own cache and a clock the test moves. */
function storeWithClock(maxEntries = 10) {
  const clock = { ms: 1_000_000 };
  return { clock, tenants: createTenantStore(env.db, { maxEntries, ttlMs: 5000, now: () => clock.ms }) };
}

describe('verified API keys cache', () => {
  it('refuses a key revoked through this process on the very next request', async () => {
    const { key, info } = await env.stores.tenants.createKey(env.a.tenantId, ['read'], 'revoked-here');
    expect((await gql(env.app, viewer, {}, key)).data).toEqual({ viewer: { keyId: info.keyId } });
    expect((await gql(env.app, viewer, {}, key)).data).toEqual({ viewer: { keyId: info.keyId } }); // now from the cache
    expect(await env.stores.tenants.revokeKey(info.keyId)).toBe(true);
    expect(codeOf(await gql(env.app, viewer, {}, key))).toBe('UNAUTHENTICATED');
  });

  it('revokes nothing when called without a key id (an undefined filter is no filter to Prisma)', async () => {
    const { key } = await env.stores.tenants.createKey(env.a.tenantId, ['read'], 'survives');
    expect(await env.stores.tenants.revokeKey(undefined as unknown as string)).toBe(false);
    expect(await env.stores.tenants.revokeKey('')).toBe(false);
    expect(await sql(env.db, `SELECT 1 FROM api_keys WHERE revoked_at IS NOT NULL AND key_id = $1`, [keyIdOf(key)])).toHaveLength(0);
    expect((await gql(env.app, viewer, {}, key)).data).toEqual({ viewer: { keyId: keyIdOf(key) } });
  });

  it('lists no keys and rotates none when called without a tenant or key id', async () => {
    const { key } = await env.stores.tenants.createKey(env.a.tenantId, ['read'], 'also-survives');
    const ended = () => sql(env.db, `SELECT key_id FROM api_keys WHERE revoked_at IS NOT NULL OR expires_at IS NOT NULL`);
    const before = await ended();
    expect(await env.stores.tenants.listKeys(undefined as unknown as string)).toEqual([]);
    await expect(env.stores.tenants.rotateKey(undefined as unknown as string, 0)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await ended()).toEqual(before);
    expect((await gql(env.app, viewer, {}, key)).data).toEqual({ viewer: { keyId: keyIdOf(key) } });
  });

  it("lists a tenant's keys oldest first, scopes as a list, without their secrets", async () => {
    await env.stores.tenants.create('listed', 'Listed');
    const first = await env.stores.tenants.createKey('listed', ['read', 'admin'], 'first');
    const second = await env.stores.tenants.createKey('listed', ['write'], 'second');
    const keys = await env.stores.tenants.listKeys('listed');
    expect(keys).toEqual([first.info, second.info]);
    expect(keys[0]).toEqual({
      keyId: keyIdOf(first.key),
      tenantId: 'listed',
      name: 'first',
      scopes: ['read', 'admin'],
      createdAt: expect.any(Date),
      revokedAt: null,
      expiresAt: null,
    });
  });

  it('sees a revocation by another process once the TTL has passed, not before', async () => {
    const { clock, tenants } = storeWithClock();
    const { key } = await tenants.createKey(env.a.tenantId, ['read'], 'revoked-elsewhere');
    expect(await tenants.authenticate(key)).toMatchObject({ tenantId: env.a.tenantId });
    await revokeElsewhere(key);
    clock.ms += 4999;
    expect(await tenants.authenticate(key)).toMatchObject({ tenantId: env.a.tenantId }); // the cache answered
    clock.ms += 1;
    expect(await tenants.authenticate(key)).toBeNull();
    clock.ms += 60_000;
    expect(await tenants.authenticate(key)).toBeNull(); // and the refusal was not cached as a success
  });

  it('refuses a wrong secret for a cached key id without trusting the cache', async () => {
    const { tenants } = storeWithClock();
    const { key } = await tenants.createKey(env.a.tenantId, ['read'], 'wrong-secret');
    expect(await tenants.authenticate(key)).not.toBeNull();
    const forged = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(await tenants.authenticate(forged)).toBeNull();
    expect(await tenants.authenticate(key)).not.toBeNull();
  });

  it('keeps no unknown, forged or revoked key, so they cannot push verified ones out', async () => {
    const { tenants } = storeWithClock(1);
    const { key } = await tenants.createKey(env.a.tenantId, ['read'], 'only-entry');
    const { key: revoked, info } = await tenants.createKey(env.a.tenantId, ['read'], 'revoked');
    await tenants.revokeKey(info.keyId);
    expect(await tenants.authenticate(key)).not.toBeNull();
    for (let i = 0; i < 20; i++) expect(await tenants.authenticate(`aos_${String(i).padStart(12, 'X')}_${'S'.repeat(40)}`)).toBeNull();
    expect(await tenants.authenticate(revoked)).toBeNull();
    expect(await tenants.authenticate('not a key')).toBeNull();
    // Still the one entry: revoked behind the store's back, the key is still answered from memory.
    await revokeElsewhere(key);
    expect(await tenants.authenticate(key)).not.toBeNull();
  });

  it('hands out copies: changing a returned principal does not change the next one', async () => {
    const { tenants } = storeWithClock();
    const { key } = await tenants.createKey(env.a.tenantId, ['read'], 'copies');
    (await tenants.authenticate(key))!.scopes.push('admin');
    expect((await tenants.authenticate(key))!.scopes).toEqual(['read']);
  });
});

describe('key cache', () => {
  const hash = (s: string) => createHash('sha256').update(s).digest();
  const principal = (keyId: string) => ({ tenantId: 't', keyId, scopes: ['read' as const] });

  it('evicts the least recently used entry past its size', () => {
    const cache = createKeyCache({ maxEntries: 2, ttlMs: 1000, now: () => 0 });
    cache.set('a', hash('a'), principal('a'), cache.epoch);
    cache.set('b', hash('b'), principal('b'), cache.epoch);
    expect(cache.get('a', hash('a'))).not.toBeUndefined(); // a is now the most recently used
    cache.set('c', hash('c'), principal('c'), cache.epoch);
    expect(cache.size).toBe(2);
    expect(cache.get('b', hash('b'))).toBeUndefined();
    expect(cache.get('a', hash('a'))).toEqual(principal('a'));
    expect(cache.get('c', hash('c'))).toEqual(principal('c'));
  });

  it('drops an entry at its TTL, counted from verification and not extended by use', () => {
    const clock = { ms: 0 };
    const cache = createKeyCache({ maxEntries: 10, ttlMs: 1000, now: () => clock.ms });
    cache.set('a', hash('a'), principal('a'), cache.epoch);
    clock.ms = 999;
    expect(cache.get('a', hash('a'))).toEqual(principal('a'));
    clock.ms = 1000;
    expect(cache.get('a', hash('a'))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not keep a verification that began before a revocation', () => {
    const cache = createKeyCache({ maxEntries: 10, ttlMs: 1000, now: () => 0 });
    const epoch = cache.epoch; // a lookup starts, reads the key as valid…
    cache.revoke('a'); // …the key is revoked meanwhile…
    cache.set('a', hash('a'), principal('a'), epoch); // …and the lookup's result arrives
    expect(cache.get('a', hash('a'))).toBeUndefined();
  });

  it('keeps nothing with a size or TTL of 0', () => {
    for (const options of [{ maxEntries: 0, ttlMs: 1000 }, { maxEntries: 10, ttlMs: 0 }]) {
      const cache = createKeyCache(options);
      cache.set('a', hash('a'), principal('a'), cache.epoch);
      expect(cache.get('a', hash('a'))).toBeUndefined();
    }
  });
});
