// What the fuzz tests throw at the endpoints: strings that break parsers, prototypes, markup,
// SQL and URLs, and JSON values of any shape built from them.
import fc from 'fast-check';

export const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    'https://shop.example/',
    "'; DROP TABLE events; --",
    '\u0000',
    '\ud800',
    '\u202e',
    '%00',
    'x'.repeat(5000),
    '9'.repeat(400),
  ),
);
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -1, 1e308, -1e308, 0, 0.5, true, false, null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;
