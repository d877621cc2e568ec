import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Event, KNOWN_EVENT_NAMES, compiledEvent, parseEvent, type KnownEventName } from '../../edge/contract';
import { compileCheck, compileParse, INVALID } from '../../edge/contract/compiled-parse';

// The collector answers Event.safeParse with parsers compiled from the zod contract
// (edge/contract/compiled-parse.ts). They must agree with zod on every value: the same output
// where zod takes it, and never taking what zod refuses. Checked here in workerd, where zod runs
// without its JIT, over valid events of every kind and thousands of mutations of them.

const item = (n: number) => ({
  item_id: `SKU-${100_000 + n}`,
  item_name: `무인양품 셔츠 Classic ${n}`,
  item_brand: 'Linen & Co',
  item_category: '의류',
  item_category2: '상의',
  item_variant: '블랙 / M',
  price: 19_900,
  quantity: 1,
  image_url: `https://cdn.shop.example/images/sku-${n}.jpg`,
  url: `https://shop.example/products/sku-${n}?variant=3`,
});
const commerce = { currency: 'KRW', value: 39_800, items: [item(1), item(2)] };
const order = { ...commerce, transaction_id: 'ORD-1001', tax: 3_618, shipping: 3_000, coupon: 'WELCOME' };
const widget = { decision_id: 'dec-0001-abcd', widget: 'signup_benefit', variant: 'a' };
const VALID_PROPS: Record<KnownEventName, Record<string, unknown>> = {
  page_view: { title: '메인 | Shop', referrer: 'https://m.search.naver.com/?q=shop', page_type: 'home' },
  view_item: commerce,
  view_item_list: { ...commerce, item_list_id: 'cat_1', item_list_name: '베스트', items: Array.from({ length: 12 }, (_, i) => ({ ...item(i), index: i })) },
  select_item: commerce,
  add_to_cart: commerce,
  remove_from_cart: { items: [{ item_id: 'SKU-1', quantity: 1 }] },
  view_cart: commerce,
  begin_checkout: commerce,
  add_shipping_info: { shipping_tier: 'express' },
  add_payment_info: { payment_type: 'card', coupon: 'X' },
  add_to_wishlist: commerce,
  view_promotion: { promotion_id: 'p1', promotion_name: '겨울 세일', creative_slot: 'top' },
  select_promotion: { ...commerce, promotion_id: 'p1' },
  purchase: order,
  refund: { transaction_id: 'ORD-1001', value: 19_900 },
  sign_up: { method: 'kakao' },
  login: { method: 'naver' },
  search: { search_term: '린넨 셔츠' },
  consent_update: { analytics: true, marketing: false, source: 'banner' },
  widget_impression: widget,
  widget_click: widget,
  widget_dismiss: widget,
  widget_submit: widget,
  review_submit: { item_id: 'SKU-1', rating: 5, text: '좋아요' },
  lead_submit: { email: 'kim@example.com', marketing_consent: true },
  order_delivered: { transaction_id: 'ORD-1001' },
  points_updated: { balance: 1_200, expiring: [{ amount: 200, expires_at: '2026-12-31T23:59:59+09:00' }, { amount: 100, expires_at: 1_798_000_000_000 }] },
  tier_updated: { tier: 'SILVER', next_tier: 'GOLD', amount_to_next: 50_000, drops_at: 1_798_000_000_000 },
  coupon_issued: { code: 'C-1', benefit: '10% off', expires_at: '2026-12-31T00:00:00Z' },
  coupon_redeemed: { code: 'C-1' },
  stamps_updated: { stamps: 4 },
  survey_answer: { survey: 'onboarding', question: 'interest', answer: ['garden', 'kitchen'] },
};

const base = (name: string, props?: unknown, n = 0) => ({
  id: `0b7c9f1e-4d2a-4a57-9c7e-${String(100_000_000_000 + n)}`,
  name,
  ts: 1_780_000_000_000 + n,
  anon_id: 'anon-1234-abcd',
  session_id: 'sess-1234-abcd',
  seq: n,
  url: 'https://shop.example/products/sku-1?utm_source=naver',
  ...(props === undefined ? {} : { props }),
});
const valid = [
  ...KNOWN_EVENT_NAMES.map((name, n) => base(name, VALID_PROPS[name], n)),
  base('scroll', { percent_scrolled: 90 }),
  base('page_view'),
  { ...base('login', { method: 'email' }), user_id: 'member-1', user_hash: 'ab'.repeat(32), extra_top_level: 'stripped' },
];

// A deterministic generator, so a failure names a case that can be run again.
let seed = 20261201;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const REPLACEMENTS: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e21, -0.000001, 2 ** 53, '', 'x', 'KRW', 'krw', 'https://ok.example/a', '/relative.jpg', 'javascript:alert(1)',
  'a'.repeat(65), 'a'.repeat(129), '가'.repeat(201), '😀'.repeat(40), 'has space', 'new\nline', [], [1], ['a'], {}, { item_id: 'x' }, { nested: { deep: [1, 2] } },
  1_577_836_800_000, 4_102_444_800_001, 1_780_000_000_000.5, '2026-12-31T23:59:59+09:00', '2026-12-31', 'not-an-email', 'a@b.co',
];

/** Every path into a JSON value, with the value there. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => paths(v, [...at, i])));
  if (value && typeof value === 'object') return here.concat(...Object.entries(value).map(([k, v]) => paths(v, [...at, k])));
  return here;
}

function mutate(event: unknown): unknown {
  const copy = structuredClone(event) as Record<string, unknown>;
  const targets = paths(copy).filter((p) => p.length > 0);
  const path = pick(targets);
  const key = path.at(-1)!;
  let parent: any = copy;
  for (const step of path.slice(0, -1)) parent = parent[step];
  const kind = rand();
  if (kind < 0.15) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (kind < 0.25) {
    const target = parent[key];
    if (target && typeof target === 'object' && !Array.isArray(target)) target[pick(['extra', 'item_id', 'currency', 'constructor', 'toString'])] = pick(REPLACEMENTS);
    else parent[key] = pick(REPLACEMENTS);
  } else if (kind < 0.3 && Array.isArray(parent[key])) {
    parent[key] = Array.from({ length: 201 }, () => parent[key][0] ?? 1);
  } else if (kind < 0.35) {
    parent.name = pick([...KNOWN_EVENT_NAMES, 'constructor', '__proto__', 'Bad-Name', 'custom_event', 'hasOwnProperty']);
  } else if (kind < 0.4 && typeof parent[key] === 'string') {
    parent[key] = parent[key] + pick(['!', ' ', '😀', 'a'.repeat(300), '/']);
  } else if (kind < 0.45 && typeof parent[key] === 'number') {
    parent[key] = -parent[key] || 0.5;
  } else {
    parent[key] = pick(REPLACEMENTS);
  }
  return copy;
}

function agree(raw: unknown) {
  const expected = Event.safeParse(raw);
  const got = parseEvent(raw);
  expect(got.success, JSON.stringify(raw).slice(0, 400)).toBe(expected.success);
  if (expected.success) expect(got.data).toStrictEqual(expected.data);
  else expect(got.error?.issues).toEqual(expected.error.issues);
  return expected.success;
}

describe('the collector parses events as the zod contract does', () => {
  it('takes every kind of valid event without zod, with zod\'s output', () => {
    expect(Object.keys(VALID_PROPS).sort()).toEqual([...KNOWN_EVENT_NAMES].sort());
    for (const event of valid) {
      const expected = Event.safeParse(event);
      expect(expected.success, `${event.name}: ${JSON.stringify(expected.error?.issues)}`).toBe(true);
      // Taken by the compiled parsers themselves, not handed to zod.
      expect(compiledEvent(event), event.name).toStrictEqual(expected.data);
    }
  });

  it('agrees with zod on thousands of mutated events, valid and not', () => {
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 4_000; round++) {
      let event: unknown = pick(valid);
      for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) event = mutate(event);
      if (agree(event)) accepted++;
      else refused++;
    }
    // The corpus exercises both answers (a generator that broke nothing would prove nothing).
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(1_500);
  });

  it('agrees on what JSON can say that an object literal cannot', () => {
    const cases = [
      '{"__proto__": {"polluted": true}}',
      '{"title": "x", "__proto__": 1}',
      '{"constructor": "x"}',
      '{"items": [{"item_id": "a", "__proto__": {"price": -1}}], "currency": "KRW"}',
    ];
    for (const name of ['page_view', 'view_item', 'custom_event']) {
      for (const props of cases) agree(JSON.parse(`{"id":"evt-12345678","name":"${name}","ts":1780000000000,"anon_id":"anon-12345678","session_id":"sess-12345678","url":"https://a.example/","props":${props}}`));
    }
    for (const raw of [null, [], 'event', 42, {}, { ...valid[0], props: [] }, { ...valid[0], props: null }, { ...valid[0], props: 'x' }]) agree(raw);
    agree({ ...valid[0], props: { title: 'x'.repeat(17 * 1024) } });
  });
});

describe('compileParse', () => {
  const values: unknown[] = [undefined, null, 0, 1, -1, 2.5, 'a', ' padded ', '', 'abc', 'x'.repeat(20), true, [], ['a'], [1, 2, 3], {}, { a: 1 }, { a: 'x', b: 2 }, { a: undefined }];
  const schemas: Record<string, z.ZodType> = {
    'string with checks': z.string().min(2).max(10).regex(/^[a-z]+$/),
    'trimmed (a check that rewrites)': z.string().trim().max(5),
    'number range, int': z.number().int().min(0).max(10),
    'enum': z.enum(['a', 'abc']),
    'literal (handed to zod)': z.literal('a'),
    'nullable (handed to zod)': z.string().nullable(),
    'optional default': z.object({ a: z.number().default(7), b: z.string().optional(), c: z.string().default('d').optional() }),
    'loose with refine': z.object({ a: z.unknown() }).loose().refine((o) => o.a !== 1),
    'strict (handed to zod)': z.object({ a: z.number() }).strict(),
    'record (handed to zod)': z.record(z.string().max(1), z.unknown()),
    'union': z.union([z.number(), z.array(z.string()).max(2)]),
    'array of objects': z.array(z.object({ a: z.string() })).min(1),
    'strip object inside a loose one, refined': z.object({ a: z.object({ b: z.string() }).optional(), c: z.array(z.object({ d: z.number() })).optional() }).loose().refine((o) => !('b' in (o.a ?? {})) || Object.keys(o.a ?? {}).length === 1),
    'superRefine': z.object({ a: z.number().optional() }).superRefine((o, ctx) => {
      if (o.a === 2) ctx.addIssue({ code: 'custom', message: 'not 2' });
    }),
  };
  for (const [label, schema] of Object.entries(schemas)) {
    it(`answers as zod does: ${label}`, () => {
      const parse = compileParse(schema);
      const check = compileCheck(schema);
      const more = [{ a: 2 }, { a: 'x' }, [{ a: 'x' }], [{ a: 1 }], { a: { b: 'x', e: 1 } }, { a: { b: 'x' }, c: [{ d: 1, e: 2 }] }, { c: [{ d: 'x' }] }];
      for (const value of [...values, ...more]) {
        const expected = schema.safeParse(value);
        const got = parse(value);
        expect(got === INVALID, `${label}: ${JSON.stringify(value)}`).toBe(!expected.success);
        if (expected.success) expect(got).toStrictEqual(expected.data);
        expect(check(value), `${label} (check): ${JSON.stringify(value)}`).toBe(expected.success);
      }
    });
  }
});
