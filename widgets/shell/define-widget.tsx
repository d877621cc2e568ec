import { render, type ComponentChildren, type VNode } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { DecisionT } from '../../edge/contract';
import type { MountOptions, WidgetEventName, WidgetHost } from '../../sdk/widget-api';
import { translator, type CopyDefaults, type Lang, type Translate } from './copy';
import { deepActiveElement, trapTab } from './focus';
import { watchImpression } from './impression';
import BASE_CSS from './base.css';
import { themeStyle } from './theme';

/** modal: centred dialog (bottom sheet on small screens); drawer: side panel (bottom sheet on small
 * screens); toast: non-modal corner card that never takes focus; inline: fills the shop's slot. */
export type Placement = 'modal' | 'drawer' | 'toast' | 'inline';

const SHELL_COPY = { ko: { close: '닫기' }, en: { close: 'Close' } };
type ShellKey = keyof (typeof SHELL_COPY)['ko'];

export interface WidgetContext<P, K extends string> {
  /** The decision's props. Treat every field as possibly missing: widgets render defensively. */
  props: Partial<P>;
  decision: DecisionT;
  host: WidgetHost;
  slot: HTMLElement | null;
  lang: Lang;
  t: Translate<K | ShellKey>;
  /** id of the element that names the widget (its heading), for aria-labelledby. */
  titleId: string;
  track(name: WidgetEventName, props?: Record<string, unknown>): void;
  /** Closes the widget; counts as a dismissal unless the shopper completed it first. */
  close(reason: string): void;
  /** The shopper completed the widget (submitted): closing it afterwards is not a dismissal. */
  completed(): void;
  /** For widgets that load data: the content is there, count the impression once it is seen.
   * An empty result calls close('empty') instead. */
  ready(impressionProps?: Record<string, unknown>): void;
}

export interface WidgetSpec<P, K extends string> {
  copy: CopyDefaults<K>;
  css: string;
  placement(props: Partial<P>, slot: HTMLElement | null): Placement;
  /** The view calls ctx.ready() itself once its data has arrived. */
  loadsData?: boolean;
  View(props: { ctx: WidgetContext<P, K> }): VNode | null;
}

let instances = 0;

/** Turns a widget's view into the module's `mount`: shadow-root host, theme, copy, frame
 * (dialog, drawer, toast or inline), impression, dismissal and clean unmount. */
export function defineWidget<P, K extends string>(spec: WidgetSpec<P, K>) {
  return function mount({ decision, host, slot }: MountOptions): () => void {
    const props = (decision.props ?? {}) as Partial<P> & { copy?: unknown; theme?: unknown };
    const placement = spec.placement(props, slot);
    const inline = placement === 'inline' && slot !== null;
    const hostEl = inline ? slot : document.body.appendChild(document.createElement('div'));
    if (!inline) hostEl.setAttribute('data-touchpoint-widget', decision.widget);
    const root = hostEl.shadowRoot ?? hostEl.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = BASE_CSS + spec.css;
    const container = document.createElement('div');
    root.replaceChildren(style, container);

    const modal = placement === 'modal' || placement === 'drawer';
    const restoreFocusTo = modal ? deepActiveElement() : null;
    let done = false;
    let completed = false;
    let stopImpression: (() => void) | undefined;

    const unmount = () => {
      if (done) return;
      done = true;
      stopImpression?.();
      render(null, container);
      if (inline) root.replaceChildren(document.createElement('slot')); // the shop's own content shows again
      else hostEl.remove();
      if (restoreFocusTo instanceof HTMLElement && restoreFocusTo.isConnected) restoreFocusTo.focus({ preventScroll: true });
    };

    const ctx: WidgetContext<P, K> = {
      props,
      decision,
      host,
      slot,
      lang: host.lang === 'en' ? 'en' : 'ko',
      t: translator({ ko: { ...SHELL_COPY.ko, ...spec.copy.ko }, en: { ...SHELL_COPY.en, ...spec.copy.en } }, props.copy, host.lang),
      titleId: `tp-title-${++instances}`,
      track: (name, eventProps) => {
        if (!done) host.track(name, eventProps);
      },
      close(reason) {
        if (done) return;
        if (!completed && reason !== 'empty') host.track('widget_dismiss', { reason });
        unmount();
      },
      completed: () => void (completed = true),
      ready(impressionProps) {
        if (done || stopImpression) return;
        stopImpression = watchImpression(inline ? hostEl : container, inline, () => ctx.track('widget_impression', impressionProps));
      },
    };

    render(
      <div class={`tp tp-${placement}`} style={themeStyle(props.theme)}>
        <Frame placement={inline ? 'inline' : placement === 'inline' ? 'modal' : placement} ctx={ctx} hostEl={hostEl}>
          <spec.View ctx={ctx} />
        </Frame>
      </div>,
      container,
    );
    if (!spec.loadsData) ctx.ready();
    return unmount;
  };
}

/** What a frame needs of the widget's context. */
interface FrameContext {
  titleId: string;
  t(key: ShellKey): string;
  close(reason: string): void;
}

interface FrameProps {
  placement: Placement;
  ctx: FrameContext;
  hostEl: HTMLElement;
  children: ComponentChildren;
}

function Frame({ placement, ctx, hostEl, children }: FrameProps) {
  if (placement === 'inline') return <>{children}</>;
  if (placement === 'toast') {
    return (
      <aside class="tp-panel tp-toast" aria-labelledby={ctx.titleId} onKeyDown={(e) => e.key === 'Escape' && ctx.close('escape')}>
        <CloseButton ctx={ctx} />
        {children}
      </aside>
    );
  }
  return <Dialog placement={placement} ctx={ctx} hostEl={hostEl}>{children}</Dialog>;
}

function CloseButton({ ctx }: { ctx: FrameContext }) {
  return (
    <button type="button" class="tp-close" aria-label={ctx.t('close')} onClick={() => ctx.close('close')}>
      <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
        <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" fill="none" />
      </svg>
    </button>
  );
}

/** A modal: takes focus, keeps Tab inside, closes on Escape and on a click on the backdrop
 * (one that started there: a text selection dragged out of the panel is not a click outside). */
function Dialog({ placement, ctx, hostEl, children }: FrameProps) {
  const panel = useRef<HTMLDivElement>(null);
  const downOnBackdrop = useRef(false);
  // Layout effect: focus moves in the same task as the mount, before any key can reach the page.
  useLayoutEffect(() => {
    const el = panel.current!;
    el.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        ctx.close('escape');
      } else trapTab(e, el);
    };
    // Focus that lands outside (a script, an assistive tool) is brought back.
    const onFocusIn = (e: FocusEvent) => {
      if (e.target !== hostEl && !hostEl.contains(e.target as Node)) el.focus({ preventScroll: true });
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, []);
  return (
    <div
      class="tp-backdrop"
      onPointerDown={(e) => (downOnBackdrop.current = e.target === e.currentTarget)}
      onClick={(e) => {
        if (e.target === e.currentTarget && downOnBackdrop.current) ctx.close('backdrop');
      }}
    >
      <div ref={panel} class={`tp-panel tp-${placement}-panel`} role="dialog" aria-modal="true" aria-labelledby={ctx.titleId} tabIndex={-1}>
        <CloseButton ctx={ctx} />
        {children}
      </div>
    </div>
  );
}

/** The thank-you state. With `headingId` its title becomes the dialog's heading (it replaced the form). */
export function Done({ title, body, button, headingId, onClose }: { title: string; body: string; button: string; headingId?: string; onClose(): void }) {
  return (
    <div class="tp-done" role="status">
      {headingId ? <h2 id={headingId} class="tp-title">{title}</h2> : <p class="tp-done-title">{title}</p>}
      <p class="tp-body">{body}</p>
      <div class="tp-actions">
        <button type="button" class="tp-button" onClick={onClose}>{button}</button>
      </div>
    </div>
  );
}
