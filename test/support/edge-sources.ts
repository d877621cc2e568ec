import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The worker's source folder. */
export const EDGE = resolve(__dirname, '../../edge');

/** Every .ts file under `dir` (the worker's sources by default), for tests that read the code itself. */
export function edgeSources(dir: string = EDGE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? edgeSources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}
