import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from '../../platform/business-time';
import {
  evaluateLead,
  type FollowupPolicyRules,
  followUpMessage,
  ruleKey,
  ruleSchedule,
  taskTitle,
} from './rules';

// Lima, Monday to Friday 09:00-18:00; 2030-03-04 is a Monday (10:00 Lima is 15:00Z).
const lima: BusinessCalendar = {
  timeZone: 'America/Lima',
  hours: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '18:00' }]]),
  ),
};
const policy: FollowupPolicyRules = {
  newLeadAlertMinutes: 60,
  quotedFollowUpDays: 2,
  dormantAfterDays: 21,
  businessHoursOnly: true,
  reassignAfterMinutes: 30,
};
const at = (iso: string) => new Date(iso);

describe('the follow-up rules', () => {
  it('schedules a NEW lead: alert, escalation after the second period, dormancy by the calendar', () => {
    const lead = {
      status: 'NEW' as const,
      statusChangedAt: '2030-03-04T22:30:00.000Z',
      lastActivityAt: '2030-03-04T22:30:00.000Z',
    };
    // Monday 17:30: 30 open minutes that day, the rest on Tuesday.
    expect(ruleSchedule(lead, policy, lima).map((r) => [r.rule, r.at.toISOString()])).toEqual([
      ['NEW_LEAD_ALERT', '2030-03-05T14:30:00.000Z'],
      ['ESCALATION', '2030-03-05T15:00:00.000Z'],
      ['DORMANT', '2030-03-25T22:30:00.000Z'],
    ]);
    const byClock = ruleSchedule(
      lead,
      { ...policy, businessHoursOnly: false, reassignAfterMinutes: null },
      lima,
    );
    expect(byClock.map((r) => r.rule)).toEqual(['NEW_LEAD_ALERT', 'DORMANT']);
    expect(byClock[0]?.at.toISOString()).toBe('2030-03-04T23:30:00.000Z');
  });

  it('puts a QUOTED follow-up that falls on a closed day at the next opening', () => {
    // Thursday 17:00 + 2 days = Saturday 17:00: closed until Monday 09:00.
    const lead = {
      status: 'QUOTED' as const,
      statusChangedAt: '2030-03-07T22:00:00.000Z',
      lastActivityAt: '2030-03-07T22:00:00.000Z',
    };
    expect(ruleSchedule(lead, policy, lima)[0]).toEqual({
      rule: 'QUOTED_FOLLOW_UP',
      at: at('2030-03-11T14:00:00.000Z'),
    });
  });

  it('says what is due now and when to look again; DORMANT alone makes the others moot', () => {
    const lead = {
      status: 'NEW' as const,
      statusChangedAt: '2030-03-04T15:00:00.000Z',
      lastActivityAt: '2030-03-04T15:00:00.000Z',
    };
    expect(evaluateLead(lead, policy, lima, at('2030-03-04T15:59:00Z'))).toEqual({
      due: [],
      nextAt: at('2030-03-04T16:00:00Z'),
    });
    const both = evaluateLead(lead, policy, lima, at('2030-03-04T16:30:00Z'));
    expect(both.due.map((d) => d.rule)).toEqual(['NEW_LEAD_ALERT', 'ESCALATION']);
    expect(both.nextAt).toEqual(at('2030-03-25T15:00:00Z'));
    const idle = evaluateLead(lead, policy, lima, at('2030-03-26T00:00:00Z'));
    expect(idle).toEqual({ due: [{ rule: 'DORMANT', at: at('2030-03-25T15:00:00Z') }], nextAt: null });
    expect(evaluateLead({ ...lead, status: 'WON' }, policy, lima, at('2030-04-30T00:00:00Z'))).toEqual({
      due: [],
      nextAt: null,
    });
  });

  it('counts the clock for a branch that never opens, rather than never alerting', () => {
    const closed: BusinessCalendar = { timeZone: 'America/Lima', hours: {} };
    const lead = {
      status: 'NEW' as const,
      statusChangedAt: '2030-03-09T15:00:00.000Z',
      lastActivityAt: '2030-03-09T15:00:00.000Z',
    };
    expect(ruleSchedule(lead, policy, closed)[0]?.at).toEqual(at('2030-03-09T16:00:00.000Z'));
  });

  it('keys a rule by lead and stage entry, and writes the follow-up in the branch language', () => {
    expect(ruleKey('NEW_LEAD_ALERT', 'L', '2030-03-04T15:00:00.000Z')).toBe(
      'NEW_LEAD_ALERT:L:2030-03-04T15:00:00.000Z',
    );
    expect(followUpMessage('Ana', 'PE')).toMatch(/^¡Hola Ana! ¿Pudiste revisar la cotización/);
    expect(followUpMessage(null, 'BR')).toMatch(/^Olá! Conseguiu ver o orçamento/);
    expect(taskTitle('NEW_LEAD_ALERT', 60, 'MX')).toBe('Responder al lead nuevo: lleva 60 min sin respuesta');
    expect(taskTitle('ESCALATION', 90, 'BR')).toBe(
      'Lead novo sem resposta após 90 min: revisar e reatribuir',
    );
  });
});
