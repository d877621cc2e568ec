import { afterEach, describe, expect, it, vi } from 'vitest';
import { DecideResponse, type DecisionT } from '../../edge/contract';
import { decisionsIn } from '../../sdk/decide';
import { show, type ShowContext } from '../../sdk/show';
import type { MountOptions } from '../../sdk/widget-api';

const decision = (widget: string, trigger: DecisionT['trigger'] = { type: 'immediate' }, slot?: string): DecisionT => ({
  decision_id: `dec-${widget}-0001`,
  campaign: widget,
  template: widget as DecisionT['template'],
  widget: widget as DecisionT['widget'],
  variant: 'a',
  trigger,
  ...(slot && { slot }),
  props: { copy: { en: { title: 'Hello' } } },
});

describe('decisionsIn', () => {
  it('takes the overlay first, then inline decisions with their slots', () => {
    const response = DecideResponse.parse({ overlay: decision('signup_benefit'), inline: [decision('recommendations', { type: 'immediate' }, 'recs')] });
    expect(decisionsIn(response)).toEqual([
      { decision: response.overlay, slot: null },
      { decision: response.inline[0], slot: 'recs' },
    ]);
  });

  it("fills the slot named like the widget when an inline decision names none", () => {
    expect(decisionsIn({ overlay: null, inline: [decision('recommendations')] })[0]!.slot).toBe('recommendations');
  });

  it('skips anything malformed, and whole answers that are not decisions', () => {
    expect(decisionsIn({ overlay: { widget: 7, decision_id: 'x', trigger: { type: 'immediate' } }, inline: [null, 5, { widget: 'x' }, { widget: 'x', decision_id: 'y' }] })).toEqual([]);
    // A widget name becomes a module URL: nothing but a plain name gets there.
    for (const widget of ['../../evil', 'https://evil.example/x', 'Signup', 'a/b', '']) expect(decisionsIn({ overlay: decision(widget), inline: [] })).toEqual([]);
    for (const answer of [null, 'text', [], { error: { code: 'not_found' } }]) expect(decisionsIn(answer)).toEqual([]);
  });
});

describe('show', () => {
  afterEach(() => vi.useRealTimers());

  function context(modules: Record<string, unknown>, slots: Record<string, unknown> = {}) {
    const tracked: [string, Record<string, unknown>][] = [];
    const loaded: string[] = [];
    let addToCart: (() => void) | undefined;
    // The page's [data-touchpoint] elements.
    const elements = Object.entries(slots).map(([name, element]) => Object.assign(element as object, { dataset: { touchpoint: name } }));
    const ctx: ShowContext = {
      host: { lang: 'en', endpoint: 'https://edge.example', site: 'demo', anonId: 'anon-00000001', userId: null },
      track: (name, props) => tracked.push([name, props]),
      root: { querySelectorAll: () => elements } as unknown as ParentNode,
      view: { start: Date.now(), sessionViews: 1, touch: false, onAddToCart: (listener) => void (addToCart = listener) },
      load: async (url) => {
        loaded.push(url);
        if (!(url in modules)) throw new TypeError(`Failed to fetch dynamically imported module: ${url}`);
        return modules[url];
      },
    };
    return { ctx, tracked, loaded, addToCart: () => addToCart?.() };
  }

  function widgetModule() {
    const mounts: MountOptions[] = [];
    const unmounted: string[] = [];
    return {
      mounts,
      unmounted,
      module: {
        mount(options: MountOptions) {
          mounts.push(options);
          options.host.track('widget_impression', { position: 1 });
          return () => unmounted.push(options.decision.widget);
        },
      },
    };
  }

  it("mounts the decided widget's module with the decision, a host and its slot", async () => {
    const widget = widgetModule();
    const slot = { tagName: 'DIV' };
    const { ctx, tracked, loaded } = context({ 'https://edge.example/widgets/recommendations.js': widget.module }, { recs: slot });
    show([{ decision: decision('recommendations', { type: 'immediate' }, 'recs'), slot: 'recs' }], ctx);
    await vi.waitFor(() => expect(widget.mounts).toHaveLength(1));
    expect(loaded).toEqual(['https://edge.example/widgets/recommendations.js']);
    expect(widget.mounts[0]!.slot).toBe(slot);
    expect(widget.mounts[0]!.host).toMatchObject({ lang: 'en', endpoint: 'https://edge.example', site: 'demo' });
    expect(tracked).toEqual([['widget_impression', { position: 1, decision_id: 'dec-recommendations-0001', widget: 'recommendations', variant: 'a' }]]);
  });

  it('ignores an unknown widget, a module without mount and a slot the page lacks, without error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const widget = widgetModule();
    const { ctx, loaded } = context({ 'https://edge.example/widgets/broken.js': { default: 1 }, 'https://edge.example/widgets/signup_benefit.js': widget.module });
    expect(() =>
      show(
        [
          { decision: decision('no_such_widget'), slot: null },
          { decision: decision('broken'), slot: null },
          { decision: decision('recommendations'), slot: 'missing' },
          { decision: decision('signup_benefit'), slot: null },
        ],
        ctx,
      ),
    ).not.toThrow();
    await vi.waitFor(() => expect(widget.mounts).toHaveLength(1));
    expect(loaded).toEqual(['https://edge.example/widgets/no_such_widget.js', 'https://edge.example/widgets/broken.js', 'https://edge.example/widgets/signup_benefit.js']);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('mounts only when the trigger fires: time on page, add to cart', async () => {
    vi.useFakeTimers();
    const timed = widgetModule();
    const cart = widgetModule();
    const { ctx, addToCart } = context({ 'https://edge.example/widgets/welcome_back.js': timed.module, 'https://edge.example/widgets/cart_reminder.js': cart.module });
    show(
      [
        { decision: decision('welcome_back', { type: 'time_on_page', seconds: 10 }), slot: null },
        { decision: decision('cart_reminder', { type: 'add_to_cart' }), slot: null },
      ],
      ctx,
    );
    await vi.advanceTimersByTimeAsync(9_000);
    expect(timed.mounts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(timed.mounts).toHaveLength(1);
    expect(cart.mounts).toHaveLength(0);
    addToCart();
    await vi.advanceTimersByTimeAsync(0);
    expect(cart.mounts).toHaveLength(1);
  });

  it("shows a page-views trigger only once the session reached the count", async () => {
    const widget = widgetModule();
    const { ctx } = context({ 'https://edge.example/widgets/signup_benefit.js': widget.module });
    show([{ decision: decision('signup_benefit', { type: 'page_views', count: 3 }), slot: null }], ctx);
    show([{ decision: decision('signup_benefit', { type: 'page_views', count: 3 }), slot: null }], { ...ctx, view: { ...ctx.view, sessionViews: 3 } });
    await vi.waitFor(() => expect(widget.mounts).toHaveLength(1));
  });

  it('disarms pending triggers and unmounts shown widgets when the view ends', async () => {
    vi.useFakeTimers();
    const shown = widgetModule();
    const pending = widgetModule();
    const { ctx } = context({ 'https://edge.example/widgets/signup_benefit.js': shown.module, 'https://edge.example/widgets/welcome_back.js': pending.module });
    const end = show(
      [
        { decision: decision('signup_benefit'), slot: null },
        { decision: decision('welcome_back', { type: 'time_on_page', seconds: 5 }), slot: null },
      ],
      ctx,
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(shown.mounts).toHaveLength(1);
    end();
    expect(shown.unmounted).toEqual(['signup_benefit']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(pending.mounts).toHaveLength(0);
  });
});
