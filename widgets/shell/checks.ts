/** A URL from config, catalogue or events, if it is absolute http(s); anything else (javascript:,
 * data:, relative paths, junk) is dropped, so it never reaches an href or a src. */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
