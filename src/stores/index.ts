// All stores over one database handle. Stores own every line of SQL; resolvers never touch Prisma.
import type { Db } from '../db/client.ts';
import { createTenantStore } from './tenants.ts';
import { createTraceStore } from './traces.ts';

export function createStores(db: Db) {
  return {
    tenants: createTenantStore(db),
    traces: createTraceStore(db),
  };
}

export type Stores = ReturnType<typeof createStores>;
