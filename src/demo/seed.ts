// The embedded demo (DESIGN D4): a `demo` tenant with sample data, and a key printed at start.
// Only a hash of a key is stored in the database, so to print the same key at every start the
// secret is kept in the data folder (`keyFile`, readable by its owner only) and reused for as long
// as it authenticates; once revoked, the next start mints a new one. Without a key file (demo data
// on PostgreSQL) each start mints a new key and revokes the ones earlier starts printed.
// Sample data is written once, with the tenant.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { isUniqueViolation } from '../errors.ts';
import type { Stores } from '../stores/index.ts';
import { seedSampleData } from './sample-data.ts';

export const DEMO_TENANT_ID = 'demo';
export const DEMO_KEY_NAME = 'demo (printed at start)';

export type DemoKey = { tenantId: string; apiKey: string; reused: boolean };

export async function seedDemo(stores: Stores, { keyFile }: { keyFile?: string } = {}): Promise<DemoKey> {
  const [existing] = await stores.tenants.byIds([DEMO_TENANT_ID]);
  if (!existing) {
    const created = await stores.tenants.create(DEMO_TENANT_ID, 'Demo tenant').then(
      () => true,
      (error: unknown) => {
        // Another process seeding at the same moment created it: that is what we wanted.
        if (!(isUniqueViolation(error) || (error as { code?: string }).code === 'CONFLICT')) throw error;
        return false;
      },
    );
    if (created) await seedSampleData(stores, DEMO_TENANT_ID);
  }
  if (keyFile) {
    const kept = (await readFile(keyFile, 'utf8').catch(() => '')).trim();
    const principal = kept ? await stores.tenants.authenticate(kept) : null;
    if (principal?.tenantId === DEMO_TENANT_ID) return { tenantId: DEMO_TENANT_ID, apiKey: kept, reused: true };
  }
  for (const key of await stores.tenants.listKeys(DEMO_TENANT_ID)) {
    if (key.name === DEMO_KEY_NAME && key.revokedAt === null) await stores.tenants.revokeKey(key.keyId);
  }
  const { key } = await stores.tenants.createKey(DEMO_TENANT_ID, ['read', 'write', 'admin'], DEMO_KEY_NAME);
  if (keyFile) {
    await writeFile(keyFile, `${key}\n`, { mode: 0o600 });
    await chmod(keyFile, 0o600); // `mode` applies only when the file is created
  }
  return { tenantId: DEMO_TENANT_ID, apiKey: key, reused: false };
}
