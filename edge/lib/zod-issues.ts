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
export function listIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'is not a known setting' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}
