CREATE TABLE "quick_reply" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "quick_reply_tenant_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "quick_reply_tenant_title_key" UNIQUE("tenant_id","title"),
	CONSTRAINT "quick_reply_title_length" CHECK (char_length("quick_reply"."title") between 1 and 60),
	CONSTRAINT "quick_reply_text_length" CHECK (char_length("quick_reply"."text") between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "last_message_at" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "last_message_preview" text;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "last_message_direction" text;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "unread_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "conversation_read_at" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "quick_reply" ADD CONSTRAINT "quick_reply_tenant_id_created_by_user_id_app_user_tenant_id_id_fk" FOREIGN KEY ("tenant_id","created_by_user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead" ADD CONSTRAINT "lead_last_message_direction_check" CHECK ("lead"."last_message_direction" in ('IN', 'OUT'));--> statement-breakpoint
SELECT enable_tenant_rls('quick_reply'::regclass);--> statement-breakpoint
-- Conversations stored before the inbox kept its preview on the lead: their last message, none unread.
UPDATE lead SET last_message_at = m.created_at, last_message_preview = left(coalesce(m.text, ''), 200),
       last_message_direction = m.direction
  FROM (SELECT DISTINCT ON (tenant_id, lead_id) tenant_id, lead_id, created_at, text, direction
          FROM whatsapp_message ORDER BY tenant_id, lead_id, created_at DESC, id DESC) m
 WHERE lead.tenant_id = m.tenant_id AND lead.id = m.lead_id;
