// The worker's own V8 CPU profile, taken through wrangler dev's DevTools endpoint (the one Chrome's
// DevTools would open): what a benchmark's load spends the worker's thread on, by function. The
// .cpuprofile it writes opens in Chrome DevTools (Performance) or speedscope.
import { writeFileSync } from 'node:fs';

/** Connects to the worker's inspector; resolves to `stop()` (after `start()`), which writes the
 * profile to `path` and resolves to it and the functions with the most self time. */
export async function workerProfiler(inspectorPort, { intervalUs = 200 } = {}) {
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
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: intervalUs });
  return {
    start: () => send('Profiler.start'),
    async stop(path, top = 15) {
      const { profile } = await send('Profiler.stop');
      socket.close();
      writeFileSync(path, JSON.stringify(profile));
      return { profile, top: selfTime(profile).slice(0, top) };
    },
  };
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
