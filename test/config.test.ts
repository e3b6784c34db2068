// B23: the reference fell back to a hard-coded DSN with default credentials. We have none.
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('configuration', () => {
  it('without DATABASE_URL uses the embedded database, not a default server', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('.aos-data');
    expect(config.host).toBe('127.0.0.1');
  });

  it('rejects a malformed DATABASE_URL or PORT with a message naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('sizes the API key cache from the environment; 0 turns it off', () => {
    expect(loadConfig({}).apiKeyCache).toEqual({ maxEntries: 1000, ttlMs: 5000 });
    expect(loadConfig({ API_KEY_CACHE_SIZE: '50', API_KEY_CACHE_TTL_SECONDS: '0.5' }).apiKeyCache).toEqual({ maxEntries: 50, ttlMs: 500 });
    expect(loadConfig({ API_KEY_CACHE_TTL_SECONDS: '0' }).apiKeyCache.ttlMs).toBe(0);
    expect(() => loadConfig({ API_KEY_CACHE_TTL_SECONDS: '-1' })).toThrow(/API_KEY_CACHE_TTL_SECONDS/);
  });

  it('runs WORKERS (or WEB_CONCURRENCY) processes on PostgreSQL, one per CPU by default, always one on the embedded database', () => {
    const pg = { DATABASE_URL: 'postgresql://localhost/aos' };
    expect(loadConfig({ ...pg, WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ ...pg, WEB_CONCURRENCY: '2' }).workers).toBe(2);
    expect(loadConfig({ ...pg, WORKERS: '4', WEB_CONCURRENCY: '2' }).workers).toBe(4);
    expect(loadConfig(pg).workers).toBe(availableParallelism());
    expect(loadConfig({ WORKERS: '4' })).toMatchObject({ workers: 1, workersRequested: 4 });
    expect(loadConfig({}).workers).toBe(1);
  });

  it('refuses a WORKERS or WEB_CONCURRENCY that is not a whole number of at least 1, naming the variable and the value', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '1000']) {
      expect(() => loadConfig({ WORKERS: bad }), bad).toThrow(new RegExp(`WORKERS: .*\\(got "${bad.replace('.', '\\.')}"\\)`));
    }
    expect(() => loadConfig({ WEB_CONCURRENCY: 'max' })).toThrow(/WEB_CONCURRENCY: a whole number of server processes, 1 or more \(got "max"\)/);
  });

  it('no source file embeds a connection string with credentials (B23)', async () => {
    const files = [...(await sourceFiles('src')).filter((f) => !f.includes('generated')), ...(await sourceFiles('scripts'))];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      expect(await readFile(file, 'utf8'), file).not.toMatch(/postgres(ql)?:\/\/[^\s'"`/]+:[^\s'"`@]+@/);
    }
  });
});
