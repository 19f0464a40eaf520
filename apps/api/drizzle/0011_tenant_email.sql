DROP INDEX "app_user_email_key";--> statement-breakpoint
CREATE UNIQUE INDEX "app_user_tenant_email_key" ON "app_user" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "app_user_email_idx" ON "app_user" USING btree (lower("email"));--> statement-breakpoint
-- Login looks an address up in every shop: each account with its shop's name, so the answer can offer a choice.
DROP FUNCTION auth_user_by_email(text);--> statement-breakpoint
CREATE FUNCTION auth_accounts_by_email(p_email text)
  RETURNS TABLE (user_id uuid, tenant_id uuid, tenant_name text, password_hash text, active boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT u.id, u.tenant_id, t.name, u.password_hash, u.active
        FROM app_user u JOIN tenant t ON t.id = u.tenant_id
        WHERE lower(u.email) = lower(p_email)
        ORDER BY t.name, u.tenant_id LIMIT 20 $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_accounts_by_email(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_accounts_by_email(text) TO crm_app;
