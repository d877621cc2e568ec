// `npm run build`: everything the worker serves as static assets, into dist/public.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDemoImages } from './lib/demo-images.mjs';
import { ROOT } from './lib/dev-worker.mjs';

export const OUT = join(ROOT, 'dist', 'public');

/** The admin page holds a bearer token: no inline or evaluated script, never framed, no
 * referrer, no MIME sniffing. Styles may be inline: widgets in the preview put theirs in
 * <style> elements of their shadow roots. */
const ADMIN_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const ADMIN_HEADERS = (path) => `${path}
  Content-Security-Policy: ${ADMIN_CSP}
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  X-Frame-Options: DENY
  Cache-Control: no-cache
`;

/** Headers for the static assets (Workers static assets read `_headers`). Widget modules are
 * imported cross-origin by shop pages, which needs CORS. */
const HEADERS = `/sdk.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
/sdk-show.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
/sdk-compat.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
/widgets/*
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
${ADMIN_HEADERS('/admin')}${ADMIN_HEADERS('/admin/*')}/preview/*
  Content-Security-Policy: ${ADMIN_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")}
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  X-Frame-Options: SAMEORIGIN
  Cache-Control: no-cache
`;

export async function build({ quiet = false } = {}) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const steps = [];
  if (existsSync(join(ROOT, 'sdk', 'index.ts'))) steps.push(buildSdk());
  if (existsSync(join(ROOT, 'widgets'))) steps.push(buildWidgets());
  if (existsSync(join(ROOT, 'admin', 'main.tsx'))) steps.push(buildAdmin());
  await Promise.all(steps);
  const staticDir = join(ROOT, 'edge', 'assets');
  if (existsSync(staticDir)) cpSync(staticDir, OUT, { recursive: true });
  buildDemoImages(join(OUT, 'demo', 'img'));
  writeFileSync(join(OUT, '_headers'), HEADERS);
  if (!quiet) console.log(`built ${OUT}`);
}

/** The ES module and its types for bundler users (package.json `exports`). */
export const ESM_OUT = join(ROOT, 'dist', 'esm');

/** The tracker every shop page loads (one small IIFE), the module it imports only once a widget
 * is decided (sdk-show.js), the one it imports only for Universal Analytics pushes and Consent Mode commands (sdk-compat.js), and the same API as an ES module with types for bundler users. */
function buildSdk() {
  const shared = { bundle: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };
  rmSync(ESM_OUT, { recursive: true, force: true });
  return Promise.all([
    // The compile hint has V8 compile every function while the script streams in, off the main
    // thread, instead of one by one on first call on it (all of sdk.js runs on load anyway).
    // No "use strict" prologue (what the strict tsconfig adds): the SDK's modules are strict TypeScript
    // already, and the 13 bytes count against the 6 KB budget.
    esbuild.build({ ...shared, entryPoints: [join(ROOT, 'sdk', 'index.ts')], outfile: join(OUT, 'sdk.js'), minify: true, format: 'iife', banner: { js: '//# allFunctionsCalledOnLoad' }, tsconfigRaw: { compilerOptions: { alwaysStrict: false } } }),
    esbuild.build({ ...shared, entryPoints: [join(ROOT, 'sdk', 'show.ts')], outfile: join(OUT, 'sdk-show.js'), minify: true, format: 'esm' }),
    // Universal Analytics and Consent Mode reading, imported only by a page whose dataLayer holds such an entry.
    esbuild.build({ ...shared, entryPoints: [join(ROOT, 'sdk', 'compat.ts')], outfile: join(OUT, 'sdk-compat.js'), minify: true, format: 'esm' }),
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

/** Browser modules written with Preact (the widgets, the admin). */
const PREACT_MODULE = {
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  // Korean copy as UTF-8, not \uXXXX escapes: half the bytes. Module scripts are always UTF-8.
  charset: 'utf8',
  logLevel: 'warning',
};

/** One ESM module per widget, loaded lazily by the SDK with import(). Splitting puts what they
 * share (Preact, the shell) in chunks under widgets/chunks/, fetched once and cached across
 * widgets; a page that shows no widget loads none of it. */
function buildWidgets() {
  return esbuild.build({
    ...PREACT_MODULE,
    entryPoints: Object.fromEntries(widgetNames().map((name) => [name, join(ROOT, 'widgets', name, 'index.tsx')])),
    outdir: join(OUT, 'widgets'),
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    plugins: [cssAsMinifiedText],
  });
}

/** The marketer's page (/admin): one module with Preact; and the preview frame's page, which imports widget modules to show them. */
function buildAdmin() {
  return Promise.all([
    esbuild.build({ ...PREACT_MODULE, entryPoints: [join(ROOT, 'admin', 'main.tsx')], outfile: join(OUT, 'admin', 'admin.js') }),
    // The page inside the editor's preview frame (/preview/): only ever framed by the admin.
    esbuild.build({ ...PREACT_MODULE, entryPoints: [join(ROOT, 'admin', 'preview-frame.ts')], outfile: join(OUT, 'preview', 'frame.js') }),
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await build();
