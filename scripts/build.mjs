// `npm run build`: everything the worker serves as static assets, into dist/public.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDemoImages } from './lib/demo-images.mjs';
import { ROOT } from './lib/dev-worker.mjs';

export const OUT = join(ROOT, 'dist', 'public');

/** Headers for the static assets (Workers static assets read `_headers`). Widget modules are
 * imported cross-origin by shop pages, which needs CORS. */
const HEADERS = `/sdk.js
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
  buildDemoImages(join(OUT, 'demo', 'img'));
  writeFileSync(join(OUT, '_headers'), HEADERS);
  if (!quiet) console.log(`built ${OUT}`);
}

/** The tracker every shop page loads: one small IIFE. */
function buildSdk() {
  return esbuild.build({
    entryPoints: [join(ROOT, 'sdk', 'index.ts')],
    outfile: join(OUT, 'sdk.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2019',
    legalComments: 'none',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await build();
