// What Linux's /proc says about a process tree: for the benchmarks' CPU figures and for finding the
// worker's own socket inside workerd. Everything here answers null or [] where /proc is missing.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** A process and all its descendants: pid, parent pid, CPU ticks (user + system, 1/100 s) used so
 * far and the command line's arguments. Null without /proc. */
export function processTree(rootPid) {
  let all;
  try {
    all = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => {
        try {
          // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15).
          const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
          return { pid: Number(pid), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
        } catch {
          return null; // gone meanwhile
        }
      })
      .filter(Boolean);
  } catch {
    return null;
  }
  const children = new Map();
  for (const p of all) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p);
  }
  const tree = all.filter((p) => p.pid === rootPid);
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i].pid) ?? []));
  // Command lines only for the tree's own processes, not every process on the machine.
  return tree.map((p) => ({ ...p, argv: commandLine(p.pid) }));
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return []; // gone meanwhile
  }
}

/** The TCP ports (IPv4) a process listens on. */
export function listeningPorts(pid) {
  try {
    const sockets = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter(Boolean),
    );
    // Columns: sl local_address rem_address st … inode(10th); st 0A is LISTEN; the port is hex.
    return readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A' && sockets.has(cols[9]))
      .map((cols) => parseInt(cols[1].split(':')[1], 16));
  } catch {
    return [];
  }
}

/** Gives every thread of a process tree the lowest CPU priority (nice 19): on Linux a priority
 * belongs to a thread, so each of /proc/<pid>/task is set. Returns how many threads it set, or
 * null without /proc. For benchmarks whose server shares the machine with the client it serves. */
export function lowestPriority(rootPid) {
  const tree = processTree(rootPid);
  if (!tree) return null;
  let threads = 0;
  for (const { pid } of tree) {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone meanwhile
    }
    for (const tid of tasks) {
      try {
        setPriority(Number(tid), 19);
        threads++;
      } catch {
        // gone meanwhile
      }
    }
  }
  return threads;
}
