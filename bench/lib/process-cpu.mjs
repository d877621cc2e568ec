import { processTree } from '../../scripts/lib/processes.mjs';

/** CPU seconds (user + system) used so far by a process and all its descendants, from /proc (Linux;
 * null elsewhere). On a machine shared with other work, CPU per event is a steadier figure than
 * events per second, which the other work's load moves. */
export function treeCpuSeconds(rootPid) {
  const tree = processTree(rootPid);
  return tree && tree.reduce((ticks, p) => ticks + p.ticks, 0) / 100;
}
