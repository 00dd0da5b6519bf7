// Names of the state file and of the temp files renamed over it; which leftovers are stale (pure).

export const STATE_FILE = 'state.json';

// A writer killed between creating its temp file and the rename leaves it behind; it is harmless (readState
// never looks at it) and the next write removes it.
const TMP = /^state\.json\.([1-9][0-9]{0,9})\.tmp$/;
const STALE_AFTER_MS = 60_000;

/** `state.json.<pid>.tmp`: one temp file per writing process, in the state directory itself. */
export function buildTmpName(pid: number): string {
  return `${STATE_FILE}.${pid}.tmp`;
}

/** A directory entry as the caller saw it. */
export interface TmpCandidate {
  name: string;
  mtimeMs: number;
}

/**
 * Temp files to delete: those of a process that is gone, and any older than a minute (a live writer finishes
 * in milliseconds; an old file under a live pid is a recycled pid). Our own pid's file is ours to overwrite.
 */
export function selectStaleTmpFiles(
  entries: readonly TmpCandidate[],
  ownPid: number,
  now: number,
  isAlive: (pid: number) => boolean,
): string[] {
  const stale: string[] = [];
  for (const { name, mtimeMs } of entries) {
    const pid = Number(TMP.exec(name)?.[1]);
    if (!pid || pid === ownPid) continue;
    if (now - mtimeMs > STALE_AFTER_MS || !isAlive(pid)) stale.push(name);
  }
  return stale;
}
