// Chromium and a stand-in shop for one browser test file: started before its tests, closed after.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium';
import { startShopServer, type ShopServer } from './shop-server';

export interface ShopBrowser {
  browser: Browser;
  shop: ShopServer;
}

/** Call at the top of a test file; read `browser` and `shop` inside tests (set by beforeAll). */
export function useShopBrowser(): ShopBrowser {
  const fixture = {} as ShopBrowser;
  beforeAll(async () => {
    [fixture.browser, fixture.shop] = await Promise.all([launchChromium(), startShopServer()]);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.shop?.close();
  });
  return fixture;
}
