import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql must load once: yoga imports its CJS build, our files its ESM build, and two copies
  // break `instanceof GraphQLError`, which masks every typed error as INTERNAL_SERVER_ERROR.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The browser tests (test/ui/) drive the built explorer: build it first when ui/ changed.
    // After the run, every statement the stores sent must name its tenant (Citus readiness).
    globalSetup: ['test/ui/build-ui.ts', 'test/statements/audit.ts'],
  },
});
