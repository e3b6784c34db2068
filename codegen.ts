// Typed documents for the operations in src/client/ (what agents and dashboards send) and in ui/src/
// (what the explorer sends), generated from the committed schema.graphql. Run: npm run codegen
import type { CodegenConfig } from '@graphql-codegen/cli';

const clientPreset = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: {
    importExtension: '.ts',
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { DateTime: 'string', JSON: 'unknown', Cents: 'string', Int64: 'string' },
  },
} as const;

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'src/client/generated/': { ...clientPreset, documents: ['src/client/operations/**/*.ts'] },
    // Its own output, so the explorer's bundle carries only the explorer's documents.
    // Documents as typed strings: the browser needs no graphql-js to send them.
    'ui/src/generated/': {
      ...clientPreset,
      config: { ...clientPreset.config, documentMode: 'string' },
      documents: ['ui/src/**/*.{ts,tsx}', '!ui/src/generated/**'],
    },
  },
};

export default config;
