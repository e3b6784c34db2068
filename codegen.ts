// Typed documents for the operations in src/client/ (what agents and dashboards send), generated
// from the committed schema.graphql. Run: npm run codegen
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/client/operations/**/*.ts'],
  ignoreNoDocuments: false,
  generates: {
    'src/client/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        importExtension: '.ts',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', Cents: 'string', Int64: 'string' },
      },
    },
  },
};

export default config;
