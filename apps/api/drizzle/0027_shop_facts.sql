CREATE TABLE "shop_facts" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"facts" jsonb NOT NULL,
	"branch_addresses" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shop_facts" ADD CONSTRAINT "shop_facts_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
SELECT enable_tenant_rls('shop_facts'::regclass);
