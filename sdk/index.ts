/** sdk.js, the script a shop embeds:
 *   <script async src="https://EDGE/sdk.js" data-site="SITE_ID"></script>
 * or first-party, from the shop's own domain under a prefix it picked (README, First-party serving):
 *   <script async src="/px/sdk.js" data-site="SITE_ID"></script>
 * Reads its settings from the script tag's data-* attributes, replaces the stub and replays
 * the calls queued on it. */
import { createTouchpoint } from './api';
import { replay, type StubCall } from './stub';

type Stub = { q?: ArrayLike<StubCall> | { push(entry: StubCall): void }; loaded?: boolean };
const w = window as unknown as { touchpoint?: Stub };
const stub = w.touchpoint;

if (!stub?.loaded) {
  const script = (document.currentScript ?? document.querySelector('script[data-site]')) as HTMLScriptElement | null;
  // Where the script came from is the endpoint, prefix included: a shop serving it first-party
  // (https://shop.example/px/sdk.js) has every request go to https://shop.example/px/….
  const { touchpoint, call } = createTouchpoint(script?.src ? new URL('.', script.src).href : undefined);
  w.touchpoint = touchpoint as unknown as Stub;
  const data = script?.dataset ?? {};
  if (data.site) {
    call('init', [
      {
        site: data.site,
        endpoint: data.endpoint,
        consentMode: data.consentMode,
        autoPageViews: data.autoPageViews != 'false',
        dataLayer: data.datalayer == 'false' ? false : data.datalayer,
      },
    ]);
  }
  replay(stub?.q as ArrayLike<StubCall> | undefined, call);
  // Code that kept a reference to the stub still reaches the SDK.
  if (stub) stub.q = { push: (entry: StubCall) => replay([entry], call) };
}
