-- A customer's tags (imports carry them; the customers' screen edits them). IF NOT EXISTS: the customers' work
-- adds the same column.
ALTER TABLE "contact" ADD COLUMN IF NOT EXISTS "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE TABLE "import_job" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'PREVIEW' NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"encoding" text,
	"size_bytes" bigint NOT NULL,
	"headers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"preview" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mapping" jsonb,
	"total" integer,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"last_row" integer DEFAULT 1 NOT NULL,
	"imported" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"created_by_user_id" uuid NOT NULL,
	"started_at" timestamp(3) with time zone,
	"finished_at" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_job_tenant_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "import_job_kind_check" CHECK ("import_job"."kind" in ('contacts', 'listings')),
	CONSTRAINT "import_job_status_check" CHECK ("import_job"."status" in ('PREVIEW', 'QUEUED', 'RUNNING', 'DONE', 'FAILED')),
	CONSTRAINT "import_job_format_check" CHECK ("import_job"."format" in ('csv', 'xlsx'))
);
--> statement-breakpoint
CREATE TABLE "import_file_chunk" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" bytea NOT NULL,
	CONSTRAINT "import_file_chunk_pk" PRIMARY KEY("tenant_id","import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "import_rejection" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"field" text NOT NULL,
	"message" text NOT NULL,
	CONSTRAINT "import_rejection_pk" PRIMARY KEY("tenant_id","import_id","row","field")
);
--> statement-breakpoint
CREATE TABLE "import_mapping" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_mapping_pk" PRIMARY KEY("tenant_id","kind")
);
--> statement-breakpoint
ALTER TABLE "import_job" ADD CONSTRAINT "import_job_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_job" ADD CONSTRAINT "import_job_tenant_id_created_by_user_id_app_user_tenant_id_id_fk" FOREIGN KEY ("tenant_id","created_by_user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_file_chunk" ADD CONSTRAINT "import_file_chunk_import_fk" FOREIGN KEY ("tenant_id","import_id") REFERENCES "public"."import_job"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejection" ADD CONSTRAINT "import_rejection_import_fk" FOREIGN KEY ("tenant_id","import_id") REFERENCES "public"."import_job"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_mapping" ADD CONSTRAINT "import_mapping_tenant_id_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_job_tenant_created_idx" ON "import_job" USING btree ("tenant_id","created_at");--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass) FROM unnest(ARRAY['import_job', 'import_file_chunk', 'import_rejection', 'import_mapping']) AS t;
