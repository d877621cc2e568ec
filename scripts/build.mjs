// `npm run build`: everything the worker serves as static assets, into dist/public.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/dev-worker.mjs';

export const OUT = join(ROOT, 'dist', 'public');

/** Headers for the static assets (Workers static assets read `_headers`). Widget modules are
 * imported cross-origin by shop pages, which needs CORS. */
const HEADERS = `/sdk.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
/sdk-show.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
/widgets/*
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
`;

export async function build({ quiet = false } = {}) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const steps = [];
  if (existsSync(join(ROOT, 'sdk', 'index.ts'))) steps.push(buildSdk());
  await Promise.all(steps);
  const staticDir = join(ROOT, 'edge', 'assets');
  if (existsSync(staticDir)) cpSync(staticDir, OUT, { recursive: true });
  writeFileSync(join(OUT, '_headers'), HEADERS);
  if (!quiet) console.log(`built ${OUT}`);
}

/** The ES module and its types for bundler users (package.json `exports`). */
export const ESM_OUT = join(ROOT, 'dist', 'esm');

/** The tracker every shop page loads (one small IIFE), the module it imports only once a widget
 * is decided (sdk-show.js), and the same API as an ES module with types for bundler users. */
function buildSdk() {
  const shared = { bundle: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
  rmSync(ESM_OUT, { recursive: true, force: true });
  return Promise.all([
    // The compile hint has V8 compile every function while the script streams in, off the main
    // thread, instead of one by one on first call on it (all of sdk.js runs on load anyway).
    esbuild.build({ ...shared, entryPoints: [join(ROOT, 'sdk', 'index.ts')], outfile: join(OUT, 'sdk.js'), minify: true, format: 'iife', banner: { js: '//# allFunctionsCalledOnLoad' } }),
    esbuild.build({ ...shared, entryPoints: [join(ROOT, 'sdk', 'show.ts')], outfile: join(OUT, 'sdk-show.js'), minify: true, format: 'esm' }),
    esbuild.build({ ...shared, entryPoints: [join(ROOT, 'sdk', 'module.ts')], outfile: join(ESM_OUT, 'touchpoint.js'), format: 'esm' }),
    sdkTypes(),
  ]);
}

/** Declarations of sdk/module.ts (and the contract types it names), by tsc. */
async function sdkTypes() {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', join(ROOT, 'sdk', 'tsconfig.json'), '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', join(ESM_OUT, 'types')];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc could not emit the SDK's declarations:\n${result.stdout}${result.stderr}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await build();
