// One way to start Chromium for the browser tests and the benchmarks, on any Linux x64 machine with
// only Node and npm: CHROMIUM_PATH when set, else a system Chromium/Chrome on the usual paths, else
// the Chromium that arrives inside the `@sparticuz/chromium` devDependency. A Korean font comes
// from npm too (`@expo-google-fonts/nanum-gothic`), handed to Chromium through its own fontconfig
// file, so screenshots of Korean copy stay legible on a machine without Korean system fonts.
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

/** A desktop Chrome's User-Agent: what the test browser presents instead of HeadlessChrome's. */
export const SHOPPER_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-zygote',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Tests and benchmarks stand in for shoppers: a browser that says it is automated (navigator.webdriver,
  // a HeadlessChrome User-Agent) is bot traffic to the collector's traffic filter and kept out of
  // profiles and reports. Tests of that filter give their pages a bot's signals on purpose.
  '--disable-blink-features=AutomationControlled',
  `--user-agent=${SHOPPER_USER_AGENT}`,
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function systemChromium() {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((dir) => SYSTEM_NAMES.map((name) => join(dir, name)));
  return [...SYSTEM_PATHS, ...onPath].find(executable) ?? null;
}

/** Where the browser comes from: `{ path, source }`, or an Error whose message says what to do. */
export async function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (executable(fromEnv)) return { path: fromEnv, source: 'CHROMIUM_PATH' };
    throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file: point it at a Chromium or Chrome binary, or unset it.`);
  }
  const system = systemChromium();
  if (system) return { path: system, source: 'system' };
  let packaged;
  try {
    packaged = (await import('@sparticuz/chromium')).default;
  } catch {
    throw new Error('No Chromium found: run `npm install` (it brings @sparticuz/chromium), install a system Chromium, or set CHROMIUM_PATH.');
  }
  try {
    return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
  } catch (error) {
    throw new Error(`@sparticuz/chromium could not unpack its browser (${error.message}): free space in ${tmpdir()}, install a system Chromium, or set CHROMIUM_PATH.`);
  }
}

/** A fontconfig file: the system's fonts plus the Korean font from npm. Null when the font is not installed. */
function koreanFontConfig() {
  let fontDir;
  try {
    fontDir = dirname(require.resolve('@expo-google-fonts/nanum-gothic/400Regular/NanumGothic_400Regular.ttf'));
  } catch {
    return null;
  }
  const bold = join(fontDir, '..', '700Bold');
  const dir = join(tmpdir(), 'touchpoint-fontconfig');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'fonts.conf');
  const dirs = [fontDir, ...(existsSync(bold) ? [bold] : [])].map((d) => `  <dir>${d}</dir>`).join('\n');
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n${dirs}\n  <cachedir>${join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  return file;
}

let found;

/**
 * Launches headless Chromium with playwright-core. Fails at once, with one line saying what to set
 * or install, when no browser can be started.
 * @param {{ args?: string[] }} [options]
 */
export async function launchChromium(options = {}) {
  found ??= findChromium();
  const { path, source } = await found;
  const fonts = koreanFontConfig();
  try {
    return await chromium.launch({
      executablePath: path,
      headless: true,
      args: [...BROWSER_ARGS, ...(options.args ?? [])],
      env: { ...process.env, ...(fonts ? { FONTCONFIG_FILE: fonts } : {}) },
      timeout: 30_000,
    });
  } catch (error) {
    const first = String(error?.message ?? error).split('\n')[0];
    throw new Error(`Chromium (${source}: ${path}) did not start: ${first}. Set CHROMIUM_PATH to a working Chromium, or run \`npm install\` again.`);
  }
}
