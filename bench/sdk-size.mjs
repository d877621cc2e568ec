// SDK size benchmark: what every shop page loads before any widget is decided (dist/public/sdk.js),
// gzip and brotli at their highest levels, against the 6 KB gzip budget of the SDK issue.
// Usage: npm run bench:sdk-size
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, OUT } from '../scripts/build.mjs';

const BUDGET_GZIP_BYTES = 6 * 1024;

await build({ quiet: true });
const sizes = (file) => {
  const bytes = readFileSync(join(OUT, file));
  return {
    file,
    raw_bytes: bytes.length,
    gzip_bytes: gzipSync(bytes, { level: 9 }).length,
    brotli_bytes: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const sdk = sizes('sdk.js');
const result = {
  'sdk.js': sdk,
  // Loaded only once /v1/decide names a widget (with that widget's module), so not in the budget.
  'sdk-show.js': sizes('sdk-show.js'),
  // Loaded only on a page whose dataLayer holds a Universal Analytics push, a Consent Mode command
  // or WooCommerce's select_content (see README, Integrating a shop), so not in the budget either.
  'sdk-compat.js': sizes('sdk-compat.js'),
  budget_gzip_bytes: BUDGET_GZIP_BYTES,
  within_budget: sdk.gzip_bytes <= BUDGET_GZIP_BYTES,
};
console.log(JSON.stringify(result, null, 2));
if (!result.within_budget) {
  console.error(`OVER BUDGET: sdk.js is ${sdk.gzip_bytes} bytes gzip, the budget is ${BUDGET_GZIP_BYTES}`);
  process.exit(1);
}
