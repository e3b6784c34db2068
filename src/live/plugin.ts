// Puts the process's live-tail hub into every request's context, for the subscription resolvers
// (src/graphql/types/subscriptions.ts) without widening the context every other resolver sees.
import type { Plugin } from 'graphql-yoga';
import type { LiveHub } from './hub.ts';

export function livePlugin(hub: LiveHub): Plugin<{ live: LiveHub }> {
  return {
    onContextBuilding({ extendContext }) {
      extendContext({ live: hub });
    },
  };
}
