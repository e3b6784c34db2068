// Revocations reach every server process at once: revokeKey announces the key id on the LISTEN
// channel (in the revoking transaction), and each process drops it from its key cache as the
// announcement arrives, instead of answering it from memory for up to API_KEY_CACHE_TTL_SECONDS.
// While not listening (a broken connection), announcements can be missed: on every
// (re)connection the whole cache is dropped.
import { KEY_REVOKED, type TenantStore } from '../stores/tenants.ts';
import type { LiveHub } from './hub.ts';

/** Keeps this process listening for revocations; returns the function that stops it. */
export function dropRevokedKeys(live: LiveHub, tenants: TenantStore): () => void {
  return live.watch(
    KEY_REVOKED,
    (message) => {
      if (typeof message.key === 'string') tenants.forgetKey(message.key);
    },
    () => tenants.forgetAllKeys(),
  );
}
