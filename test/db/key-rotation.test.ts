// Key rotation and revocation broadcast (issue 11). rotateKey gives the new key the old one's
// tenant and scopes and the old one an expiry in the database (its grace period); a revocation is
// announced on the LISTEN channel so that every process drops the key from its cache at once,
// here two app instances (own stores, own caches, own hubs) on one database.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveHub, type LiveHub } from '../../src/live/hub.ts';
import { dropRevokedKeys } from '../../src/live/key-revocations.ts';
import { createApp, type App } from '../../src/server.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
}, 60_000);
afterAll(async () => env?.close());

const viewer = `query { viewer { keyId } }`;

describe('rotateKey', () => {
  it('creates a key with the same tenant and scopes, and stores the old key\'s expiry', async () => {
    const { key: oldKey, info: oldInfo } = await env.stores.tenants.createKey(env.a.tenantId, ['read', 'write'], 'to-rotate');
    const { key, info, old } = await env.stores.tenants.rotateKey(oldInfo.keyId, 600);
    expect(info).toMatchObject({ tenantId: env.a.tenantId, scopes: ['read', 'write'] });
    expect(info.keyId).not.toBe(oldInfo.keyId);
    expect(old.revokedAt).toBeNull();
    expect(old.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 590_000);
    const [row] = await sql<{ expires_at: Date | null }>(env.db, `SELECT expires_at FROM api_keys WHERE key_id = $1`, [oldInfo.keyId]);
    expect(row!.expires_at?.getTime()).toBe(old.expiresAt!.getTime());
    // Both work during the grace period.
    expect((await gql(env.app, viewer, {}, key)).data).toEqual({ viewer: { keyId: info.keyId } });
    expect((await gql(env.app, viewer, {}, oldKey)).data).toEqual({ viewer: { keyId: oldInfo.keyId } });
  });

  it('refuses the old key once its grace period is over, cache or not', async () => {
    const { key: oldKey, info: oldInfo } = await env.stores.tenants.createKey(env.a.tenantId, ['read'], 'expiring');
    await env.stores.tenants.rotateKey(oldInfo.keyId, 1);
    expect((await gql(env.app, viewer, {}, oldKey)).data).toEqual({ viewer: { keyId: oldInfo.keyId } }); // cached now
    await new Promise((r) => setTimeout(r, 1100));
    expect(codeOf(await gql(env.app, viewer, {}, oldKey))).toBe('UNAUTHENTICATED');
    // A fresh process (no cache) refuses it too, from the stored expiry.
    expect(await createStores(env.db).tenants.authenticate(oldKey)).toBeNull();
  });

  it('with a grace of 0 revokes the old key at once; a revoked or unknown key cannot be rotated', async () => {
    const { key: oldKey, info: oldInfo } = await env.stores.tenants.createKey(env.a.tenantId, ['read'], 'now');
    const { old } = await env.stores.tenants.rotateKey(oldInfo.keyId, 0);
    expect(old.revokedAt).not.toBeNull();
    expect(codeOf(await gql(env.app, viewer, {}, oldKey))).toBe('UNAUTHENTICATED');
    await expect(env.stores.tenants.rotateKey(oldInfo.keyId, 60)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(env.stores.tenants.rotateKey('nosuchkeyid0', 60)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(env.stores.tenants.rotateKey(oldInfo.keyId, -1)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('revocation broadcast', () => {
  type Instance = { stores: Stores; app: App; live: LiveHub };
  const instances: Instance[] = [];
  const instance = (): Instance => {
    const stores = createStores(env.db, { apiKeyCache: { maxEntries: 100, ttlMs: 3_600_000 } }); // would keep a key an hour
    const live = createLiveHub({ target: env.db.listenTarget, logger: pino({ level: 'silent' }) });
    dropRevokedKeys(live, stores.tenants);
    const made = { stores, live, app: createApp({ db: env.db, stores, logger: pino({ level: 'silent' }), live, metricsEnabled: false }) };
    instances.push(made);
    return made;
  };
  afterAll(async () => {
    for (const i of instances) await i.live.close();
  });

  it('a key revoked by one process is refused by another at once, not after its cache TTL', async () => {
    const [one, two] = [instance(), instance()];
    expect(await two.live.listeningWithin(5000)).not.toBeNull();
    const { key, info } = await one.stores.tenants.createKey(env.a.tenantId, ['read'], 'broadcast');
    expect((await gql(two.app, viewer, {}, key)).data).toEqual({ viewer: { keyId: info.keyId } });
    expect((await gql(two.app, viewer, {}, key)).data).toEqual({ viewer: { keyId: info.keyId } }); // from two's cache
    expect(await one.stores.tenants.revokeKey(info.keyId)).toBe(true);
    // The announcement travels through Postgres: wait for it, without a clock in the assertion.
    for (let i = 0; i < 100 && codeOf(await gql(two.app, viewer, {}, key)) !== 'UNAUTHENTICATED'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(codeOf(await gql(two.app, viewer, {}, key))).toBe('UNAUTHENTICATED');
  });
});
