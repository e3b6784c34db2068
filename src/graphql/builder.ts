// The one SchemaBuilder: plugins, scalars, nullability and the scope rules every field follows.
import SchemaBuilder, { brandWithType } from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { badInput, forbidden } from '../errors.ts';
import type { Context } from './context.ts';
import { CentsScalar, DateTimeScalar, Int64Scalar, JsonScalar } from './scalars.ts';
import { inputError } from './validators.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  AuthScopes: { read: boolean; write: boolean; admin: boolean };
  /** Every connection can count its whole list, lazily: the query runs only when totalCount is selected. */
  Connection: { totalCount: number | (() => Promise<number>) };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    Cents: { Input: bigint; Output: bigint };
    Int64: { Input: bigint; Output: bigint };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      read: ctx.principal.scopes.includes('read') || ctx.principal.scopes.includes('admin'),
      write: ctx.principal.scopes.includes('write') || ctx.principal.scopes.includes('admin'),
      admin: ctx.principal.scopes.includes('admin'),
    }),
    unauthorizedError: (_parent, _context, info, result) =>
      forbidden(`${info.parentType.name}.${info.fieldName} needs a key with scope ${missingScope(result.failure) ?? (info.parentType.name === 'Mutation' ? 'write' : 'read')}`),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: { nullable: true, resolve: async (_root, args, _ctx, _info, resolve) => brandAs(args.id, await resolve(args.id)) },
    // An unknown (or another tenant's) id is a null item, not an error for the whole list.
    nodesQueryOptions: {
      nullable: { list: false, items: true },
      resolve: async (_root, args, _ctx, _info, resolve) => {
        const nodes = await resolve(args.ids);
        return Promise.all(nodes.map(async (node, i) => brandAs(args.ids[i], await node)));
      },
    },
    decodeGlobalID: (globalID) => decodeGlobalId(globalID),
  },
  validation: {
    validationError: (failure) => inputError(failure.issues),
  },
});

/** The scope a failed check asked for; type-level rules (Query: read) fail as a group of one. */
function missingScope(failure: AuthFailure): string | undefined {
  if (failure.kind === AuthScopeFailureType.AuthScope) return failure.scope;
  if ('failures' in failure) return failure.failures.map(missingScope).find(Boolean);
  return undefined;
}

/**
 * The relay plugin brands a loaded node with its type (how the Node interface resolves it) only
 * after its own loading finished. A second lookup of the same id in the request (`node` and
 * `nodes` side by side, or two `nodes` items) is handed the first lookup's pending promise, and
 * the object it resolves to could reach the Node interface before that brand: graphql-jit then
 * answered "Runtime Object type is not a possible type for Node". Each node field therefore
 * brands what it returns itself, with the type its id names.
 */
function brandAs(id: { typename: string } | null | undefined, node: unknown): unknown {
  // The type config store takes a type name as well as a ref.
  if (id && node) brandWithType(node, id.typename as unknown as Parameters<typeof brandWithType>[1]);
  return node;
}

/** Relay global IDs are base64("Type:key"); anything else is a client error, not a server crash. */
function decodeGlobalId(globalID: string): { typename: string; id: string } {
  const text = /^[A-Za-z0-9+/=_-]{4,400}$/.test(globalID) ? Buffer.from(globalID, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon <= 0 || !/^[A-Za-z]+$/.test(text.slice(0, colon))) throw badInput(`malformed global ID ${JSON.stringify(globalID.slice(0, 100))}`, 'id');
  return { typename: text.slice(0, colon), id: text.slice(colon + 1) };
}

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'Items in the whole list under the same filter (not just this page). Computed only when selected.',
    resolve: (connection) => (typeof connection.totalCount === 'function' ? connection.totalCount() : connection.totalCount),
  }),
);

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('JSON', JsonScalar);
builder.addScalarType('Cents', CentsScalar);
builder.addScalarType('Int64', Int64Scalar);

// Every query needs a read key and every mutation a write key; admin fields ask for more.
builder.queryType({ authScopes: { read: true } });
builder.mutationType({ authScopes: { write: true } });

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
export type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** GraphQL gives null for an omitted optional input field; stores take undefined. */
export function compact<T extends object>(input: T): { [K in keyof T]: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== null && v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], null> };
}
