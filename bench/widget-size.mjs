// Widget size budget: what the first widget a page shows costs on top of the SDK, gzipped: the
// widget's own module plus every chunk it imports (Preact and the shell, shared by all widgets).
// Each file is compressed on its own, as it travels. Budget: 12 KB (12,288 bytes).
// Usage: npm run bench:widget-size
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build, OUT, widgetNames } from '../scripts/build.mjs';

const BUDGET = 12 * 1024;
await build({ quiet: true });
const dir = join(OUT, 'widgets');

const sizes = new Map();
function size(file) {
  if (!sizes.has(file)) {
    const bytes = readFileSync(file);
    sizes.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length });
  }
  return sizes.get(file);
}

/** The module and everything it imports statically, transitively. */
function closure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const [, spec] of text.matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.js)"/g)) closure(join(dirname(file), spec), seen);
  return seen;
}

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const rows = [];
for (const name of widgetNames()) {
  const entry = join(dir, `${name}.js`);
  const files = [...closure(entry)];
  const shared = files.filter((f) => f !== entry);
  const total = files.reduce((sum, f) => sum + size(f).gzip, 0);
  rows.push({ name, own: size(entry).gzip, shared: shared.reduce((s, f) => s + size(f).gzip, 0), chunks: shared.map((f) => relative(dir, f)), total, brotli: files.reduce((s, f) => s + size(f).brotli, 0) });
}

const preactChunk = [...sizes.keys()].find((f) => f.includes('/chunks/') && readFileSync(f, 'utf8').includes('__H'));
console.log(`Shared chunk with Preact + shell: ${relative(dir, preactChunk)}  ${kb(size(preactChunk).gzip)} gzip (${kb(size(preactChunk).raw)} raw)`);
console.log('');
console.log('widget               own gzip   + chunks    = first-widget gzip   (brotli)   budget 12 KB');
for (const r of rows) {
  const verdict = r.total <= BUDGET ? 'ok' : 'OVER';
  console.log(`${r.name.padEnd(20)} ${kb(r.own).padStart(9)}  ${kb(r.shared).padStart(9)}   ${kb(r.total).padStart(9)} (${r.total} B)  ${kb(r.brotli).padStart(9)}   ${verdict}`);
}

const sdk = join(OUT, 'sdk.js');
let sdkPreact = null;
if (existsSync(sdk)) {
  const text = readFileSync(sdk, 'utf8');
  // Preact's minified source keeps this regex literal (its unitless CSS property test).
  const hasPreact = text.includes('acit|ex(?:s|g|n|p|$)');
  console.log(`\nsdk.js ${kb(size(sdk).gzip)} gzip; Preact inside: ${hasPreact ? 'YES (it must not be)' : 'no'}`);
  sdkPreact = hasPreact;
  if (hasPreact) process.exitCode = 1;
}
const worst = rows.reduce((a, b) => (b.total > a.total ? b : a));
console.log(`\nLargest first widget: ${worst.name} ${kb(worst.total)} gzip of ${kb(BUDGET)}.`);
if (worst.total > BUDGET) process.exitCode = 1;

// One JSON object last (bench convention): every template's first-widget cost against the budget.
console.log(
  JSON.stringify({
    budget_gzip_bytes: BUDGET,
    preact_chunk_gzip_bytes: size(preactChunk).gzip,
    sdk_gzip_bytes: existsSync(sdk) ? size(sdk).gzip : null,
    sdk_has_preact: sdkPreact,
    largest: { name: worst.name, first_widget_gzip_bytes: worst.total },
    within_budget: rows.every((r) => r.total <= BUDGET),
    widgets: rows.map((r) => ({ name: r.name, own_gzip_bytes: r.own, first_widget_gzip_bytes: r.total, first_widget_brotli_bytes: r.brotli })),
  }),
);
