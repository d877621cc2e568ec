/** Types of worker-profiler.mjs, for the tests that import it. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}
export function workerProfiler(inspectorPort: number, options?: { intervalUs?: number }): Promise<{ start(): Promise<unknown>; stop(path: string, top?: number): Promise<{ profile: CpuProfile; top: { function: string; self_percent: number }[] }> }>;
export function selfTime(profile: CpuProfile): { function: string; self_percent: number }[];
export function samplesWithin(profile: CpuProfile, windows: [number, number][]): CpuProfile;
export function formatSelfTime(rows: { function: string; self_percent: number }[]): string;
export interface HeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: HeapProfileNode[];
}
export interface SamplingHeapProfile {
  head: HeapProfileNode;
}
export function workerHeapSampler(inspectorPort: number, options?: { intervalBytes?: number }): Promise<{ start(): Promise<unknown>; stop(path: string, top?: number): Promise<{ profile: SamplingHeapProfile; bytes: number; sites: { site: string; bytes: number; percent: number }[] }> }>;
export function allocationSites(profile: SamplingHeapProfile, top?: number): { bytes: number; sites: { site: string; bytes: number; percent: number }[] };
