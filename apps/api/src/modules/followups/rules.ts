import type { FollowupRule, LeadStatus } from '@techmarket/contracts';
import { addBusinessTime, type BusinessCalendar, nextOpenAt } from '../../platform/business-time';

/**
 * The follow-up rules, as pure functions of a lead, the shop's policy, the branch's calendar and "now".
 *
 * - NEW_LEAD_ALERT: a NEW lead waits `newLeadAlertMinutes` -> a task for its seller.
 * - ESCALATION: still NEW `reassignAfterMinutes` after the alert (when the policy sets it) -> a task for a
 *   manager, and the lead goes to another seller on shift.
 * - QUOTED_FOLLOW_UP: QUOTED for `quotedFollowUpDays` with no customer message since -> a FOLLOW_UP task with
 *   a suggested message.
 * - DORMANT: no activity for `dormantAfterDays` in any open stage -> the lead goes DORMANT (the other rules
 *   are moot then).
 *
 * With `businessHoursOnly`, minutes count the branch's open time (its weekly hours in its time zone, less the
 * shop's holidays) and a follow-up that falls due while the branch is closed waits for its next opening.
 * Dormancy counts calendar days either way: it measures the customer's silence, not the shop's hours.
 * Every rule is due at an instant fixed by the stage entry (status_changed_at) or the last activity, so the
 * engine can say when it must look again, and a rule fires once per lead and stage entry.
 */

export interface FollowupPolicyRules {
  newLeadAlertMinutes: number;
  quotedFollowUpDays: number;
  dormantAfterDays: number;
  businessHoursOnly: boolean;
  reassignAfterMinutes: number | null;
}

export interface LeadClock {
  status: LeadStatus;
  statusChangedAt: string;
  lastActivityAt: string;
}

export interface RuleDue {
  rule: FollowupRule;
  /** When the rule fell due (not when the engine noticed). */
  at: Date;
}

export interface Evaluation {
  /** The rules due now, oldest first; DORMANT alone when it is due. */
  due: RuleDue[];
  /** When the engine must look at the lead again in this stage; null when no rule remains. */
  nextAt: Date | null;
}

/** Statuses the engine works on; the others are closed (WON, LOST) or already DORMANT. */
export const ENGINE_STATUSES: readonly LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED', 'QUOTED'];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * The rule's task is due this long after the engine creates it (within a minute of the rule falling due), in
 * the same kind of time: the window the seller has to act, and what "done on time" in the follow-up
 * compliance figure measures.
 */
export const TASK_WINDOW_MINUTES = 60;

/** `minutes` after `from` in the policy's kind of time; a branch that never opens counts the clock. */
export function afterMinutes(
  policy: Pick<FollowupPolicyRules, 'businessHoursOnly'>,
  calendar: BusinessCalendar,
  from: Date,
  minutes: number,
): Date {
  const wall = new Date(from.getTime() + minutes * MINUTE_MS);
  if (!policy.businessHoursOnly) return wall;
  return addBusinessTime(calendar, from, minutes) ?? wall;
}

/** When each rule that applies to the lead's stage falls due. */
export function ruleSchedule(
  lead: LeadClock,
  policy: FollowupPolicyRules,
  calendar: BusinessCalendar,
): RuleDue[] {
  if (!ENGINE_STATUSES.includes(lead.status)) return [];
  const entered = new Date(lead.statusChangedAt);
  const schedule: RuleDue[] = [];
  if (lead.status === 'NEW') {
    const alert = afterMinutes(policy, calendar, entered, policy.newLeadAlertMinutes);
    schedule.push({ rule: 'NEW_LEAD_ALERT', at: alert });
    if (policy.reassignAfterMinutes !== null) {
      const total = policy.newLeadAlertMinutes + policy.reassignAfterMinutes;
      schedule.push({ rule: 'ESCALATION', at: afterMinutes(policy, calendar, entered, total) });
    }
  }
  if (lead.status === 'QUOTED') {
    const days = new Date(entered.getTime() + policy.quotedFollowUpDays * DAY_MS);
    const at = policy.businessHoursOnly ? (nextOpenAt(calendar, days) ?? days) : days;
    schedule.push({ rule: 'QUOTED_FOLLOW_UP', at });
  }
  const idle = new Date(lead.lastActivityAt).getTime() + policy.dormantAfterDays * DAY_MS;
  schedule.push({ rule: 'DORMANT', at: new Date(idle) });
  return schedule.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** What is due for the lead at `now`, and when to look again. */
export function evaluateLead(
  lead: LeadClock,
  policy: FollowupPolicyRules,
  calendar: BusinessCalendar,
  now: Date,
): Evaluation {
  const schedule = ruleSchedule(lead, policy, calendar);
  const due = schedule.filter((r) => r.at <= now);
  const later = schedule.filter((r) => r.at > now);
  if (due.some((r) => r.rule === 'DORMANT')) {
    return { due: due.filter((r) => r.rule === 'DORMANT'), nextAt: null };
  }
  return { due, nextAt: later[0]?.at ?? null };
}

/** The task's idempotency key: one per rule, lead and stage entry. */
export const ruleKey = (rule: FollowupRule, leadId: string, statusChangedAt: string) =>
  `${rule}:${leadId}:${statusChangedAt}`;

/** The customer-facing follow-up after a quote, in the branch's language. */
const TITLES: Record<'es' | 'pt', Record<Exclude<FollowupRule, 'DORMANT'>, (minutes: number) => string>> = {
  es: {
    NEW_LEAD_ALERT: (m) => `Responder al lead nuevo: lleva ${m} min sin respuesta`,
    ESCALATION: (m) => `Lead nuevo sin respuesta tras ${m} min: revisar y reasignar`,
    QUOTED_FOLLOW_UP: () => 'Hacer seguimiento de la cotización',
  },
  pt: {
    NEW_LEAD_ALERT: (m) => `Responder ao lead novo: está há ${m} min sem resposta`,
    ESCALATION: (m) => `Lead novo sem resposta após ${m} min: revisar e reatribuir`,
    QUOTED_FOLLOW_UP: () => 'Fazer follow-up do orçamento',
  },
};

/** An engine task's title, in the language of the branch's country (Portuguese in Brazil, else Spanish). */
export const taskTitle = (rule: Exclude<FollowupRule, 'DORMANT'>, minutes: number, country: string | null) =>
  TITLES[country === 'BR' ? 'pt' : 'es'][rule](minutes);

export function followUpMessage(name: string | null, country: string | null): string {
  if (country === 'BR') {
    return `Olá${name ? ` ${name}` : ''}! Conseguiu ver o orçamento que enviamos? Se tiver alguma dúvida ou quiser ajustar algo, fico à disposição.`;
  }
  return `¡Hola${name ? ` ${name}` : ''}! ¿Pudiste revisar la cotización que te enviamos? Si tienes alguna duda o quieres ajustar algo, con gusto te ayudo.`;
}
