import { describe, expect, it } from 'vitest';
import { compareGroups, visitorsPerGroup } from '../../edge/report/lift';
import { newcombe } from '../../edge/report/statistics';

describe('compareGroups', () => {
  it("gives Newcombe's interval for one look and reads the verdict from the always-valid one", () => {
    // 120/1000 vs 80/1000: the one-look interval excludes 0, the interval valid under daily looks
    // does not yet, so the verdict waits and says roughly how long.
    const result = compareGroups({ visitors: 1000, conversions: 120 }, { visitors: 1000, conversions: 80 });
    expect(result.difference).toBeCloseTo(0.04, 10);
    const [low, high] = newcombe(120, 1000, 80, 1000);
    expect(result.ci95).toEqual([low, high]);
    expect(low).toBeGreaterThan(0);
    expect(result.always_valid_ci95![0]).toBeLessThan(0);
    expect(result.always_valid_ci95![1]).toBeGreaterThan(high);
    expect(result.relative_lift).toBeCloseTo(0.5, 10);
    expect(result.verdict).toBe('no_measurable_effect');
    expect(result.more_visitors_needed).toBe(visitorsPerGroup(0.12, 0.08)! - 1000);
    expect(result.more_visitors_needed).toBeGreaterThan(0);
    // With that many more visitors at the same rates, the verdict is a lift.
    const later = compareGroups({ visitors: 1000 + result.more_visitors_needed!, conversions: 0.12 * (1000 + result.more_visitors_needed!) }, { visitors: 1000 + result.more_visitors_needed!, conversions: 0.08 * (1000 + result.more_visitors_needed!) });
    expect(later.verdict).toBe('significant_lift');
    expect(later.message).toMatch(/lifts conversion from 8\.0% to 12\.0%/);
  });

  it('says when there is no measurable effect and how many more visitors it needs', () => {
    const result = compareGroups({ visitors: 200, conversions: 22 }, { visitors: 200, conversions: 20 });
    expect(result.verdict).toBe('no_measurable_effect');
    expect(result.ci95![0]).toBeLessThan(0);
    expect(result.ci95![1]).toBeGreaterThan(0);
    expect(result.more_visitors_needed).toBe(visitorsPerGroup(0.11, 0.1)! - 200);
    // Telling 11% from 10% apart takes tens of thousands of visitors per group.
    expect(visitorsPerGroup(0.11, 0.1)).toBeGreaterThan(10_000);
    expect(visitorsPerGroup(0.1, 0.1)).toBeNull();
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
