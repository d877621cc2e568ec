// `npm run build`: everything the worker serves as static assets, into dist/public.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
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
  if (existsSync(join(ROOT, 'widgets'))) steps.push(buildWidgets());
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

/** Widget folders with an entry (index.tsx): each becomes /widgets/<name>.js. */
export function widgetNames() {
  const dir = join(ROOT, 'widgets');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'index.tsx')))
    .map((entry) => entry.name)
    .sort();
}

/** Widgets import their CSS as text to put in their shadow root; this minifies it on the way. Each
 * importing folder gets its own copy of a shared stylesheet (forms, products, ...), so it lands in
 * that widget's file, compressed with the widget's own CSS, rather than in one more tiny chunk to
 * fetch. Only the base styles, imported by the shell, are shared through the common chunk. */
const cssAsMinifiedText = {
  name: 'css-as-minified-text',
  setup(build) {
    build.onResolve({ filter: /\.css$/ }, (args) => ({
      path: `${resolve(args.resolveDir, args.path)}#${basename(args.resolveDir)}`,
      namespace: 'css-text',
    }));
    build.onLoad({ filter: /.*/, namespace: 'css-text' }, async (args) => {
      const file = args.path.slice(0, args.path.lastIndexOf('#'));
      const { code } = await esbuild.transform(readFileSync(file, 'utf8'), { loader: 'css', minify: true });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: 'js', watchFiles: [file] };
    });
  },
};

/** One ESM module per widget, loaded lazily by the SDK with import(). Splitting puts what they
 * share (Preact, the shell) in chunks under widgets/chunks/, fetched once and cached across
 * widgets; a page that shows no widget loads none of it. */
function buildWidgets() {
  return esbuild.build({
    entryPoints: Object.fromEntries(widgetNames().map((name) => [name, join(ROOT, 'widgets', name, 'index.tsx')])),
    outdir: join(OUT, 'widgets'),
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    // Korean copy as UTF-8, not \uXXXX escapes: half the bytes. Module scripts are always UTF-8.
    charset: 'utf8',
    plugins: [cssAsMinifiedText],
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await build();
