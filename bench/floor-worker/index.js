// The runtime floor's worker (bench/runtime-floor.mjs): the least a request to Touchpoint's worker
// could cost on this stack. /v1/floor/empty reads the body and answers; /v1/floor/read makes one
// D1 round trip that does no work (decide's read is one round trip); /v1/floor/store stores a
// batch's events once by id, one statement per request, and answers once they are durable: with
// group commit, as Touchpoint's writer does (requests arriving while a D1 transaction is in
// flight go together in the next), but without validation or the post-ingest pipeline.

const STORE = `
INSERT INTO floor_events (site, id, body)
SELECT ?1, e.value ->> '$.id', e.value FROM json_each(?2) AS e WHERE true
ON CONFLICT DO NOTHING`;

/** Requests waiting for the next transaction, and the commit loop while one runs. */
const queue = [];
let draining = null;

async function drain(db) {
  while (queue.length > 0) {
    const group = queue.splice(0);
    try {
      const results = await db.batch(group.map(({ site, events }) => db.prepare(STORE).bind(site, JSON.stringify(events))));
      group.forEach(({ resolve }, i) => resolve(results[i].meta.changes));
    } catch (err) {
      group.forEach(({ reject }) => reject(err));
    }
  }
  draining = null;
}

function store(db, ctx, site, events) {
  const stored = new Promise((resolve, reject) => queue.push({ site, events, resolve, reject }));
  if (!draining) ctx.waitUntil((draining = drain(db)));
  return stored;
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/v1/health') return Response.json({ status: 'ok' });
    if (pathname === '/v1/floor/empty') {
      await request.text();
      return new Response(null, { status: 204 });
    }
    if (pathname === '/v1/floor/read') {
      const started = performance.now();
      await env.DB.batch([env.DB.prepare('SELECT 1 AS one')]);
      return new Response(null, { status: 204, headers: { 'Server-Timing': `d1;dur=${(performance.now() - started).toFixed(2)}` } });
    }
    if (pathname === '/v1/floor/store') {
      const { site, events } = JSON.parse(await request.text());
      const inserted = await store(env.DB, ctx, site, events);
      return Response.json({ accepted: events.length, inserted }, { status: 202 });
    }
    return new Response('Not found', { status: 404 });
  },
};
