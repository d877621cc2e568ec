/** The public surface of the SDK: what `touchpoint(...)` and the ES module accept and return. */
import type { EventProps, ItemT, KnownEventName, PageTypeT } from '../edge/contract';

export type ConsentMode = 'opt-in' | 'opt-out';

export interface ConsentState {
  necessary: true;
  analytics: boolean;
  marketing: boolean;
  mode: ConsentMode;
  /** Whether the shopper made a choice (else the site mode's default applies). */
  decided: boolean;
  /** Global Privacy Control is on: marketing stays denied. */
  gpc: boolean;
}

export interface ConsentUpdate {
  analytics?: boolean;
  marketing?: boolean;
}

export interface InitOptions {
  site: string;
  /** The edge serving /v1/*; defaults to the origin the SDK script was loaded from. */
  endpoint?: string;
  /** How the site asks for consent (default `opt-out`). */
  consentMode?: ConsentMode;
  /** Track a page view on load and on each single-page-app navigation (default true). */
  autoPageViews?: boolean;
  /** Pick up GA4 e-commerce pushes from this dataLayer array (default `dataLayer`; false: off). */
  dataLayer?: string | false;
}

/** Props of `track(name, props)`: the contract's shape for known GA4 and Touchpoint events,
 * free-form for a shop's own event names. */
export type TrackProps<N extends string> = N extends KnownEventName ? EventProps<N> : Record<string, unknown>;

export interface PageProps {
  page_type?: PageTypeT;
  title?: string;
  /** The product shown on a product page (used by recommendations and nudges). */
  item_id?: string;
  [key: string]: unknown;
}

export type Item = ItemT;

export interface TouchpointApi {
  init(options: InitOptions): void;
  track<N extends string>(name: N, props?: TrackProps<N>): void;
  page(props?: PageProps): void;
  /** Links this browser's history to a member. On a site with an identity secret, pass
   * `traits.user_hash`: HMAC-SHA256 of `userId` under the secret, computed by the shop's server
   * (it is sent with events and decide requests, never stored as a trait). */
  identify(userId: string, traits?: Record<string, unknown> & { user_hash?: string }): void;
  reset(): void;
  consent(update?: ConsentUpdate): ConsentState | undefined;
  decide(): void;
}
