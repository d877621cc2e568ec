/** One shop's tracker: identity, consent, page views, e-commerce, the outbox and decisions,
 * wired to the page's lifecycle. Calls take their context (page and time) so replayed calls keep
 * it. Nothing here touches synchronous storage on the way to a page view: calls become steps
 * applied to the stored visitor in one IndexedDB transaction, a microtask later. */
import { pageHints } from './page-hints';
import type { DecideRequestT, TrackedEvent } from '../edge/contract';
import { CART_KEY, updateCart } from './cart';
import { consentChanged, consentState, mergeChoice } from './consent';
import { watchDataLayer } from './datalayer';
import { requestDecisions, slotNames, widgetUrl } from './decide';
import { newId } from './ids';
import { nextSession, visitor, type Visitor } from './identity';
import { browserKv, parse } from './kv';
import { viewKey, watchNavigation } from './navigation';
import { BATCH_DELAY_MS, createOutbox } from './outbox';
import { guard, report } from './report';
import { outboxStore } from './store';
import type { ConsentMode, ConsentState, ConsentUpdate, PageProps } from './types';

import { here, type CallContext } from './context';
export { here, type CallContext };

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
/** One call's effect on the visitor, and the events it creates. Re-runnable: ids are minted before. */
type Step = (visitor: Visitor, events: TrackedEvent[]) => void;

interface View {
  key: string;
  url: string;
  start: number;
  referrer: string;
  props: PageProps;
  /** The product of a view_item tracked during this view. */
  item?: unknown;
  decided?: boolean;
}

const EVENT_NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** A copy of the consent choice where it can be read synchronously (the record lives with the visitor). */
const CONSENT_KEY = 'tp_consent';

const clip = (text: string, max: number) => text.slice(0, max);

export function createTracker({ site, endpoint, consentMode, autoPageViews, dataLayer }: Settings): Tracker {
  const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  const store = outboxStore(site);
  const kv = browserKv();
  /** The visitor as of this tab's last commit (every tab's changes included), and consent as this tab last set it. */
  let known: Visitor | undefined;
  let choice: Visitor['consent'];
  /** consent() calls so far: a commit that started before the latest one must not undo it. */
  let consentCalls = 0;
  /** The page's Consent Mode default, if the dataLayer gave one. */
  let gcmDefault: ConsentUpdate | undefined;
  const stateOf = (stored: Visitor['consent']) => consentState(consentMode, stored, gpc, gcmDefault);
  const consentNow = () => {
    // Asked before the visitor record was read: the choice's synchronous copy answers.
    if (!known && !choice) choice = parse(kv.get(CONSENT_KEY));
    return stateOf(choice);
  };
  const outbox = createOutbox({ site, endpoint, store, analytics: () => consentNow().analytics });

  let queued: Step[] = [];
  let committing: Step[] = [];
  let commits: Promise<unknown> = Promise.resolve();
  const apply = (steps: Step[], stored: Visitor | undefined) => {
    const result = { visitor: visitor(stored), events: [] as TrackedEvent[] };
    steps.forEach((step) => guard(step)(result.visitor, result.events));
    return result;
  };
  /** Queues a step; resolves once it is stored (with the steps queued in the same task). */
  const enqueue = (step: Step): Promise<unknown> => {
    if (queued.push(step) == 1) {
      commits = commits
        .then(async () => {
          committing = queued;
          queued = [];
          const calls = consentCalls;
          const result = await store.commit((stored) => apply(committing, stored));
          committing = [];
          known = result.visitor;
          if (calls == consentCalls) choice = known.consent;
          outbox.added(result.events);
        })
        .catch(report);
    }
    return commits;
  };

  let view: View | null = null;
  /** Ends the current view's widgets. */
  let endWidgets = () => {};
  let cartListeners: (() => void)[] = [];
  /** Only the latest decide request of the current view may show anything. */
  let round = 0;
  const endView = () => {
    round++;
    endWidgets();
    endWidgets = () => {};
    cartListeners = [];
  };

  /** The step that records one event (unless consent was refused). */
  const record = (name: string, props: Props, context: CallContext, id = newId()): Step => (visitor, events) => {
    const consent = stateOf(visitor.consent);
    // Refused: nothing is recorded. Undecided on an opt-in site: recorded, held in the outbox.
    if (name != 'consent_update' && !consent.analytics && consent.decided) return;
    visitor.session = nextSession(visitor.session, context.ts, name == 'page_view');
    // One count per browser, kept with the visitor, so every tab and every reload continues it (-~n is n + 1, and 1 for none).
    const event: TrackedEvent = { id, name, ts: context.ts, anon_id: visitor.anon, session_id: visitor.session.id, seq: (visitor.seq = -~(visitor.seq as number)), url: clip(context.url, 2048), props };
    if (visitor.user) event.user_id = visitor.user;
    if (visitor.hash) event.user_hash = visitor.hash;
    events.push(event);
  };

  function track(name: unknown, props: unknown, context: CallContext): Promise<unknown> | void {
    if (typeof name != 'string' || !EVENT_NAME.test(name)) return report(`bad event name "${name}"`);
    // A copy: the page may change its object later, and IndexedDB cannot store functions.
    const data = JSON.parse(JSON.stringify(props ?? {})) as Props;
    if (data?.constructor != Object) return report(`track("${name}"): props must be an object`);
    if (/_(to|from)_cart$|^purchase$/.test(name)) guard(updateCart)(kv, name, data, context.ts);
    if (name == 'add_to_cart') cartListeners.forEach((listener) => listener());
    if (name == 'view_item' && view) view.item = (data.items as Props[] | undefined)?.[0]?.item_id;
    return enqueue(record(name, data, context));
  }

  /** A page view, at most one per view (URL); SPA navigations and bfcache restores start new views. */
  function page(props: unknown, unused: unknown, context: CallContext): void {
    const key = viewKey(context.url);
    if (view?.key == key) return;
    const referrer = clip(view ? view.url : document.referrer, 2048);
    endView();
    view = { key, url: context.url, start: context.ts, referrer, props: { ...pageHints(), ...(props && typeof props == 'object' ? props : {}) } as PageProps };
    // Asked in the continuation of the commit that stored the view: a timer task of its own cost the
    // page ~0.8 ms more main thread (bench:sdk-main-thread, unthrottled).
    void track('page_view', { title: clip(document.title, 500), ...(referrer && { referrer }), ...view.props }, context)?.then(guard(decide));
  }

  /** Asks the edge for this view's prompts; the code that shows them loads only if there are any. */
  function decide(): void {
    const current = view;
    const consent = consentNow();
    if (!current || !known?.session || !consent.analytics) return;
    current.decided = true;
    endView();
    const mine = round;
    const { anon, user, hash, session } = known;
    const slots = slotNames();
    const lang = document.documentElement.lang;
    const item = current.props.item_id ?? current.item;
    const request: DecideRequestT = {
      site,
      anon_id: anon,
      session_id: session.id,
      page: {
        url: clip(current.url, 2048),
        type: current.props.page_type ?? (item ? 'product' : undefined),
        referrer: current.referrer || undefined,
        lang: clip(lang, 16) || undefined,
        slots,
        item_id: typeof item == 'string' ? item : undefined,
      },
      consent: { analytics: consent.analytics, marketing: consent.marketing },
      // No device: the edge reads it from the request's User-Agent (edge/decide/request-context.ts).
      session_page_views: session.views,
    };
    if (user) request.user_id = user;
    if (hash) request.user_hash = hash;
    void requestDecisions(endpoint, request).then((decided) => {
      if (!decided[0]) return;
      // The widget modules load while sdk-show.js does, not after it: an immediate trigger fires as soon as it is there.
      decided.forEach(({ decision }) => import(/* webpackIgnore: true */ /* @vite-ignore */ widgetUrl(endpoint, decision.widget)).catch(() => {}));
      // Loaded from the edge at run time, for the script tag and bundler users alike.
      void import(/* webpackIgnore: true */ /* @vite-ignore */ `${endpoint}/sdk-show.js`).then(
        guard((runtime: typeof import('./show')) => {
          if (round != mine) return;
          endWidgets = runtime.show(decided, {
            host: { endpoint, site, anonId: anon, userId: user ?? null, userHash: hash ?? null },
            track: (name, props) => track(name, props, here()),
            view: { start: current.start, sessionViews: session.views, onAddToCart: (listener) => cartListeners.push(listener) },
          });
        }),
        report,
      );
    });
  }

  function consent(update: unknown, unused: unknown, context: CallContext): ConsentState {
    if (!update) return consentNow();
    const changes = update as ConsentUpdate;
    consentCalls++;
    choice = mergeChoice(consentNow(), changes);
    kv.set(CONSENT_KEY, JSON.stringify(choice));
    const state = consentNow();
    const recordId = newId();
    void enqueue((visitor, events) => {
      const before = stateOf(visitor.consent);
      visitor.consent = mergeChoice(before, changes);
      const after = stateOf(visitor.consent);
      if (consentChanged(before, after)) record('consent_update', { analytics: after.analytics, marketing: after.marketing }, context, recordId)(visitor, events);
    }).then(() => {
      if (!state.analytics) outbox.discard();
      else {
        outbox.schedule(0);
        if (!view?.decided) decide();
      }
    });
    return state;
  }

  return {
    start() {
      const on = (target: EventTarget, type: string, listener: (event: Event) => unknown) => target.addEventListener(type, guard(listener));
      on(document, 'visibilitychange', () => document.visibilityState == 'hidden' && outbox.schedule(0));
      // Events still on their way to the store go too, built from the visitor as last known.
      on(window, 'pagehide', () => outbox.beacon(known ? apply([...committing, ...queued], known).events : []));
      on(window, 'online', outbox.resume);
      const pageNow = () => page(0, 0, here());
      const begin = () => {
        if (!autoPageViews) return;
        pageNow();
        // A task later, so a router's title change, or its own page() call with props, lands first.
        watchNavigation(
          () => setTimeout(guard(pageNow)),
          () => {
            view = null;
            pageNow();
            outbox.resume();
          },
        );
      };
      // The first page view comes after the Consent Mode commands already in the dataLayer and before its e-commerce.
      if (dataLayer)
        watchDataLayer(
          dataLayer,
          endpoint,
          (name, props, context, isDefault) =>
            name != 'consent' ? track(name, props, context) : isDefault ? (gcmDefault = props) : consent(props, 0, context),
          begin,
        );
      else begin();
      // What earlier pages left in the outbox: the page view's commit counts it; without one, look.
      if (!autoPageViews) outbox.schedule(BATCH_DELAY_MS);
    },
    track,
    page,
    identify(userId, traits, context) {
      if (typeof userId != 'string' || !userId || userId.length > 128) return report('identify() needs a user id (1-128 characters)');
      const props = JSON.parse(JSON.stringify(traits ?? {}));
      // The shop server's proof of the id goes with every event and decide request, never as a trait.
      const hash = props.user_hash;
      delete props.user_hash;
      const identified = record('identify', props, context);
      // The identify event links this browser's anonymous history to the member on the edge.
      void enqueue((visitor, events) => {
        const changed = visitor.user != userId;
        visitor.user = userId;
        if (changed || hash) visitor.hash = typeof hash == 'string' ? hash : undefined;
        if (changed || traits) identified(visitor, events);
      });
    },
    reset() {
      void enqueue((visitor) => {
        visitor.anon = newId();
        delete visitor.user;
        delete visitor.hash;
        delete visitor.session;
      });
      kv.set(CART_KEY, null);
    },
    consent,
    decide,
  };
}
