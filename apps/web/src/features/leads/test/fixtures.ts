import {
  type Assistance,
  assistanceFeedbackBody,
  assistanceFeedbackSchema,
  type LeadDetail,
  leadEventSchema,
  leadSchema,
  updateLeadBody,
} from '@techmarket/contracts';
import type { z } from 'zod';
import { listing, sending } from '../../../test/mocks/api';
import type { LeadEvent } from '../api/leads';

export const leadId = '0190f0f0-0000-7000-8000-000000000001';

export const assistance: Assistance = {
  id: '0190f0f0-0000-7000-8000-000000000006',
  leadId,
  leadType: 'SALE',
  priority: 'MEDIUM',
  suggestedReply: '¡Hola, Rosa! Te escribe Lucía de TechMarket. Router TP-Link a S/ 349.00. ¿Te lo separo?',
  nextBestAction: 'REPLY_NOW',
  alternatives: [],
  confidence: 0.9,
  reasons: ['Pregunta por precio'],
  provider: 'builtin',
  model: 'naive-bayes-v1',
  language: 'es',
  fallbackReason: null,
  latencyMs: 12,
  createdAt: '2026-11-26T15:00:30.000Z',
};

/** A NEW lead of a branch without a WhatsApp channel, with the assistant's reading. */
export const newLead: LeadDetail = {
  id: leadId,
  tenantId: '0190f0f0-0000-7000-8000-000000000002',
  branchId: '0190f0f0-0000-7000-8000-000000000003',
  customerUserId: null,
  contact: { id: '0190f0f0-0000-7000-8000-000000000004', name: 'Rosa Quispe', phone: '+51987654321' },
  status: 'NEW',
  source: 'LISTING',
  campaignId: null,
  listingId: null,
  priority: 'MEDIUM',
  leadType: 'SALE',
  assignedToUserId: null,
  lostReason: null,
  value: null,
  currency: null,
  valueSource: null,
  firstResponseAt: null,
  statusChangedAt: '2026-11-26T15:00:00.000Z',
  lastActivityAt: '2026-11-26T15:00:00.000Z',
  createdAt: '2026-11-26T15:00:00.000Z',
  updatedAt: '2026-11-26T15:00:00.000Z',
  version: 1,
  listing: null,
  campaign: null,
  assignee: null,
  assistance: assistance as unknown as LeadDetail['assistance'],
};

let n = 0;
export const leadEvent = (type: string, payload: Record<string, unknown>, minute: number): LeadEvent => {
  n += 1;
  return {
    id: `0190f0f0-0000-7000-8000-0000000002${String(n).padStart(2, '0')}`,
    leadId,
    type,
    payload,
    actorUserId: null,
    createdAt: `2026-11-26T15:${String(minute).padStart(2, '0')}:00.000Z`,
  };
};

/** The lead's history (oldest first, as the API answers it) and the assistant's feedback call. */
export const leadHistoryHandlers = (events: LeadEvent[]) => [
  listing('/leads/:id/events', leadEventSchema, events),
  sending(
    'post',
    '/leads/:id/assist/:assistanceId/feedback',
    { body: assistanceFeedbackBody, schema: assistanceFeedbackSchema },
    (body, { params }) => ({
      id: '0190f0f0-0000-7000-8000-000000000099',
      assistanceId: String(params.assistanceId),
      outcome: body.outcome,
      finalText: null,
      userId: '0190f0f0-0000-7000-8000-000000000010',
      createdAt: '2026-11-26T15:10:00.000Z',
    }),
  ),
];

export type LeadUpdate = z.output<typeof updateLeadBody>;

/** `PATCH /leads/{id}` as the API takes it; `changes` collects each body sent. */
export const leadUpdateHandler = (lead: LeadDetail, changes: LeadUpdate[]) =>
  sending('patch', '/leads/:id', { body: updateLeadBody, schema: leadSchema }, (body) => {
    changes.push(body);
    // The schema keeps a lead's own fields: the detail's extras (listing, assistance…) are not sent back.
    return { ...lead, ...(body.status ? { status: body.status } : {}), version: lead.version + 1 };
  });
