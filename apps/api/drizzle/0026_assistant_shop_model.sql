-- Each shop's own layer over the assistant's shared model (issue 19, "it learns each shop").
-- assistant_shop_example: what the shop's sellers said a lead is: a person set its type or priority, or rejected or
-- edited the suggestion. One row per lead, its latest label; the text is the customer's first message (erased with
-- the customer, privacy module).
CREATE TABLE "assistant_shop_example" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"text" text NOT NULL,
	"lead_type" text NOT NULL,
	"priority" text NOT NULL,
	"source" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "assistant_shop_example_lead_key" UNIQUE("tenant_id","lead_id"),
	CONSTRAINT "assistant_shop_example_lead_type_check" CHECK ("lead_type" IN ('SALE', 'SERVICE')),
	CONSTRAINT "assistant_shop_example_priority_check" CHECK ("priority" IN ('HIGH', 'MEDIUM', 'LOW')),
	CONSTRAINT "assistant_shop_example_source_check" CHECK ("source" IN ('CORRECTION', 'FEEDBACK'))
);
--> statement-breakpoint
-- assistant_shop_model: the versions of a shop's layer, each with how it scored on the shop's newest examples
-- against the reading in use then; at most one active per shop.
CREATE TABLE "assistant_shop_model" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"weights" jsonb NOT NULL,
	"examples" integer NOT NULL,
	"corrections" integer NOT NULL,
	"held_out" integer NOT NULL,
	"scores" jsonb NOT NULL,
	"reason" text NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"activated_at" timestamp(3) with time zone,
	"activated_by_user_id" uuid,
	"trained_through" timestamp(3) with time zone NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "assistant_shop_model_version_key" UNIQUE("tenant_id","version")
);
--> statement-breakpoint
ALTER TABLE "assistant_shop_example" ADD CONSTRAINT "assistant_shop_example_tenant_id_lead_id_lead_tenant_id_id_fk" FOREIGN KEY ("tenant_id","lead_id") REFERENCES "public"."lead"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assistant_shop_example_updated_idx" ON "assistant_shop_example" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "assistant_shop_model_active_key" ON "assistant_shop_model" USING btree ("tenant_id") WHERE "active";--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass) FROM unnest(ARRAY['assistant_shop_example', 'assistant_shop_model']) AS t;
