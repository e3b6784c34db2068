// PGlite has no guard against two processes opening the same data folder, and two writers corrupt
// it (checked: both open without complaint). A pid file in the folder turns that into a clear error.
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export class DataDirBusyError extends Error {}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The live process holding the folder, if any (not this one). */
export async function dataDirOwner(dataDir: string): Promise<number | null> {
  const owner = Number.parseInt(await readFile(join(dataDir, 'aos.pid'), 'utf8').catch(() => ''), 10);
  return Number.isInteger(owner) && owner !== process.pid && alive(owner) ? owner : null;
}

/** Takes the folder for this process; returns the release function. A dead owner's lock is taken over. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'aos.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return () => unlink(path).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw new DataDirBusyError(
          `the embedded database in ${dataDir} is in use by process ${owner}: stop it first (PGlite allows one process at a time), or set DATABASE_URL`,
        );
      }
      await unlink(path).catch(() => {});
    }
  }
  throw new DataDirBusyError(`could not lock ${dataDir}: another process keeps taking it`);
}
