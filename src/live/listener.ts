// One LISTEN connection per server process, on channel aos_events (see the live_tail migration).
// Postgres: a dedicated pg.Client (a pooled connection would lose its LISTEN when released).
// PGlite: the embedded instance itself, where the same triggers notify in-process.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Db } from '../db/client.ts';

export const CHANNEL = 'aos_events';

/** Where a listener connects: the database server, or the embedded instance. */
export type ListenTarget = Db['listenTarget'];

export interface Listener {
  /** Sends a mark: an announcement carrying the snapshot of the moment it was sent (see hub.ts). */
  mark(tag: string): Promise<void>;
  close(): Promise<void>;
}

export type ListenerHandlers = {
  onPayload: (payload: string) => void;
  /** The connection broke: announcements from now until a new listener is up are lost. */
  onLost: (error: Error) => void;
};

const MARK_SQL = `SELECT pg_notify('${CHANNEL}', json_build_object('k', 'mark', 'tag', $1::text, 's', pg_current_snapshot()::text, 'at', clock_timestamp())::text)`;

export async function openListener(target: ListenTarget, handlers: ListenerHandlers): Promise<Listener> {
  return 'pglite' in target ? openPgliteListener(target.pglite, handlers) : openPostgresListener(target.connectionString, handlers);
}

async function openPostgresListener(connectionString: string, { onPayload, onLost }: ListenerHandlers): Promise<Listener> {
  const client = new pg.Client({ connectionString, keepAlive: true, application_name: 'aos-logs live tail' });
  let closing = false;
  let lost = false;
  const lose = (error: Error) => {
    if (closing || lost) return;
    lost = true;
    onLost(error);
    client.end().catch(() => {});
  };
  client.on('notification', (message) => {
    if (message.channel === CHANNEL && message.payload !== undefined) onPayload(message.payload);
  });
  client.on('error', lose);
  client.on('end', () => lose(new Error('listener connection ended')));
  try {
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  } catch (error) {
    closing = true;
    await client.end().catch(() => {});
    throw error;
  }
  return {
    async mark(tag) {
      await client.query(MARK_SQL, [tag]);
    },
    async close() {
      closing = true;
      await client.end().catch(() => {});
    },
  };
}

async function openPgliteListener(pglite: PGlite, { onPayload }: ListenerHandlers): Promise<Listener> {
  const unlisten = await pglite.listen(CHANNEL, onPayload);
  return {
    async mark(tag) {
      await pglite.query(MARK_SQL, [tag]);
    },
    async close() {
      if (!pglite.closed) await unlisten();
    },
  };
}
