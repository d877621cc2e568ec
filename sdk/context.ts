/** Where and when a call (or a dataLayer push) was made. */
export interface CallContext {
  url: string;
  ts: number;
}
export const here = (): CallContext => ({ url: location.href, ts: Date.now() });
