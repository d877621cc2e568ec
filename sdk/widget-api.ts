/** The contract between the SDK and a widget module (/widgets/<name>.js). Types only: the SDK
 * imports a widget module lazily with import() and calls its `mount`. */
import type { DecisionT } from '../edge/contract';

export type WidgetEventName = 'widget_impression' | 'widget_click' | 'widget_dismiss' | 'widget_submit' | 'lead_submit' | 'review_submit' | 'survey_answer';

export interface WidgetHost {
  /** Tracks an event through the SDK's outbox (decision_id, widget and variant are added). */
  track(name: WidgetEventName, props?: Record<string, unknown>): void;
  /** `ko` or `en`: from the page's `lang`, falling back to the browser's language. */
  lang: 'ko' | 'en';
  /** The edge the SDK talks to (for /v1/recommendations and assets). */
  endpoint: string;
  site: string;
  anonId: string;
  userId: string | null;
  /** The shop server's proof of `userId`, for requests that read the member's history. */
  userHash?: string | null;
  /** Item ids in the shopper's cart as the page last reported them, if the SDK knows; the
   * recommendations widget passes them so the cart is never recommended back. */
  cart?: readonly string[];
}

export interface MountOptions {
  decision: DecisionT;
  host: WidgetHost;
  /** For inline decisions: the shop's `data-touchpoint` element. Overlays mount in their own host element. */
  slot: HTMLElement | null;
}

export interface WidgetModule {
  /** Renders the widget; returns a function that removes it. */
  mount(options: MountOptions): () => void;
}
