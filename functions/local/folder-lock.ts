import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Another process has the folder open: it must finish (or be stopped) first. */
export class FolderInUseError extends Error {
  override readonly name = 'FolderInUseError';
  constructor(
    readonly folder: string,
    readonly pid: number,
    readonly holder: string,
  ) {
    super(`${folder} is in use by process ${pid} (${holder}): wait for it to finish or stop it, then try again. One process at a time can open a local baseline.`);
  }
}

export interface FolderLock {
  release(): void;
}

const LOCK_FILE = 'in-use.lock';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes a folder for this process, or says who holds it. LevelDB refuses a second opener too, but the embedded
 * DynamoDB would only fail on its first request, deep inside a stack trace; this names the holder up front.
 * A lock left by a process that no longer runs is taken over.
 */
export function lockFolder(folder: string, holder: string): FolderLock {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() }), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      let held: { pid?: unknown; holder?: unknown } = {};
      try {
        held = JSON.parse(readFileSync(file, 'utf8')) as typeof held;
      } catch {
        // An unreadable lock (a crash while writing it) is stale.
      }
      if (typeof held.pid === 'number' && alive(held.pid)) throw new FolderInUseError(folder, held.pid, String(held.holder ?? 'unknown command'));
      rmSync(file, { force: true });
    }
  }
  const release = () => rmSync(file, { force: true });
  process.once('exit', release);
  return {
    release: () => {
      process.off('exit', release);
      release();
    },
  };
}
