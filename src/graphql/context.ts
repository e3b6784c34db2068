// The per-request context: who is calling (from the API key), for which tenant, and the loaders.
import type { YogaInitialContext } from 'graphql-yoga';
import { unauthenticated } from '../errors.ts';
import type { Stores } from '../stores/index.ts';
import type { Principal } from '../stores/tenants.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export interface Context {
  principal: Principal;
  tenantId: string;
  stores: Stores;
  loaders: Loaders;
}

export function contextFactory(stores: Stores) {
  return async ({ request }: YogaInitialContext): Promise<Context> => {
    const header = request.headers.get('authorization');
    if (!header) throw unauthenticated('missing Authorization header: send "Authorization: Bearer <api key>"');
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) {
      const scheme = /^(\S+)\s+\S/.exec(header.trim())?.[1];
      throw unauthenticated(
        scheme
          ? `unsupported Authorization scheme "${scheme.slice(0, 20)}": send "Authorization: Bearer <api key>"`
          : 'the Authorization header lacks the scheme: send "Authorization: Bearer <api key>"',
      );
    }
    const principal = await stores.tenants.authenticate(match[1]!);
    if (!principal) throw unauthenticated('invalid or revoked API key');
    return { principal, tenantId: principal.tenantId, stores, loaders: createLoaders(stores, principal.tenantId) };
  };
}
