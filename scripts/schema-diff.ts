// Offline schema → schema diff with Prisma's published WASM schema engine (DESIGN D2).
// The native schema engine cannot be downloaded on our machines, and the WASM package's entry
// imports its .wasm file as an ES module, which Node cannot load, so we instantiate it by hand.
// The engine insists on a live connection at start; an in-memory PGlite gives it one offline.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

// Node has WebAssembly at run time; TypeScript's node types just don't declare it without the DOM lib.
type WasmExports = Record<string, unknown>;
const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: WasmExports } }> };
};

type Engine = { diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }> };
type Bindings = Record<string, unknown> & {
  __wbg_set_wasm(exports: WasmExports): void;
  SchemaEngine: { new: (options: unknown, log: (msg: string) => void, adapter: unknown) => Promise<Engine> };
};

async function loadEngine(): Promise<{ engine: Engine; close: () => Promise<void> }> {
  const bgPath = fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const bindings = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as Bindings;
  const imports: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(bindings)) {
    if (name.startsWith('__wbg') || name.startsWith('__wbindgen')) imports[name] = value;
  }
  const { instance } = await wasmApi.instantiate(await readFile(join(dirname(bgPath), 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': imports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  const pglite = new PGlite();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite) as never);
  const engine = await bindings.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  return { engine, close: () => pglite.close() };
}

/** SQL that takes a database from schema `from` (or from nothing) to schema `to`. */
export async function diffSchemas(from: string | null, to: string): Promise<string> {
  const { engine, close } = await loadEngine();
  try {
    const target = (content: string) => ({ tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] });
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : target(from),
      to: target(to),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  } finally {
    await close();
  }
}
