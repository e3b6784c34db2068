// db.query(…, { prepared: true }): one name per statement text, prepared once per connection and
// reused; the same answers as unnamed statements, on PostgreSQL and PGlite (which ignores it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { MAX_PREPARED, queryConfig } from '../../src/db/prepared.ts';
import { createTestDb, usingPostgres } from '../helpers.ts';

describe('prepared statements through db.query', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await createTestDb());
  });
  afterAll(() => drop?.());

  it('answer like unnamed ones, run after run, and stay prepared on the connection', async () => {
    const text = 'SELECT $1::int + 1 AS n, current_setting($2) AS setting';
    for (let i = 0; i < 8; i++) {
      expect(await db.query(text, [i, 'jit'], { prepared: true })).toEqual(await db.query(text, [i, 'jit']));
    }
    if (usingPostgres) {
      // Statements one after another take the pool's most recently released connection: the one
      // that prepared the text, which holds it once under its name.
      const held = await db.query<{ name: string }>(`SELECT name FROM pg_prepared_statements WHERE statement = $1`, [text]);
      expect(held).toEqual([{ name: queryConfig(text, [], { prepared: true }).name }]);
    }
  });
});

// After the statements above: the names are per process, and this fills them up.
describe('queryConfig', () => {
  it('names a prepared text once and reuses the name; unprepared statements stay unnamed', () => {
    const a = queryConfig('SELECT 1 AS a', [], { prepared: true });
    const b = queryConfig('SELECT 2 AS b', [], { prepared: true });
    expect(a.name).toMatch(/^aos_\d+$/);
    expect(b.name).toMatch(/^aos_\d+$/);
    expect(b.name).not.toBe(a.name);
    expect(queryConfig('SELECT 1 AS a', [1], { prepared: true })).toEqual({ text: 'SELECT 1 AS a', values: [1], name: a.name });
    expect(queryConfig('SELECT 1 AS a', [1], undefined)).toEqual({ text: 'SELECT 1 AS a', values: [1] });
    expect(queryConfig('SELECT 1 AS a', [1], {})).toEqual({ text: 'SELECT 1 AS a', values: [1] });
  });

  it(`runs statements unnamed beyond ${MAX_PREPARED} texts, and keeps the names it gave`, () => {
    const first = queryConfig('SELECT 1 AS a', [], { prepared: true }).name;
    for (let i = 0; i < MAX_PREPARED + 5; i++) queryConfig(`SELECT ${i} AS n`, [], { prepared: true });
    expect(queryConfig('SELECT 999 AS late', [], { prepared: true }).name).toBeUndefined();
    expect(queryConfig('SELECT 1 AS a', [], { prepared: true }).name).toBe(first);
  });
});
