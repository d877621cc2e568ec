import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppContext } from '../env';

/** Thrown anywhere in a request; the app's error handler turns it into `{error:{code,message}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function respondWithError(c: AppContext, err: unknown): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message), err.status, err.headers);
  }
  // Internals stay in the log; the client gets a retryable, detail-free answer.
  console.error('unhandled error', err);
  return c.json(errorBody('internal', 'Something went wrong on our side. The request can be retried.'), 500);
}
