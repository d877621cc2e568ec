import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) used so far by a process and all its descendants, from /proc (Linux;
 * null elsewhere). On a machine shared with other work, CPU per event is a steadier figure than
 * events per second, which the other work's load moves. */
export function treeCpuSeconds(rootPid) {
  let stats;
  try {
    stats = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => {
        try {
          // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15).
          const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
          return { pid: Number(pid), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
        } catch {
          return null;
        }
      })
      .filter(Boolean);
  } catch {
    return null;
  }
  const children = new Map();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let ticks = 0;
  const walk = (pid) => {
    for (const child of children.get(pid) ?? []) {
      ticks += child.ticks;
      walk(child.pid);
    }
  };
  ticks += stats.find((s) => s.pid === rootPid)?.ticks ?? 0;
  walk(rootPid);
  return ticks / 100;
}
