// Read replicas at the GraphQL layer (src/db/replicas.ts): a query operation's `db.query` reads run
// on a replica; mutations and subscriptions stay on the primary. After a mutation, the primary's
// WAL position goes back as a consistency token, in `extensions.consistencyToken` and the
// x-aos-consistency header; a query sending that header back is served by a replica that has
// replayed it (or by the primary), so an agent reads its own writes. Installed only when replicas
// are configured: without them no request pays for a token or a check.
import { getOperationAST } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { Db } from '../db/client.ts';
import { parseLsn } from '../db/replicas.ts';
import { badInput } from '../errors.ts';

export const CONSISTENCY_HEADER = 'x-aos-consistency';

export function replicaReadsPlugins(db: Db): Plugin[] {
  const replicas = db.replicas;
  if (!replicas) return [];
  const tokens = new WeakMap<Request, string>();
  return [
    {
      onExecute({ args, executeFn, setExecuteFn }) {
        const operation = getOperationAST(args.document, args.operationName ?? undefined)?.operation;
        const { request } = args.contextValue as YogaInitialContext;
        if (operation === 'query') {
          const sent = request.headers.get(CONSISTENCY_HEADER);
          const after = sent === null ? undefined : parseLsn(sent);
          if (sent !== null && after === undefined) {
            const error = badInput(`${CONSISTENCY_HEADER} must be a consistency token as a mutation returned it (like "0/16B3748"), got ${JSON.stringify(sent.slice(0, 40))}`);
            setExecuteFn(() => ({ errors: [error] }));
            return;
          }
          setExecuteFn((execution) => db.onReplica(async () => executeFn(execution), { after }));
        } else if (operation === 'mutation') {
          setExecuteFn(async (execution) => {
            const result = await executeFn(execution);
            if (Symbol.asyncIterator in result) return result;
            // Its writes are committed by now. Without a token (the primary did not answer) the
            // answer still goes out: the writes happened, and a later read just cannot ask for them.
            const token = await replicas.consistencyToken().catch(() => undefined);
            if (token === undefined) return result;
            tokens.set(request, token);
            return { ...result, extensions: { ...result.extensions, consistencyToken: token } };
          });
        }
      },
      onResponse({ request, response }) {
        const token = tokens.get(request);
        if (token !== undefined) response.headers.set(CONSISTENCY_HEADER, token);
      },
    },
  ];
}
