import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGE, edgeSources } from '../support/edge-sources';

/** edge/<folder> → the edge folders its files import from (type imports included). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of edgeSources()) {
    const from = relative(EDGE, file).split('/')[0]!;
    const targets = graph.get(from) ?? new Set<string>();
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = relative(EDGE, resolve(dirname(file), spec!)).split('/')[0]!;
      if (to !== from && !to.startsWith('..')) targets.add(to);
    }
    graph.set(from, targets);
  }
  return graph;
}

function reaches(graph: Map<string, Set<string>>, start: string, goal: string): boolean {
  const seen = new Set<string>();
  const stack = [...(graph.get(start) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next === goal) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return false;
}

describe('edge layering: collect → ingest → store → pipeline', () => {
  const graph = folderGraph();
  it('store never leads back to ingest, and the pipeline leads to neither', () => {
    expect(reaches(graph, 'store', 'ingest')).toBe(false);
    expect(reaches(graph, 'pipeline', 'store')).toBe(false);
    expect(reaches(graph, 'pipeline', 'ingest')).toBe(false);
    expect(reaches(graph, 'ingest', 'store')).toBe(true);
  });
});
