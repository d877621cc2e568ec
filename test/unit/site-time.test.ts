// A site's wall clock (edge/lib/site-time.ts): Seoul without daylight saving, New York with it.
import { describe, expect, it } from 'vitest';
import { afterQuietHours, dayString, inQuietHours, isTimeZone, localClock, localDayStart, utcOffsetMs, zoneOffsetMs } from '../../edge/lib/site-time';

describe('site time', () => {
  it('knows real zones and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Seoul')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Asia/Atlantis')).toBe(false);
    expect(isTimeZone('+09:00x')).toBe(false);
  });

  it('starts a Seoul day at 15:00 UTC the day before', () => {
    // 2026-11-29 14:59:59 UTC is 23:59:59 in Seoul on the 29th; a second later it is the 30th.
    const before = Date.UTC(2026, 10, 29, 14, 59, 59);
    expect(utcOffsetMs(before, 'Asia/Seoul')).toBe(9 * 3_600_000);
    expect(dayString(localClock(before, 'Asia/Seoul').day)).toBe('2026-11-29');
    expect(localClock(before, 'Asia/Seoul')).toMatchObject({ hour: 23, minute: 59 });
    expect(dayString(localClock(before + 1000, 'Asia/Seoul').day)).toBe('2026-11-30');
    expect(localDayStart(localClock(before + 1000, 'Asia/Seoul').day, 'Asia/Seoul')).toBe(before + 1000);
  });

  it('follows daylight saving where the zone has it', () => {
    // New York: UTC-4 in July, UTC-5 in January; local midnight moves with it.
    expect(utcOffsetMs(Date.UTC(2026, 6, 1), 'America/New_York')).toBe(-4 * 3_600_000);
    expect(utcOffsetMs(Date.UTC(2026, 0, 1), 'America/New_York')).toBe(-5 * 3_600_000);
    const july1 = localClock(Date.UTC(2026, 6, 1, 12), 'America/New_York').day;
    expect(new Date(localDayStart(july1, 'America/New_York')).toISOString()).toBe('2026-07-01T04:00:00.000Z');
    // 2026-03-08 is the spring-forward day: its midnight is still at UTC-5.
    const springForward = localClock(Date.UTC(2026, 2, 8, 12), 'America/New_York').day;
    expect(new Date(localDayStart(springForward, 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
  });

  it('holds quiet hours 21:00–08:00 until the next local morning', () => {
    const at = (h: number, m = 0) => Date.UTC(2026, 10, 29, h - 9, m); // Seoul wall time on 2026-11-29
    expect(inQuietHours(at(20, 59), 'Asia/Seoul', 21, 8)).toBe(false);
    expect(inQuietHours(at(21), 'Asia/Seoul', 21, 8)).toBe(true);
    expect(inQuietHours(at(7, 59), 'Asia/Seoul', 21, 8)).toBe(true);
    expect(inQuietHours(at(8), 'Asia/Seoul', 21, 8)).toBe(false);
    expect(afterQuietHours(at(12), 'Asia/Seoul', 21, 8)).toBe(at(12));
    expect(new Date(afterQuietHours(at(22, 30), 'Asia/Seoul', 21, 8)).toISOString()).toBe('2026-11-29T23:00:00.000Z'); // 08:00 on the 30th
    expect(new Date(afterQuietHours(at(6), 'Asia/Seoul', 21, 8)).toISOString()).toBe('2026-11-28T23:00:00.000Z'); // 08:00 the same day
  });

  it('keeps offsets per minute that match the time-zone database second by second across transitions', () => {
    // Daylight-saving changes of 1 h and of 30 min (Lord Howe), a zone moving by 15 min
    // (Kathmandu, 1986), half-hour zones, Seoul's own DST of 1988, and a date before 1972.
    const cases: [string, number][] = [
      ['America/New_York', Date.UTC(2026, 2, 8, 7)],
      ['America/New_York', Date.UTC(2026, 10, 1, 6)],
      ['Europe/London', Date.UTC(2026, 2, 29, 1)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)],
      ['Asia/Kathmandu', Date.UTC(1985, 11, 31, 18, 30)],
      ['Asia/Kolkata', Date.UTC(2026, 0, 1)],
      ['Asia/Seoul', Date.UTC(1988, 4, 7, 17)],
      ['Asia/Seoul', Date.UTC(1901, 0, 1)],
    ];
    for (const [zone, transition] of cases) {
      const seen = new Set<number>();
      for (let ts = transition - 3 * 60_000; ts <= transition + 3 * 60_000; ts += 7_000) {
        expect(utcOffsetMs(ts, zone), `${zone} at ${new Date(ts).toISOString()}`).toBe(zoneOffsetMs(ts, zone));
        seen.add(utcOffsetMs(ts, zone));
      }
      if (zone !== 'Asia/Kolkata' && zone !== 'Asia/Seoul') expect(seen.size, zone).toBe(2);
    }
    // Asked again (from the cache), the answers are the same.
    expect(utcOffsetMs(Date.UTC(2026, 2, 8, 7), 'America/New_York')).toBe(-4 * 3_600_000);
    expect(utcOffsetMs(Date.UTC(2026, 2, 8, 7) - 1, 'America/New_York')).toBe(-5 * 3_600_000);
  });
});
