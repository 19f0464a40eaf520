import type { KpiFigures, Kpis } from '@techmarket/contracts';
import { describe, expect, it } from 'vitest';
import { dailyFigures, dayLabeler, minuteTicks } from './daily-series';

const figures: KpiFigures = {
  leads: 2,
  bySource: { MAP: 0, LISTING: 0, FEED: 0, WHATSAPP: 2, CAMPAIGN: 0, MANUAL: 0 },
  firstResponse: { responded: 2, unanswered: 0, medianMinutes: 10, p90Minutes: 30 },
  won: 0,
  lost: 0,
  conversionRate: 0,
  winRate: null,
  followUp: { due: 0, onTime: 0, compliance: null },
  lostReasons: { PRICE: 0, STOCK: 0, NO_RESPONSE: 0, COMPETITOR: 0, OTHER: 0 },
};

// Lima's 24 to 26 November 2026: from its midnight (05:00 UTC) to the next day's.
const kpis = (groups: Kpis['groups']): Kpis => ({
  from: '2026-11-24T05:00:00.000Z',
  to: '2026-11-27T05:00:00.000Z',
  branchId: null,
  groupBy: 'day',
  businessHoursOnly: false,
  totals: figures,
  groups,
  previous: { from: '2026-11-21T05:00:00.000Z', to: '2026-11-24T05:00:00.000Z', totals: figures },
});

describe('dailyFigures', () => {
  it('lists every day of the period in the shop’s calendar, the ones without a row as days without figures', () => {
    const days = dailyFigures(kpis([{ ...figures, key: '2026-11-25', label: null }]), 'America/Lima');
    expect(days.map((d) => d.day)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
    expect(days.map((d) => d.figures?.firstResponse.medianMinutes ?? null)).toEqual([null, 10, null]);
  });

  it('reads the days in the shop’s zone, not UTC', () => {
    // In Madrid the same instants run from the 24th at 06:00 to the 27th at 06:00: four calendar days.
    expect(dailyFigures(kpis([]), 'Europe/Madrid').map((d) => d.day)).toEqual([
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
    ]);
  });
});

describe('dayLabeler', () => {
  it('writes the calendar day itself, whatever the browser’s zone', () => {
    expect(dayLabeler('es-419')('2026-11-02')).toBe('2 nov');
    expect(dayLabeler('en', { weekday: true })('2026-11-02')).toBe('Mon, Nov 2');
  });
});

describe('minuteTicks', () => {
  it('counts in steps people read, up to the slowest value', () => {
    expect(minuteTicks(42)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(minuteTicks(258)).toEqual([0, 60, 120, 180, 240, 300]);
    expect(minuteTicks(2000)).toEqual([0, 480, 960, 1440, 1920, 2400]);
  });

  it('leaves the axis to the chart when there is nothing to show', () => {
    expect(minuteTicks(0)).toBeUndefined();
  });
});
