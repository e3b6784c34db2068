// vitest globalSetup: the browser tests drive the built explorer, so build it when ui/ changed
// since the last build (a no-op otherwise).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI = fileURLToPath(new URL('../../ui/', import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default async function buildUi(): Promise<void> {
  let built = 0;
  try {
    built = statSync(join(UI, 'dist', 'index.html')).mtimeMs;
  } catch {
    // not built yet
  }
  if (built > newest(UI)) return;
  const { build } = await import('vite');
  await build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'warn' });
}
