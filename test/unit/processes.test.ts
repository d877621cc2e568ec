// What /proc says about a process tree (scripts/lib/processes.mjs): the benchmarks' CPU figures and
// the worker's own socket past wrangler dev's proxy rest on it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { getPriority } from 'node:os';
import { listeningPorts, lowestPriority, processTree } from '../../scripts/lib/processes.mjs';

const linux = existsSync('/proc/self/stat');
let child: ChildProcess | undefined;
afterEach(() => child?.kill());

/** A child Node process listening on a free loopback port; resolves to the port once it listens. */
async function listeningChild(): Promise<{ child: ChildProcess; port: number }> {
  const script = `require('node:net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const started = spawn(process.execPath, ['-e', script, '--', 'touchpoint-probe'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(started.stdout!, 'data')) as [Buffer];
  return { child: started, port: Number(String(line).trim()) };
}

describe.skipIf(!linux)('processTree and listeningPorts', () => {
  it('finds a child with its arguments and CPU, and the port it listens on', async () => {
    const probe = await listeningChild();
    child = probe.child;
    const tree = processTree(process.pid)!;
    expect(tree[0]).toMatchObject({ pid: process.pid, ppid: process.ppid });
    const found = tree.find((p) => p.pid === probe.child.pid);
    expect(found).toMatchObject({ ppid: process.pid });
    expect(found!.argv).toContain('touchpoint-probe');
    expect(found!.ticks).toBeGreaterThanOrEqual(0);
    expect(listeningPorts(probe.child.pid!)).toEqual([probe.port]);
    expect(listeningPorts(process.pid)).not.toContain(probe.port);
  });

  it('answers nothing for a process that does not exist', () => {
    expect(processTree(2 ** 22 + 7)).toEqual([]);
    expect(listeningPorts(2 ** 22 + 7)).toEqual([]);
    expect(lowestPriority(2 ** 22 + 7)).toBe(0);
  });

  it('gives every thread of a tree the lowest priority, and nothing outside it', async () => {
    const probe = await listeningChild();
    child = probe.child;
    const threads = readdirSync(`/proc/${probe.child.pid}/task`).map(Number);
    // Node runs several threads (its thread pool, V8's platform): each holds its own priority.
    expect(threads.length).toBeGreaterThan(1);
    expect(lowestPriority(probe.child.pid!)).toBeGreaterThanOrEqual(threads.length);
    for (const tid of threads) expect(getPriority(tid)).toBe(19);
    expect(getPriority(process.pid)).not.toBe(19);
  });
});
