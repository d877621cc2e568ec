// Which Chromium the browser tests and benchmarks start (scripts/lib/browser.mjs).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findChromium } from '../../scripts/lib/browser.mjs';

const saved = process.env.CHROMIUM_PATH;
afterEach(() => {
  if (saved === undefined) delete process.env.CHROMIUM_PATH;
  else process.env.CHROMIUM_PATH = saved;
});

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first when it is an executable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchpoint-chromium-'));
    const fake = join(dir, 'chrome');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    process.env.CHROMIUM_PATH = fake;
    await expect(findChromium()).resolves.toEqual({ path: fake, source: 'CHROMIUM_PATH' });
  });

  it('refuses a CHROMIUM_PATH that is not an executable, saying what to do, in one line', async () => {
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    const error = await findChromium().then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/^CHROMIUM_PATH=\/nonexistent\/chromium is not an executable file: .*unset it\.$/);
    expect(error?.message).not.toContain('\n');
  });

  it('without CHROMIUM_PATH, finds a system browser or the one npm brought', async () => {
    delete process.env.CHROMIUM_PATH;
    const { path, source } = await findChromium();
    expect(['system', '@sparticuz/chromium']).toContain(source);
    expect(path).toMatch(/\/(chromium|chromium-browser|google-chrome|google-chrome-stable)$/);
  });
});
