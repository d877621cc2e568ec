// Chromium driven over the DevTools protocol with nothing switched on that the benchmark does not
// ask for. Playwright (and Puppeteer) enable the Network domain on every page, and with it Chromium
// captures a JavaScript stack for each request the page makes: time a shopper's browser never spends,
// and more of it the bigger the script that calls fetch(). The main-thread benchmark measures
// script time, so it drives the browser itself: one pipe, one JSON message per NUL byte.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_ARGS, findChromium } from '../../scripts/lib/browser.mjs';

/** Starts headless Chromium; `newPage()` opens a tab in a fresh browser context (a first visit). */
export async function launchBareChromium() {
  const { path } = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'touchpoint-bare-chromium-'));
  const child = spawn(path, [...BROWSER_ARGS, '--headless=new', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const toBrowser = child.stdio[3];
  const fromBrowser = child.stdio[4];
  let lastId = 0;
  const pending = new Map();
  const listeners = new Set();
  let buffer = '';
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\0'); end >= 0; end = buffer.indexOf('\0')) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      const waiter = pending.get(message.id);
      if (waiter) {
        pending.delete(message.id);
        if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
        else waiter.resolve(message.result);
      } else listeners.forEach((listener) => listener(message));
    }
  });
  exited.then((code) => pending.forEach(({ reject }) => reject(new Error(`Chromium exited (${code}): ${stderr.trim().split('\n').pop()}`))));

  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      pending.set(id, { resolve, reject, method });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }) + '\0');
    });
  const next = (sessionId, method) =>
    new Promise((resolve) => {
      const listener = (message) => {
        if (message.sessionId !== sessionId || message.method !== method) return;
        listeners.delete(listener);
        resolve(message.params);
      };
      listeners.add(listener);
    });

  return {
    async newPage() {
      const { browserContextId } = await send('Target.createBrowserContext', { disposeOnDetach: true });
      const { targetId } = await send('Target.createTarget', { url: 'about:blank', browserContextId });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      return {
        send: (method, params) => send(method, params, sessionId),
        /** Resolves with the params of the page's next event of that name. */
        next: (method) => next(sessionId, method),
        /** The value of a page expression (awaited when it is a promise). */
        async evaluate(expression) {
          const { result, exceptionDetails } = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
          if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
          return result.value;
        },
        close: () => send('Target.disposeBrowserContext', { browserContextId }),
      };
    },
    async close() {
      child.kill();
      await exited;
      // Chromium's helper processes may still be writing into the profile just after the browser exits.
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
