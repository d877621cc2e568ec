import type { AppContext } from '../env';
import { ApiError } from './api-error';

/** The request body as JSON, or a 400 that says it is not. */
export async function readJsonBody(c: AppContext): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.');
  }
}
