import type { z } from 'zod';

/** `props.items[0].price: must not be negative` — one line per issue, paths as a developer writes them. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
        prefix,
      );
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
