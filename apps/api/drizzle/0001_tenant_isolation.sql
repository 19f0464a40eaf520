-- Tenant isolation, the second wall: row-level security on every tenant-owned table.
-- The application connects as (or SET ROLE to) crm_app, which owns no table and has no BYPASSRLS;
-- each transaction names its tenant with set_config('app.tenant_id', <uuid>, true).
-- With no tenant set, app_current_tenant() is NULL and every policy matches no row.
DO $$
BEGIN
  CREATE ROLE crm_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION WHEN OTHERS THEN
  -- Roles are cluster-wide: another database of the cluster (or a concurrent migration) made it.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_app') THEN RAISE; END IF;
END
$$;--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('GRANT crm_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL; -- already a member, or a superuser that needs no membership
END
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO crm_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO crm_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO crm_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO crm_app;--> statement-breakpoint
CREATE FUNCTION app_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;--> statement-breakpoint
-- Later migrations call this for each new tenant-owned table.
CREATE FUNCTION enable_tenant_rls(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())',
    target);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO crm_app', target);
END
$$;--> statement-breakpoint
ALTER TABLE tenant ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenant USING (id = app_current_tenant()) WITH CHECK (id = app_current_tenant());--> statement-breakpoint
SELECT enable_tenant_rls(t::regclass)
  FROM unnest(ARRAY['branch', 'app_user', 'user_branch', 'session', 'api_key', 'listing', 'contact', 'lead',
                    'lead_event', 'lead_note']) AS t;--> statement-breakpoint
-- The few look-ups that must run before the tenant is known (login, a session or API key on a request,
-- an invitation link). They run as the owner and return only what authentication needs.
CREATE FUNCTION auth_user_by_email(p_email text)
  RETURNS TABLE (user_id uuid, tenant_id uuid, password_hash text, active boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id, password_hash, active FROM app_user WHERE lower(email) = lower(p_email) $$;--> statement-breakpoint
CREATE FUNCTION auth_session(p_token_hash text)
  RETURNS TABLE (session_id uuid, tenant_id uuid, user_id uuid, expires_at timestamptz, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id, user_id, expires_at, revoked_at FROM session WHERE token_hash = p_token_hash $$;--> statement-breakpoint
CREATE FUNCTION auth_api_key(p_key_hash text)
  RETURNS TABLE (api_key_id uuid, tenant_id uuid, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id, revoked_at FROM api_key WHERE key_hash = p_key_hash $$;--> statement-breakpoint
CREATE FUNCTION auth_invitation(p_token_hash text)
  RETURNS TABLE (user_id uuid, tenant_id uuid, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT id, tenant_id, invite_expires_at FROM app_user WHERE invite_token_hash = p_token_hash $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_user_by_email(text), auth_session(text), auth_api_key(text), auth_invitation(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_user_by_email(text), auth_session(text), auth_api_key(text), auth_invitation(text) TO crm_app;
