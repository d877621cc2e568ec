import type { Browser } from 'playwright-core';

export declare const BROWSER_ARGS: string[];
export declare const SHOPPER_USER_AGENT: string;
export declare function findChromium(): Promise<{ path: string; source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium' }>;
export declare function launchChromium(options?: { args?: string[] }): Promise<Browser>;
