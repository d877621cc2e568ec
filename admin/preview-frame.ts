// The page inside the admin's preview frame (/preview/): mounts the widget the admin posts to it,
// with the real widget module, in a document of its own. Its own document means its own viewport
// (a 390 px frame shows the phone layout, bottom sheets included) and its own listeners: a modal's
// focus trap stays in here and never takes the keyboard from the editor. The body is inert: a
// preview is looked at, not used, so Tab passes over it.
import type { DecisionT } from '../edge/contract';
import type { WidgetModule } from '../sdk/widget-api';

export interface PreviewMessage {
  kind: 'touchpoint-preview';
  site: string;
  lang: 'ko' | 'en';
  inline: boolean;
  decision: DecisionT;
}

const isPreview = (data: unknown): data is PreviewMessage => typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'touchpoint-preview';

let unmount: (() => void) | undefined;
let latest = 0;

document.body.inert = true;

addEventListener('message', async (event: MessageEvent) => {
  // Only the admin, on this origin, drives the frame.
  if (event.origin !== location.origin || !isPreview(event.data)) return;
  const message = event.data;
  const ticket = ++latest;
  const module = (await import(/* @vite-ignore */ `${location.origin}/widgets/${message.decision.template}.js`).catch(() => null)) as WidgetModule | null;
  if (ticket !== latest || !module) return;
  unmount?.();
  const slot = document.getElementById('slot')!;
  slot.replaceChildren();
  unmount = module.mount({
    decision: message.decision,
    host: { track: () => {}, lang: message.lang, endpoint: location.origin, site: message.site, anonId: 'admin-preview', userId: null },
    slot: message.inline ? slot : null,
  });
  document.documentElement.dataset.mounted = message.decision.template;
});

// The admin waits for this before its first message.
parent.postMessage({ kind: 'touchpoint-preview-ready' }, location.origin);
