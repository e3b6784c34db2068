// A real streaming replica of the test PostgreSQL, started by the test itself: `pg_basebackup -R`
// of the running cluster into a temporary folder, a second postmaster on a free port (as the
// postgres OS user: postgres refuses to run as root), stopped and deleted afterwards. The primary
// must admit replication connections from 127.0.0.1 (.ci/run adds that pg_hba.conf line).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export type StreamingReplica = {
  port: number;
  /** The URL of `database` on the replica. */
  url(database: string): string;
  /** Owner SQL on the replica (pausing replay, reading its position). */
  query<T>(database: string, text: string): Promise<T[]>;
  /** Stops the postmaster (the replica is then down, its folder kept until `remove`). */
  stop(): Promise<void>;
  /** Stops it if running and deletes its folder. */
  remove(): Promise<void>;
};

/** Why no replica can be started here, or undefined when one can. */
export async function replicaUnavailable(primaryUrl: string | undefined): Promise<string | undefined> {
  if (!primaryUrl) return 'no DATABASE_URL: the tests run on the embedded database';
  const { hostname } = new URL(primaryUrl);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) return `PostgreSQL at ${hostname} is not on this machine`;
  if (process.getuid?.() !== 0) return 'not running as root: the replica postmaster must be started as the postgres OS user';
  const bin = await binDir(primaryUrl);
  for (const tool of ['pg_basebackup', 'pg_ctl']) {
    if (!existsSync(join(bin, tool))) return `${join(bin, tool)} not found (set PG_BINDIR)`;
  }
  return undefined;
}

/** The server binaries of the primary's major version (Debian layout), or PG_BINDIR. */
async function binDir(primaryUrl: string): Promise<string> {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const [row] = await ownerQuery<{ v: string }>(primaryUrl, `SELECT current_setting('server_version_num') AS v`);
  return `/usr/lib/postgresql/${Math.floor(Number(row!.v) / 10000)}/bin`;
}

export async function startStreamingReplica(primaryUrl: string): Promise<StreamingReplica> {
  const bin = await binDir(primaryUrl);
  const primary = new URL(primaryUrl);
  const asPostgres = (tool: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { timeout: 120_000 });
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  const dir = await mkdtemp(join(tmpdir(), 'aos-replica-'));
  await chown(dir, Number(uid), Number(gid));
  const data = join(dir, 'data');
  const port = await freePort();
  let running = false;
  const pgCtl = (args: string[]) => asPostgres('pg_ctl', ['-D', data, ...args]);
  try {
    await asPostgres('pg_basebackup', ['-h', primary.hostname, '-p', primary.port || '5432', '-U', decodeURIComponent(primary.username) || 'postgres', '-D', data, '-R', '-c', 'fast', '-X', 'stream']);
    // A hot standby needs at least the primary's values of these, or it refuses to start.
    const settings = await ownerQuery<{ name: string; setting: string }>(
      primaryUrl,
      `SELECT name, setting FROM pg_settings
        WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`,
    );
    // Debian keeps the configuration outside the data folder: the copy gets its own.
    const files = {
      'postgresql.conf': [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        'hot_standby = on',
        ...settings.map((s) => `${s.name} = ${s.setting}`),
        '',
      ].join('\n'),
      'pg_hba.conf': 'local all all trust\nhost all all 127.0.0.1/32 trust\n',
      'pg_ident.conf': '',
    };
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(data, name), text, { mode: 0o600 });
      await chown(join(data, name), Number(uid), Number(gid));
    }
    await pgCtl(['-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
    running = true;
  } catch (error) {
    if (running) await pgCtl(['-m', 'immediate', '-w', 'stop']).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    if (!running) return;
    running = false;
    await pgCtl(['-m', 'fast', '-w', 'stop']);
  };
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    query: (database, text) => ownerQuery(url(database), text),
    stop,
    async remove() {
      await stop().catch(() => pgCtl(['-m', 'immediate', '-w', 'stop']).catch(() => {}));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function ownerQuery<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
