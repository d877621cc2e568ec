/** One shop's tracker: identity, consent, page views, e-commerce, the outbox and decisions,
 * wired to the page's lifecycle. Methods take the call's context so replayed calls keep it. */
import type { DecideRequestT, TrackedEvent } from '../edge/contract';
import { updateCart } from './cart';
import { mergeChoice, readConsent } from './consent';
import { watchDataLayer } from './datalayer';
import { requestDecisions, slotElements } from './decide';
import { newId } from './ids';
import { anonId, KEYS, resetIdentity, touchSession, userId } from './identity';
import { browserKv } from './kv';
import { viewKey, watchNavigation } from './navigation';
import { BATCH_DELAY_MS, createOutbox } from './outbox';
import { guard, report } from './report';
import { outboxStore } from './store';
import type { ConsentMode, ConsentState, ConsentUpdate, PageProps } from './types';

/** Where and when a call was made. */
export interface CallContext {
  url: string;
  ts: number;
}
export const here = (): CallContext => ({ url: location.href, ts: Date.now() });

export interface Settings {
  site: string;
  endpoint: string;
  consentMode: ConsentMode;
  autoPageViews: boolean;
  dataLayer: string | false;
}

/** The public methods with the call's arguments as given (checked here) and its context. */
export interface Tracker {
  start(): void;
  track(name: unknown, props: unknown, context: CallContext): void;
  page(props: unknown, unused: unknown, context: CallContext): void;
  identify(userId: unknown, traits: unknown, context: CallContext): void;
  reset(): void;
  consent(update: unknown, unused: unknown, context: CallContext): ConsentState;
  decide(): void;
}

type Props = Record<string, unknown>;

interface View {
  key: string;
  url: string;
  start: number;
  props: PageProps;
  /** The product of a view_item tracked during this view. */
  item?: unknown;
  decided?: boolean;
}

const EVENT_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const clip = (text: string, max: number) => text.slice(0, max);

export function createTracker({ site, endpoint, consentMode, autoPageViews, dataLayer }: Settings): Tracker {
  const kv = browserKv();
  const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  const consentNow = () => readConsent(kv, consentMode, gpc);
  const outbox = createOutbox({ site, endpoint, store: outboxStore(site), analytics: () => consentNow().analytics });
  let view: View | null = null;
  /** Disarm the triggers and unmount the widgets of the current view. */
  let cleanups: (() => void)[] = [];
  let cartListeners: (() => void)[] = [];
  /** Only the latest decide request of the current view may show anything. */
  let round = 0;

  const endView = () => {
    round++;
    cleanups.splice(0).forEach((cleanup) => guard(cleanup)());
    cartListeners = [];
  };

  function track(name: unknown, props: unknown, context: CallContext): void {
    if (typeof name != 'string' || !EVENT_NAME.test(name)) return report(`bad event name "${name}"`);
    // A copy: the page may change its object later, and IndexedDB cannot store functions.
    const data = JSON.parse(JSON.stringify(props ?? {})) as Props;
    if (data?.constructor != Object) return report(`track("${name}"): props must be an object`);
    guard(updateCart)(kv, name, data, context.ts);
    if (name == 'add_to_cart') cartListeners.forEach((listener) => listener());
    if (name == 'view_item' && view) view.item = (data.items as Props[] | undefined)?.[0]?.item_id;

    const consent = consentNow();
    // Refused: nothing is recorded. Undecided on an opt-in site: recorded, held in the outbox.
    if (name != 'consent_update' && !consent.analytics && consent.decided) return;
    const user = userId(kv);
    const event: TrackedEvent = {
      id: newId(),
      name,
      ts: context.ts,
      anon_id: anonId(kv),
      session_id: touchSession(kv, context.ts, name == 'page_view').id,
      url: clip(context.url, 2048),
      props: data,
    };
    if (user) event.user_id = user;
    outbox.add(event);
  }

  /** A page view, at most one per view (URL); SPA navigations and bfcache restores start new views. */
  function page(props: unknown, unused: unknown, context: CallContext): void {
    const key = viewKey(context.url);
    if (view?.key == key) return;
    const referrer = view ? view.url : document.referrer;
    endView();
    view = { key, url: context.url, start: context.ts, props: (props && typeof props == 'object' ? props : {}) as PageProps };
    track('page_view', { title: clip(document.title, 500), ...(referrer && { referrer: clip(referrer, 2048) }), ...view.props }, context);
    setTimeout(guard(decide));
  }

  /** Asks the edge for this view's prompts, then loads each decided widget and arms its trigger. */
  function decide(): void {
    const current = view;
    const consent = consentNow();
    if (!current || !consent.analytics) return;
    current.decided = true;
    endView();
    const mine = round;
    const slots = slotElements();
    const session = touchSession(kv, Date.now());
    const lang = document.documentElement.lang;
    const ua = navigator.userAgent;
    const item = current.props.item_id ?? current.item;
    const request: DecideRequestT = {
      site,
      anon_id: anonId(kv),
      session_id: session.id,
      page: {
        url: clip(current.url, 2048),
        type: current.props.page_type ?? (item ? 'product' : undefined),
        referrer: clip(document.referrer, 2048) || undefined,
        lang: clip(lang, 16) || undefined,
        slots: [...slots.keys()],
        item_id: typeof item == 'string' ? item : undefined,
      },
      consent: { analytics: consent.analytics, marketing: consent.marketing },
      device: /Mobi/.test(ua) ? 'mobile' : /iPad|Tablet|Android/.test(ua) ? 'tablet' : 'desktop',
      session_page_views: session.views,
    };
    const user = userId(kv);
    if (user) request.user_id = user;
    void requestDecisions(endpoint, request).then((decided) => {
      if (!decided[0]) return;
      // The code that shows widgets loads only once there is one to show.
      void import(`${endpoint}/sdk-show.js`).then(
        guard((runtime: typeof import('./show')) => {
          if (round != mine) return;
          cleanups.push(
            runtime.show(decided, {
              host: { lang: /^ko/i.test(lang || navigator.language) ? 'ko' : 'en', endpoint, site, anonId: request.anon_id, userId: user },
              track: (name, props) => track(name, props, here()),
              slots,
              view: { start: current.start, sessionViews: session.views, touch: matchMedia('(hover: none)').matches, onAddToCart: (listener) => cartListeners.push(listener) },
            }),
          );
        }),
        report,
      );
    });
  }

  return {
    start() {
      const on = (target: EventTarget, type: string, listener: (event: Event) => unknown) => target.addEventListener(type, guard(listener));
      on(document, 'visibilitychange', () => document.visibilityState == 'hidden' && outbox.schedule(0));
      on(window, 'pagehide', outbox.beacon);
      on(window, 'online', outbox.resume);
      if (autoPageViews) {
        page(0, 0, here());
        // A task later, so a router's title change, or its own page() call with props, lands first.
        watchNavigation(
          () => setTimeout(guard(() => page(0, 0, here()))),
          () => {
            view = null;
            page(0, 0, here());
            outbox.resume();
          },
        );
      }
      if (dataLayer) watchDataLayer(dataLayer, (name, props) => track(name, props, here()));
      // What earlier pages left in the outbox.
      outbox.schedule(BATCH_DELAY_MS);
    },
    track,
    page,
    identify(id, traits, context) {
      if (typeof id != 'string' || !id || id.length > 128) return report('identify() needs a user id of 1 to 128 characters');
      const changed = userId(kv) != id;
      kv.set(KEYS.user, id);
      // The identify event links this browser's anonymous history to the member on the edge.
      if (changed || traits) track('identify', traits, context);
    },
    reset() {
      resetIdentity(kv);
    },
    consent(update, unused, context) {
      const before = consentNow();
      if (!update) return before;
      kv.set(KEYS.consent, JSON.stringify(mergeChoice(before, update as ConsentUpdate)));
      const state = consentNow();
      if (!before.decided || before.analytics != state.analytics || before.marketing != state.marketing) {
        track('consent_update', { analytics: state.analytics, marketing: state.marketing }, context);
      }
      if (!state.analytics) outbox.discard();
      else {
        outbox.schedule(0);
        if (!view?.decided) decide();
      }
      return state;
    },
    decide,
  };
}
