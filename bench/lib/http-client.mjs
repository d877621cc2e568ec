import http from 'node:http';

/** A keep-alive JSON poster on node:http: fetch() costs the client about twice the CPU, which on
 * a 2-core machine is taken from the worker under test. */
export function jsonPoster(baseUrl, maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return function post(path, payload, headers = {}) {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${baseUrl}${path}`,
        { method: 'POST', agent, headers: { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), ...headers } },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let json = null;
            try {
              json = JSON.parse(text);
            } catch {
              // not JSON: the caller sees the status
            }
            resolve({ status: response.statusCode, headers: response.headers, body: json });
          });
        },
      );
      request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
      request.on('error', reject);
      request.end(body);
    });
  };
}
