import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('queue mode configuration', () => {
  it('wrangler.queue.toml is wrangler.toml plus the queue block, so the two modes never drift apart', () => {
    const direct = read('wrangler.toml');
    const queue = read('wrangler.queue.toml');
    expect(queue.startsWith(direct)).toBe(true);
    expect(direct).not.toMatch(/INGEST_QUEUE/);
    expect(queue.slice(direct.length)).toMatch(/binding = "INGEST_QUEUE"/);
  });
});
