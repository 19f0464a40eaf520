CREATE TABLE "password_reset" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_by_user_id" uuid NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"expires_at" timestamp(3) with time zone NOT NULL,
	"used_at" timestamp(3) with time zone
);
--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "scopes" text[] DEFAULT array['tracking:write','leads:read','analytics:read','shop:read','campaigns:read','consent:write']::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "expires_at" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "quote" ADD COLUMN "link_generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quote" ADD COLUMN "links_revoked_at" timestamp(3) with time zone;--> statement-breakpoint
ALTER TABLE "password_reset" ADD CONSTRAINT "password_reset_tenant_id_user_id_app_user_tenant_id_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."app_user"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "password_reset_token_hash_key" ON "password_reset" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "password_reset_user_idx" ON "password_reset" USING btree ("tenant_id","user_id");--> statement-breakpoint
SELECT enable_tenant_rls('password_reset'::regclass);--> statement-breakpoint
-- A key's scopes and expiry are part of authenticating it: the pre-tenant look-up returns them too.
DROP FUNCTION auth_api_key(text);--> statement-breakpoint
CREATE FUNCTION auth_api_key(p_key_hash text)
  RETURNS TABLE (api_key_id uuid, tenant_id uuid, revoked_at timestamptz, expires_at timestamptz, scopes text[])
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id, revoked_at, expires_at, scopes FROM api_key WHERE key_hash = p_key_hash $$;--> statement-breakpoint
-- A password reset link is opened before the tenant is known, like an invitation.
CREATE FUNCTION auth_password_reset(p_token_hash text)
  RETURNS TABLE (reset_id uuid, user_id uuid, tenant_id uuid, expires_at timestamptz, used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, user_id, tenant_id, expires_at, used_at FROM password_reset WHERE token_hash = p_token_hash $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_api_key(text), auth_password_reset(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_api_key(text), auth_password_reset(text) TO crm_app;
