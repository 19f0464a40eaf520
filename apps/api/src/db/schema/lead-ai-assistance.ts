import type { AssistanceResult } from '@techmarket/contracts';
import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { instant, rowId, tenantIdColumn } from '../columns';
import { lead } from './lead';

/** What an assistance document holds besides the result: how it was made, for audit and tuning. */
export interface AssistanceTrace {
  language: 'es' | 'pt';
  promptVersion: string;
  fallbackReason: string | null;
  tokens: { input: number | null; output: number | null } | null;
  signals: Record<string, unknown>;
}

/**
 * The specification's `lead_ai_assistance` collection: one JSONB document per run, history kept.
 * Queried only by lead, newest first; everything else lives inside the document.
 */
export const leadAiAssistance = pgTable(
  'lead_ai_assistance',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    leadId: uuid('lead_id').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    result: jsonb('result').$type<AssistanceResult>().notNull(),
    trace: jsonb('trace').$type<AssistanceTrace>().notNull(),
    latencyMs: integer('latency_ms').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'lead_ai_assistance_pkey', columns: [t.tenantId, t.id] }),
    index('lead_ai_assistance_lead_idx').on(t.tenantId, t.leadId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
  ],
);

/** What the seller did with a suggestion: the acceptance figure. */
export const leadAiFeedback = pgTable(
  'lead_ai_feedback',
  {
    id: rowId(),
    tenantId: tenantIdColumn(),
    assistanceId: uuid('assistance_id').notNull(),
    leadId: uuid('lead_id').notNull(),
    userId: uuid('user_id').notNull(),
    outcome: text('outcome').notNull(),
    finalText: text('final_text'),
    /** SELLER: told by the seller (the feedback endpoint); INFERRED: read off the first message they sent after it. */
    source: text('source').notNull().default('SELLER'),
    /** How alike the sent text and the suggestion are, 0 to 1 (1 - Levenshtein distance / longer length). */
    similarity: real('similarity'),
    /** Characters of the sent text the seller did not have to type (acceptance.ts): the time-saved figure. */
    savedChars: integer('saved_chars').notNull().default(0),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'lead_ai_feedback_pkey', columns: [t.tenantId, t.id] }),
    index('lead_ai_feedback_assistance_idx').on(t.tenantId, t.assistanceId),
    index('lead_ai_feedback_created_idx').on(t.tenantId, t.createdAt),
    foreignKey({
      columns: [t.tenantId, t.assistanceId],
      foreignColumns: [leadAiAssistance.tenantId, leadAiAssistance.id],
    }),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [lead.tenantId, lead.id] }),
  ],
);
