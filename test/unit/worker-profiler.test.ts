// The self-time table bench:ingest --cpu-profile prints (bench/lib/worker-profiler.mjs).
import { describe, expect, it } from 'vitest';
import { allocationSites, formatSelfTime, samplesWithin, selfTime, type CpuProfile, type HeapProfileNode } from '../../bench/lib/worker-profiler.mjs';

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
      timeDeltas: [1, 1, 1, 1, 1, 1, 1, 1],
      startTime: 0,
      endTime: 8,
    };
    expect(selfTime(profile)).toEqual([
      { function: 'parse index.js:100', self_percent: 62.5 },
      { function: 'handle index.js:10', self_percent: 12.5 },
      { function: '(anonymous) index.js:42', self_percent: 12.5 },
      { function: '(root)', self_percent: 12.5 },
    ]);
    expect(formatSelfTime(selfTime(profile).slice(0, 2))).toBe('   62.5%  parse index.js:100\n   12.5%  handle index.js:10');
  });

  it('keeps the samples taken within the given windows of time, for the requests they name', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3] },
        { id: 2, callFrame: frame('decide', 'file:///w/index.js', 9) },
        { id: 3, callFrame: frame('(garbage collector)') },
      ],
      // Samples at 1,000,100 … 1,000,600 µs.
      samples: [2, 3, 3, 2, 1, 2],
      timeDeltas: [100, 100, 100, 100, 100, 100],
      startTime: 1_000_000,
      endTime: 1_000_600,
    };
    const slow = samplesWithin(profile, [[1_000_150, 1_000_300], [1_000_600, 1_000_700]]);
    expect(slow.samples).toEqual([3, 3, 2]);
    expect(selfTime(slow)).toEqual([
      { function: '(garbage collector)', self_percent: 66.7 },
      { function: 'decide index.js:10', self_percent: 33.3 },
    ]);
    expect(samplesWithin(profile, []).samples).toEqual([]);
  });
});

describe('allocationSites', () => {
  it('sums sampled bytes by function and caller, most first, with their share of all', () => {
    const node = (functionName: string, selfSize: number, children: HeapProfileNode[] = [], url = 'file:///w/index.js', lineNumber = 9): HeapProfileNode => ({
      callFrame: { functionName, url, lineNumber },
      selfSize,
      children,
    });
    const profile = {
      head: node('(root)', 0, [node('decide', 100, [node('parse', 300), node('parse', 100)]), node('record', 0, [node('parse', 500)])], '', -1),
    };
    expect(allocationSites(profile)).toEqual({
      bytes: 1_000,
      sites: [
        { site: 'parse index.js:10 < record index.js:10', bytes: 500, percent: 50 },
        { site: 'parse index.js:10 < decide index.js:10', bytes: 400, percent: 40 },
        { site: 'decide index.js:10 < (root)', bytes: 100, percent: 10 },
      ],
    });
    expect(allocationSites(profile, 1).sites).toHaveLength(1);
  });
});
