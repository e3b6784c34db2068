// `npm start` as a user runs it: it builds, then the server is npm's direct child running the
// compiled JavaScript (no tsx, no shell in between), so the signals npm forwards reach it and
// stopping npm stops the server, releasing the port and the data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, portRefuses } from './helpers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aos-start-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function npmStart(extraEnv: Record<string, string> = {}): { npm: ChildProcess; url: Promise<string>; exited: Promise<number | null>; output: () => string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|AOS_|PORT$|HOST$|NODE_OPTIONS$)/.test(k)));
  // Output to a file, as to a terminal: a pipe read by this process would close when npm exits
  // (its 'close'), and the server, still writing its shutdown lines into it, would get EPIPE.
  const logFile = join(dataDir, `npm-start-${Date.now()}.log`);
  const fd = openSync(logFile, 'w');
  // Its own process group, like a shell job: the group signal below is what Ctrl-C sends.
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...env, PORT: '0', AOS_DATA_DIR: dataDir, LOG_LEVEL: 'info', TRACE_REAPER_INTERVAL_SECONDS: '0', ...extraEnv },
  });
  closeSync(fd);
  const output = () => readFileSync(logFile, 'utf8');
  // npm's exit code, once npm and everything it started (its process group) are gone.
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => void groupGone(npm.pid!).then(() => resolve(code))));
  const url = new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /GraphiQL: (http:\/\/\S+)\/graphql/.exec(output());
      if (match) {
        clearInterval(poll);
        resolve(match[1]!);
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`npm start exited with ${code}:\n${output()}`));
    });
  });
  return { npm, url, exited, output };
}

async function childrenOf(pid: number): Promise<{ pid: number; command: string }[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
  return Promise.all(
    children.trim().split(/\s+/).filter(Boolean).map(async (child) => ({
      pid: Number(child),
      command: (await readFile(`/proc/${child}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' '),
    })),
  );
}

/** Resolves when no process of the group is left (npm's children may outlive it by a moment). */
async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whatever is left of npm's process group (a failed test may leave the server running). */
function killGroup(npm: ChildProcess) {
  try {
    process.kill(-npm.pid!, 'SIGKILL');
  } catch (error) {
    // ESRCH: the group is gone already, as it is after every passing test. A signalled npm has
    // no exit code, so `exitCode === null` cannot tell.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

describe('npm start', () => {
  it('serves from dist/ as npm’s only child and stops on Ctrl-C (SIGINT to the process group)', async () => {
    const { npm, url, exited, output } = npmStart();
    try {
      const base = await url;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const [server, ...others] = await childrenOf(npm.pid!);
      expect(others).toEqual([]);
      expect(server!.command).toMatch(/^\S*node dist\/main\.js serve$/);
      expect(Number(await readFile(join(dataDir, 'aos.pid'), 'utf8'))).toBe(server!.pid);

      // The terminal sends SIGINT to every process of the job and npm forwards it once more: the
      // server must take both as one request to stop gracefully.
      process.kill(-npm.pid!, 'SIGINT');
      expect(await exited, output()).toBe(0);
      expect(output()).toMatch(/"msg":"stopped"/);
      expect(output()).not.toMatch(/exiting without waiting/);
      expect(await portRefuses(base)).toBe(true);
      expect(existsSync(join(dataDir, 'aos.pid'))).toBe(false);
    } finally {
      killGroup(npm);
    }
  }, 180_000);

  it('stops the server when only npm is sent SIGTERM', async () => {
    const { npm, url, exited, output } = npmStart();
    try {
      const base = await url;
      npm.kill('SIGTERM');
      await exited;
      expect(output()).toMatch(/"msg":"stopped"/);
      expect(await portRefuses(base)).toBe(true);
      expect(existsSync(join(dataDir, 'aos.pid'))).toBe(false);
    } finally {
      killGroup(npm);
    }
  }, 180_000);

  it.runIf(process.env.DATABASE_URL)('with WORKERS=2 on PostgreSQL, Ctrl-C stops the primary and both workers gracefully', async () => {
    const database = await createTestDb();
    const { npm, url, exited, output } = npmStart({ DATABASE_URL: database.url!, WORKERS: '2', AOS_DEMO: 'off' });
    try {
      const base = await url;
      const [primary, ...others] = await childrenOf(npm.pid!);
      expect(others).toEqual([]);
      expect(primary!.command).toMatch(/^\S*node dist\/main\.js serve$/);
      await expect.poll(async () => (await childrenOf(primary!.pid)).length, { timeout: 30_000 }).toBe(2);
      expect((await fetch(`${base}/health`)).status).toBe(200);

      // The group's SIGINT reaches npm, the primary and both workers; npm and the primary forward it.
      process.kill(-npm.pid!, 'SIGINT');
      expect(await exited, output()).toBe(0);
      expect(output().match(/"msg":"stopped"/g)).toHaveLength(3);
      expect(output()).not.toMatch(/exiting without waiting|worker died/);
      expect(await portRefuses(base)).toBe(true);
    } finally {
      killGroup(npm);
      await database.drop();
    }
  }, 180_000);
});
