ALTER TABLE "lead_ai_feedback" ADD COLUMN "source" text DEFAULT 'SELLER' NOT NULL;--> statement-breakpoint
ALTER TABLE "lead_ai_feedback" ADD COLUMN "similarity" real;--> statement-breakpoint
ALTER TABLE "lead_ai_feedback" ADD COLUMN "saved_chars" integer DEFAULT 0 NOT NULL;
