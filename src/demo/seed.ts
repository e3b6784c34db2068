// The embedded demo (DESIGN D4): a `demo` tenant with sample data, and a key printed at start.
// Only a hash of a key is stored, so an earlier key cannot be shown again: each start mints a new
// one and revokes the keys earlier starts printed. Sample data is written once, with the tenant.
import { isUniqueViolation } from '../errors.ts';
import type { Stores } from '../stores/index.ts';
import { seedSampleData } from './sample-data.ts';

export const DEMO_TENANT_ID = 'demo';
export const DEMO_KEY_NAME = 'demo (printed at start)';

export async function seedDemo(stores: Stores): Promise<{ tenantId: string; apiKey: string }> {
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
  for (const key of await stores.tenants.listKeys(DEMO_TENANT_ID)) {
    if (key.name === DEMO_KEY_NAME && key.revokedAt === null) await stores.tenants.revokeKey(key.keyId);
  }
  const { key } = await stores.tenants.createKey(DEMO_TENANT_ID, ['read', 'write', 'admin'], DEMO_KEY_NAME);
  return { tenantId: DEMO_TENANT_ID, apiKey: key };
}
