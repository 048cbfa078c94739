import { chmodSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { resolve } from "node:path";
import lockfile from "proper-lockfile";

// One process at a time may open an embedded (PGlite) data dir: two PGlite
// instances on one folder corrupt it. The lock is proper-lockfile's directory
// (atomic mkdir, its mtime refreshed while held, removed on exit and signals);
// beside it, owner.json says who holds it so a second opener can name the pid
// (and port, for a server) and so a lock left by a killed process (kill -9) is
// broken at once. Staleness by age alone is set long: PGlite runs on the event
// loop, and a long query must not let a second process decide the lock is old.

const LOCK_DIR = "store.lock";
const OWNER_FILE = "owner.json";
const SERVER_FILE = "server.json";
/** A lock not refreshed for this long is stale even when its owner cannot be checked (another host, no owner.json). */
const STALE_MS = 60 * 60_000;
const REFRESH_MS = 5_000;

export type StoreOwner = {
  pid: number;
  /** The machine of the pid: a pid is only checked on its own machine. */
  host_name?: string;
  command: string;
  port?: number;
  host?: string;
  started_at: string;
  /** The lock directory's inode when owner.json was written: tells a current owner file from a leftover one. */
  lock: number;
};

/** How to reach the server running on a data dir; the file is the owner's only (mode 0600). */
export type ServerInfo = { pid: number; port: number; host: string; token: string; url: string };

export class StoreLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: StoreOwner | null,
  ) {
    super(
      owner
        ? `${describeOwner(owner)} on this data dir (${dataDir}); stop it first${owner.port ? ", or use its web app and API" : ""}`
        : `another process holds the data dir ${dataDir} (it is being opened; or, if no Parley process runs, one was killed while opening it: remove ${resolve(dataDir, LOCK_DIR)})`,
    );
    this.name = "StoreLockedError";
  }
}

export function describeOwner(owner: Pick<StoreOwner, "pid" | "port" | "command">): string {
  return owner.port
    ? `Parley is running (pid ${owner.pid}, port ${owner.port})`
    : `Another Parley process (pid ${owner.pid}, \`parley ${owner.command}\`) is using the embedded store`;
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isOnThisMachine(owner: StoreOwner): boolean {
  return owner.host_name === undefined || owner.host_name === hostname();
}

function lockInode(dataDir: string): number | null {
  try {
    return statSync(resolve(dataDir, LOCK_DIR)).ino;
  } catch {
    return null;
  }
}

/** The process holding the data dir's lock, when one does (and says who it is). */
export function currentOwner(dataDir: string): StoreOwner | null {
  const owner = readJson<StoreOwner>(resolve(dataDir, OWNER_FILE));
  const ino = lockInode(dataDir);
  if (!owner || ino === null || owner.lock !== ino || (isOnThisMachine(owner) && !isAlive(owner.pid))) return null;
  return owner;
}

/** The running server's address and local token, when a live server holds this data dir. */
export function runningServer(dataDir: string): ServerInfo | null {
  const info = readJson<ServerInfo>(resolve(dataDir, SERVER_FILE));
  const owner = currentOwner(dataDir);
  if (!info || !owner || owner.pid !== info.pid) return null;
  return info;
}

export type StoreLock = {
  /** Records the server's address in owner.json and its token in server.json (0600). */
  announceServer: (info: Omit<ServerInfo, "pid" | "url">) => ServerInfo;
  release: () => Promise<void>;
};

/** Where a client on this machine reaches a server bound to host. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

function writeOwner(dataDir: string, owner: StoreOwner) {
  writeFileSync(resolve(dataDir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
}

function removeIfOurs(path: string) {
  const content = readJson<{ pid?: number }>(path);
  if (content?.pid !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Takes the data dir's lock or throws StoreLockedError naming the holder.
 * A lock whose recorded owner has died is broken and taken.
 */
export async function lockDataDir(dataDir: string, command: string): Promise<StoreLock> {
  const lockPath = resolve(dataDir, LOCK_DIR);
  const options = {
    lockfilePath: lockPath,
    realpath: false,
    stale: STALE_MS,
    update: REFRESH_MS,
    retries: 0,
    // The lock was taken from under us (its folder removed or rewritten): carrying
    // on would risk two writers on one store, so this process stops.
    onCompromised: (err: Error) => {
      process.stderr.write(`parley: lost the lock on ${dataDir} (${err.message}); stopping to keep the store safe\n`);
      process.exit(70);
    },
  };
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(dataDir, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
    const owner = readJson<StoreOwner>(resolve(dataDir, OWNER_FILE));
    const ino = lockInode(dataDir);
    const current = owner && ino !== null && owner.lock === ino ? owner : null;
    if (!current || current.pid === process.pid || !isOnThisMachine(current) || isAlive(current.pid))
      throw new StoreLockedError(dataDir, current);
    // Left behind by a process that no longer exists (killed with -9, machine crash).
    try {
      rmdirSync(lockPath);
    } catch {
      // someone else broke it first; the retry below decides
    }
    try {
      unlock = await lockfile.lock(dataDir, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== "ELOCKED") throw again;
      throw new StoreLockedError(dataDir, currentOwner(dataDir));
    }
  }

  const owner: StoreOwner = {
    pid: process.pid,
    host_name: hostname(),
    command,
    started_at: new Date().toISOString(),
    lock: statSync(lockPath).ino,
  };
  writeOwner(dataDir, owner);
  const serverPath = resolve(dataDir, SERVER_FILE);
  const cleanup = () => {
    removeIfOurs(serverPath);
    removeIfOurs(resolve(dataDir, OWNER_FILE));
  };
  process.on("exit", cleanup);
  let released = false;
  return {
    announceServer: (info) => {
      writeOwner(dataDir, { ...owner, port: info.port, host: info.host });
      const server: ServerInfo = {
        pid: process.pid,
        ...info,
        url: `http://${urlHost(info.host)}:${info.port}`,
      };
      // Created 0600 before the token is written: no moment where others could read it.
      writeFileSync(serverPath, "", { mode: 0o600 });
      chmodSync(serverPath, 0o600);
      writeFileSync(serverPath, `${JSON.stringify(server)}\n`, { mode: 0o600 });
      return server;
    },
    release: async () => {
      if (released) return;
      released = true;
      cleanup();
      process.off("exit", cleanup);
      await unlock();
    },
  };
}
