/** Types of processes.mjs, for the tests that import it. */
export interface TreeProcess {
  pid: number;
  ppid: number;
  /** CPU used so far, user + system, in 1/100 s. */
  ticks: number;
  argv: string[];
}
export function processTree(rootPid: number): TreeProcess[] | null;
export function listeningPorts(pid: number): number[];
/** Sets nice 19 on every thread of the tree; how many threads, or null without /proc. */
export function lowestPriority(rootPid: number): number | null;
