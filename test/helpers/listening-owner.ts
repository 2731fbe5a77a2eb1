import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Which process holds a listening TCP socket on a port, read from Linux's /proc: the socket
 * tables (/proc/PID/net/tcp and tcp6, the process's network namespace) give the listening
 * sockets' inodes, and a process's /proc/PID/fd links name the socket inodes it holds. An
 * answer on a port proves nothing about who gave it: a port picked free and then taken by
 * another server before a spawned gateway bound it was answered by that server.
 */

/** LISTEN in the `st` column of /proc/net/tcp (include/net/tcp_states.h). */
const TCP_LISTEN = '0A';

/** Whether this machine has the /proc files the checks read (Linux). */
export const procNetReadable = (): boolean => existsSync('/proc/self/net/tcp');

/** The inodes of the sockets listening on `port`, any address, IPv4 or IPv6, seen from `pid`'s network namespace. */
function listeningInodes(pid: number, port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (local === undefined || inode === undefined || state !== TCP_LISTEN) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(inode);
    }
  }
  return inodes;
}

/** The socket inodes `pid` holds open (empty once it has exited, or when its fds are not ours to read). */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1] as string);
    } catch {
      // Closed between the listing and the read.
    }
  }
  return inodes;
}

/** `pid` and the processes it started, and theirs (a wrapper such as strace runs the gateway as its child). */
function withDescendants(pid: number): number[] {
  const found = [pid];
  for (let index = 0; index < found.length; index++) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${found[index]}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${found[index]}/task/${task}/children`, 'utf8').trim().split(/\s+/)) if (child !== '') found.push(Number(child));
      } catch {
        // The task ended meanwhile.
      }
    }
  }
  return found;
}

/**
 * Whether `pid`, or a process it started, holds a socket listening on `port`; undefined where
 * /proc cannot tell (not Linux).
 */
export function holdsListener(pid: number, port: number): boolean | undefined {
  if (!procNetReadable()) return undefined;
  const listening = listeningInodes(pid, port);
  if (listening.size === 0) listeningInodes(process.pid, port).forEach((inode) => listening.add(inode));
  return withDescendants(pid).some((each) => [...socketInodes(each)].some((inode) => listening.has(inode)));
}

/** The processes of this user holding a socket listening on `port`, as `pid (command line)`, for an error message. */
export function listenerHolders(port: number): string[] {
  if (!procNetReadable()) return [];
  const listening = listeningInodes(process.pid, port);
  if (listening.size === 0) return [];
  const holders: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (![...socketInodes(pid)].some((inode) => listening.has(inode))) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // Exited meanwhile.
    }
    holders.push(`${pid} (${command.length > 120 ? `${command.slice(0, 117)}...` : command})`);
  }
  return holders;
}
