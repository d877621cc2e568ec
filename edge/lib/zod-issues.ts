import type { z } from 'zod';

/** `props.items[0].price` — a path as a developer writes it. */
function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    prefix,
  );
}

/** `props.items[0].price: must not be negative` — one line per issue, paths as a developer writes them. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = formatPath(issue.path, prefix);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Every issue with its path, for documents where all errors are shown at once (a config a
 * marketer saves). An unknown key is reported at its own path. */
export function listIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue): ConfigIssue[] => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'is not a known setting', code: 'unknown_key' }));
    const limit = issue.code === 'too_small' ? Number(issue.minimum) : issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    return [{ path: formatPath(issue.path), message: issue.message, code: issue.code, ...(limit !== undefined && Number.isFinite(limit) ? { limit } : {}) }];
  });
}

/** One error of a refused document. `code` (zod's issue code, or `unknown_key`) and `limit` (the
 * bound a too_small / too_big value missed) let the admin word it in the marketer's language;
 * `message` is the English wording for API callers. */
export interface ConfigIssue {
  path: string;
  message: string;
  code: string;
  limit?: number;
}
