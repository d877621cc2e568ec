/** Whether a browser Origin is covered by one of a site's allowed-origin patterns:
 * exact, `https://*.shop.example` (subdomains, not the apex) or `http://localhost:*` (any port). */
export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const scheme = url.protocol;
  const host = url.hostname.toLowerCase();
  const port = url.port;
  return patterns.some((pattern) => {
    const match = /^(https?:)\/\/(\*\.)?([^:/]+)(?::(\d+|\*))?$/i.exec(pattern);
    if (!match) return false;
    const [, pScheme, wildcard, pHost, pPort] = match;
    if (pScheme!.toLowerCase() !== scheme) return false;
    const hostOk = wildcard ? host.endsWith(`.${pHost!.toLowerCase()}`) : host === pHost!.toLowerCase();
    if (!hostOk) return false;
    if (pPort === '*') return true;
    return (pPort ?? '') === port;
  });
}
