import { describe, expect, it } from 'vitest';
import { formatPrice } from '../../widgets/shell/price';

describe('formatPrice', () => {
  it('writes won as Intl does, without calling it: 12,000원 in Korean, ₩12,000 in English', () => {
    const ko = new Intl.NumberFormat('ko-KR');
    const en = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'KRW' });
    for (const amount of [0, 5, 999, 1000, 12000, 39000.4, 39000.5, 1234567, 987654321, -45000]) {
      expect(formatPrice(amount, 'KRW', 'ko')).toBe(`${ko.format(Math.round(amount))}원`);
      expect(formatPrice(amount, 'KRW', 'en')).toBe(en.format(Math.round(amount)));
    }
  });

  it('formats other currencies with Intl, treats an unknown code as won, and nothing for a non-number', () => {
    expect(formatPrice(12.5, 'USD', 'en')).toBe('$12.50');
    expect(formatPrice(12000, 'krw', 'ko')).toBe('12,000원');
    for (const amount of [NaN, Infinity, '12000', null, undefined]) expect(formatPrice(amount, 'KRW', 'ko')).toBeNull();
  });
});
