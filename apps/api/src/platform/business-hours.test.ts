import { describe, expect, it } from 'vitest';
import { wallClock } from './business-hours';

// Whether a branch is open at an instant is branch_open_at's (drizzle/0024_click_capture.sql), the assignment's one
// rule: leads/assignment.test.ts checks it.
describe('business hours', () => {
  it('reads the wall clock in the branch time zone, not the server one', () => {
    // 2026-11-23 is a Monday; 14:30 UTC is 09:30 in Lima (UTC-5) and 08:30 in Mexico City (UTC-6).
    const at = new Date('2026-11-23T14:30:00Z');
    expect(wallClock(at, 'America/Lima')).toEqual({ day: 'mon', time: '09:30' });
    expect(wallClock(at, 'America/Mexico_City')).toEqual({ day: 'mon', time: '08:30' });
  });
});
