// The self-time table bench:ingest --cpu-profile prints (bench/lib/worker-profiler.mjs).
import { describe, expect, it } from 'vitest';
import { selfTime, type CpuProfile } from '../../bench/lib/worker-profiler.mjs';

const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, url, lineNumber });

describe('selfTime', () => {
  it("counts each sample for the function it landed in, not its callers, and merges a function's nodes", () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 4] },
        { id: 2, callFrame: frame('handle', 'file:///w/index.js', 9), children: [3] },
        { id: 3, callFrame: frame('parse', 'file:///w/index.js', 99) },
        { id: 4, callFrame: frame('', 'file:///w/index.js', 41), children: [5] },
        { id: 5, callFrame: frame('parse', 'file:///w/index.js', 99) },
      ],
      samples: [3, 3, 5, 2, 4, 3, 1, 5],
      startTime: 0,
      endTime: 8,
    };
    expect(selfTime(profile)).toEqual([
      { function: 'parse index.js:100', self_percent: 62.5 },
      { function: 'handle index.js:10', self_percent: 12.5 },
      { function: '(anonymous) index.js:42', self_percent: 12.5 },
      { function: '(root)', self_percent: 12.5 },
    ]);
  });
});
