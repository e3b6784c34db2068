// The driver's timestamptz parser agrees with pg's own (postgres-date) on every form Postgres
// writes, from the server itself under several session time zones, and on the edge cases.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseTimestamptz, TIMESTAMPTZ_OID } from '../../src/db/timestamps.ts';
import { createTestDb, usingPostgres } from '../helpers.ts';

const reference = pg.types.getTypeParser(TIMESTAMPTZ_OID) as (text: string) => Date | number | null;
const same = (text: string) => {
  const ours = parseTimestamptz(text);
  const theirs = reference(text);
  expect(ours instanceof Date ? ours.getTime() : ours, text).toEqual(theirs instanceof Date ? theirs.getTime() : theirs);
};

it('matches pg on hand-picked texts: fractions, offsets, BC, infinity, early years', () => {
  for (const text of [
    '2026-10-02 12:34:56+00',
    '2026-10-02 12:34:56.7+00',
    '2026-10-02 12:34:56.789+00',
    '2026-10-02 12:34:56.789123+00',
    '2026-10-02 12:34:56.001+05:30',
    '2026-10-02 00:00:00.999-08',
    '1970-01-01 00:00:00+00',
    '0099-01-01 00:00:00+00',
    '0500-06-01 10:00:00+00',
    '2000-01-01 00:00:00+00 BC',
    '1900-01-01 00:00:00+00:09:21',
    'infinity',
    '-infinity',
  ])
    same(text);
});

let db: Awaited<ReturnType<typeof createTestDb>> | undefined;
beforeAll(async () => {
  if (usingPostgres) db = await createTestDb();
});
afterAll(() => db?.drop());

it.runIf(usingPostgres)('matches pg on what the server writes, in several session time zones', async () => {
  const client = new pg.Client({ connectionString: db!.url });
  await client.connect();
  try {
    for (const zone of ['UTC', 'Asia/Kolkata', 'America/Los_Angeles', 'Australia/Eucla']) {
      await client.query(`SET TimeZone = '${zone}'`);
      const { rows } = await client.query<{ t: string }>({
        text: `SELECT (timestamptz '2026-01-01 00:00:00.123+00' + n * interval '7 hours 13 minutes 1.017 seconds')::text AS t FROM generate_series(0, 2000) n`,
      });
      for (const { t } of rows) same(t);
    }
  } finally {
    await client.end();
  }
});
