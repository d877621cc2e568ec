// The browser tests' Chromium: the one launcher the benchmarks use too (scripts/lib/browser.mjs).
export { launchChromium } from '../../scripts/lib/browser.mjs';
