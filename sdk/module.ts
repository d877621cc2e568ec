/** The ES module for bundler users: `import { init, track } from 'touchpoint'`. Same API as the
 * script tag's global; init({site, endpoint}) is required since there is no script to read. */
import { createTouchpoint } from './api';

export type { ConsentMode, ConsentState, ConsentUpdate, InitOptions, Item, PageProps, TouchpointApi, TrackProps } from './types';
export type { Cart, CartItem } from './cart';
export type { WidgetHost, WidgetModule, MountOptions } from './widget-api';

const { touchpoint } = createTouchpoint();

export const { init, track, page, identify, reset, consent, decide } = touchpoint;
export default touchpoint;
