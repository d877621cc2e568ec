import { bodyLimit } from 'hono/body-limit';
import { errorBody } from './api-error';

/** Reads at most `maxSize` bytes of a body (declared or streamed) and answers 413 past it. */
export const limitBody = (maxSize: number, hint = '') =>
  bodyLimit({ maxSize, onError: (c) => c.json(errorBody('body_too_large', `The body is over ${maxSize} bytes.${hint ? ` ${hint}` : ''}`), 413) });

/** Settings bodies (site, webhooks, rollback) are a few hundred bytes. */
export const SETTINGS_BODY_BYTES = 16 * 1024;
/** The ceiling for any route without its own limit: the largest one (a catalogue page). */
export const ANY_BODY_BYTES = 2 * 1024 * 1024;
