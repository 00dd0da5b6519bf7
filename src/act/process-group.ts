// Finding and killing every process of a restart script's process group, through /proc (I/O).
import { readdirSync, readFileSync } from 'node:fs';
import { parseStat } from '../probe/proc.js';
import { waitUntilGone } from './wait-gone.js';

/** After SIGKILL the kernel needs a moment to tear processes down; bound the wait for it. */
const AFTER_KILL_WAIT_MS = 1000;

/** State letter and process group of a pid, from /proc/PID/stat, or undefined when it is gone. */
export function readProcStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Pids of the live (non-zombie) processes whose process group is `pgid`. */
export function listGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(Number(entry));
  }
  return members;
}

/**
 * Kills a whole process group: SIGTERM, then SIGKILL to whatever is left after `graceMs`.
 * SIGTERM first because a hung start script has often already started the service in its group; letting it
 * remove its pid file and release its port keeps the next pass's restart from tripping over them. The grace is
 * short so the pass stays bounded. Resolves once no live member is left, or after a bounded wait.
 */
export async function killProcessGroup(pgid: number, graceMs: number): Promise<void> {
  // kill(-0) or kill(-1) would hit autoheal's own group or every process: never let a bad pid get there.
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  if (!signalGroup(pgid, 'SIGTERM')) return;
  if (await waitUntilGone(() => isGroupGone(pgid), graceMs)) return;
  if (!signalGroup(pgid, 'SIGKILL')) return;
  await waitUntilGone(() => isGroupGone(pgid), AFTER_KILL_WAIT_MS);
}

// False when the group no longer exists (ESRCH).
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function isGroupGone(pgid: number): boolean {
  return listGroupMembers(pgid).length === 0;
}
