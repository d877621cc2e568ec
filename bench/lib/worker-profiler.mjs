// The worker's own V8 CPU profile, taken through wrangler dev's DevTools endpoint (the one Chrome's
// DevTools would open): what a benchmark's load spends the worker's thread on, by function. The
// .cpuprofile it writes opens in Chrome DevTools (Performance) or speedscope.
import { writeFileSync } from 'node:fs';

/** A DevTools session with the worker's isolate: `send(method, params)` resolves to the result. */
async function inspectorSession(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  if (targets.length === 0) throw new Error(`no worker behind the inspector on port ${inspectorPort}`);
  // wrangler dev refuses DevTools connections without an Origin it knows (a web page's, say).
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl, { headers: { Origin: 'http://localhost' } });
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error(`could not open the worker's inspector on port ${inspectorPort}`)), { once: true });
  });
  let lastId = 0;
  const waiting = new Map();
  socket.addEventListener('message', (message) => {
    const reply = JSON.parse(message.data);
    if (reply.id === undefined || !waiting.has(reply.id)) return;
    const { resolve, reject } = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error) reject(new Error(`${reply.error.message} (inspector)`));
    else resolve(reply.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

/** Connects to the worker's inspector; resolves to `stop()` (after `start()`), which writes the
 * profile to `path` and resolves to it and the functions with the most self time. */
export async function workerProfiler(inspectorPort, { intervalUs = 200 } = {}) {
  const { send, close } = await inspectorSession(inspectorPort);
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: intervalUs });
  return {
    start: () => send('Profiler.start'),
    async stop(path, top = 15) {
      const { profile } = await send('Profiler.stop');
      close();
      writeFileSync(path, JSON.stringify(profile));
      return { profile, top: selfTime(profile).slice(0, top) };
    },
  };
}

/** What the worker allocates, sampled by V8 (HeapProfiler sampling, one sample per `intervalBytes`
 * on average) counting objects that garbage collection has since freed too: allocation, not what
 * stays. `stop()` writes the .heapprofile (it opens in Chrome DevTools' Memory panel) and resolves
 * to it and the allocation sites with the most bytes. */
export async function workerHeapSampler(inspectorPort, { intervalBytes = 4096 } = {}) {
  const { send, close } = await inspectorSession(inspectorPort);
  await send('HeapProfiler.enable');
  return {
    start: () => send('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }),
    async stop(path, top = 15) {
      const { profile } = await send('HeapProfiler.stopSampling');
      close();
      writeFileSync(path, JSON.stringify(profile));
      return { profile, ...allocationSites(profile, top) };
    },
  };
}

/** A sampled allocation profile's bytes in all, and by allocation site (the function and, after
 * `<`, its caller), most first. */
export function allocationSites(profile, top = 15) {
  const name = ({ functionName, url, lineNumber }) => `${functionName || '(anonymous)'}${url ? ` ${url.split('/').pop()}:${lineNumber + 1}` : ''}`;
  const bytes = new Map();
  let total = 0;
  const walk = (node, caller) => {
    const site = caller ? `${name(node.callFrame)} < ${caller}` : name(node.callFrame);
    if (node.selfSize > 0) {
      bytes.set(site, (bytes.get(site) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children ?? []) walk(child, name(node.callFrame));
  };
  walk(profile.head, null);
  const sites = [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([site, b]) => ({ site, bytes: b, percent: Math.round((1000 * b) / total) / 10 }));
  return { bytes: total, sites };
}

/** Functions by their share of the profile's samples spent in them (not in what they call). */
export function selfTime(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const shares = new Map();
  for (const id of profile.samples) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const name = `${functionName || '(anonymous)'}${url ? ` ${url.split('/').pop()}:${lineNumber + 1}` : ''}`;
    shares.set(name, (shares.get(name) ?? 0) + 1);
  }
  return [...shares]
    .sort((a, b) => b[1] - a[1])
    .map(([name, samples]) => ({ function: name, self_percent: Math.round((1000 * samples) / profile.samples.length) / 10 }));
}

/** selfTime's rows as the benchmarks print them, one function a line. */
export const formatSelfTime = (rows) => rows.map((f) => `  ${String(f.self_percent).padStart(5)}%  ${f.function}`).join('\n');

/** The profile cut down to the samples taken within `windows` ([start, end] in microseconds of the
 * monotonic clock, which V8 stamps its samples with and `process.hrtime` reads on Linux): what the
 * worker was doing while chosen requests — the slowest, say — were in flight. */
export function samplesWithin(profile, windows) {
  const samples = [];
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    if (windows.some(([start, end]) => at >= start && at <= end)) samples.push(profile.samples[i]);
  }
  return { ...profile, samples, timeDeltas: samples.map(() => 0) };
}
