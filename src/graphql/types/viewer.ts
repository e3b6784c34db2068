// Viewer: who the API key belongs to and what it may do.
import type { Tenant } from '../../stores/tenants.ts';
import { builder } from '../builder.ts';

const ApiScopeEnum = builder.enumType('ApiScope', {
  values: { READ: { value: 'read' }, WRITE: { value: 'write' }, ADMIN: { value: 'admin' } } as const,
});

const TenantRef = builder.objectRef<Tenant>('Tenant').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ViewerRef = builder.objectRef<{ tenantId: string; keyId: string; scopes: ('read' | 'write' | 'admin')[] }>('Viewer').implement({
  fields: (t) => ({
    tenant: t.field({
      type: TenantRef,
      resolve: async (v, _args, ctx) => (await ctx.stores.tenants.byIds([v.tenantId]))[0]!,
    }),
    keyId: t.exposeString('keyId', { description: 'The public part of the API key in use.' }),
    scopes: t.field({ type: [ApiScopeEnum], resolve: (v) => v.scopes }),
  }),
});

builder.queryField('viewer', (t) => t.field({ type: ViewerRef, resolve: (_root, _args, ctx) => ctx.principal }));
