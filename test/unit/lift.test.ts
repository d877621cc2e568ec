import { describe, expect, it } from 'vitest';
import { compareGroups, visitorsPerGroup } from '../../edge/report/lift';

describe('compareGroups', () => {
  it('computes the difference and its 95% interval as done by hand', () => {
    // p1 = 120/1000 = 0.12, p2 = 80/1000 = 0.08; se = sqrt(.12*.88/1000 + .08*.92/1000) = sqrt(0.0001056 + 0.0000736)
    // = sqrt(0.0001792) = 0.0133866; ci = 0.04 ± 1.959964 * 0.0133866 = [0.0137625, 0.0662375]
    const result = compareGroups({ visitors: 1000, conversions: 120 }, { visitors: 1000, conversions: 80 });
    expect(result.difference).toBeCloseTo(0.04, 10);
    expect(result.ci95![0]).toBeCloseTo(0.0137625, 6);
    expect(result.ci95![1]).toBeCloseTo(0.0662375, 6);
    expect(result.relative_lift).toBeCloseTo(0.5, 10);
    expect(result.verdict).toBe('significant_lift');
    expect(result.message).toMatch(/lifts conversion from 8\.0% to 12\.0%/);
  });

  it('says when there is no measurable effect and how many more visitors it needs', () => {
    const result = compareGroups({ visitors: 200, conversions: 22 }, { visitors: 200, conversions: 20 });
    expect(result.verdict).toBe('no_measurable_effect');
    expect(result.ci95![0]).toBeLessThan(0);
    expect(result.ci95![1]).toBeGreaterThan(0);
    // n = (1.959964 + 0.841621)^2 * (.11*.89 + .10*.90) / .01^2 = 7.848879 * 0.1879 / 0.0001 = 14748.04, rounded up
    expect(result.more_visitors_needed).toBe(visitorsPerGroup(0.11, 0.1) - 200);
    expect(visitorsPerGroup(0.11, 0.1)).toBe(14749);
  });

  it('reports a significant drop', () => {
    expect(compareGroups({ visitors: 2000, conversions: 100 }, { visitors: 2000, conversions: 200 }).verdict).toBe('significant_drop');
  });

  it('does not judge tiny samples or a missing holdout', () => {
    expect(compareGroups({ visitors: 10, conversions: 5 }, { visitors: 10, conversions: 0 }).verdict).toBe('not_enough_data');
    const noHoldout = compareGroups({ visitors: 100, conversions: 5 }, { visitors: 0, conversions: 0 });
    expect(noHoldout.verdict).toBe('not_enough_data');
    expect(noHoldout.message).toMatch(/holdout/);
  });
});
