import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Ending a weaver run together with everything it started (weaver runs `git` to clone registries,
 * and `live-check`/`serve` keep listeners open). Each run is started `detached`, which on POSIX makes
 * it the leader of a new process group, so signalling the negative pid reaches the whole tree.
 *
 * Because a detached child is outside execa's `cleanup` (it skips detached children), the groups
 * still running are also killed when this process exits.
 */

const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackProcessTree(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Only synchronous work is possible in an 'exit' listener: a signal is synchronous.
    process.on('exit', () => {
      for (const group of liveGroups) signalProcessTree(group, 'SIGKILL');
    });
  }
}

export function untrackProcessTree(pid: number): void {
  liveGroups.delete(pid);
}

/** Sends `signal` to the whole tree of `pid`. False when nothing was there to signal. */
export function signalProcessTree(pid: number, signal: NodeJS.Signals): boolean {
  if (process.platform === 'win32') {
    // Windows has no process groups: taskkill /T walks the tree. It always kills (no graceful signal).
    try {
      const killer = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      killer.on('error', () => undefined);
      return true;
    } catch {
      return false;
    }
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while any process of the group led by `pid` still runs (POSIX; on Windows, the leader).
 * On Linux, zombies do not count: an orphaned grandchild stays a zombie until the system's init reaps
 * it, which in a container can take long or never happen, yet it runs nothing.
 */
export function processTreeExists(pid: number): boolean {
  if (process.platform === 'linux') {
    const running = linuxGroupRunning(pid);
    if (running !== undefined) return running;
  }
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which cannot happen for our own group; treat as alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a non-zombie process of group `pgid` is in /proc; undefined when /proc cannot be read. */
function linuxGroupRunning(pgid: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // `pid (comm) state ppid pgrp ...`: comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/**
 * Ends a tree: SIGTERM to the group now, SIGKILL to what is left after `forceKillAfterMs`. Resolves
 * once the group is gone or has been sent SIGKILL.
 */
export async function terminateProcessTree(pid: number, forceKillAfterMs: number, pollMs = 25): Promise<void> {
  signalProcessTree(pid, 'SIGTERM');
  const deadline = Date.now() + forceKillAfterMs;
  while (processTreeExists(pid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  if (processTreeExists(pid)) signalProcessTree(pid, 'SIGKILL');
}
