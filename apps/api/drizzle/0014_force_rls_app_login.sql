-- The application logs in as crm_app_login: a member of crm_app (whose grants it inherits) that is neither a
-- superuser nor the owner of anything, so it cannot SET ROLE its way out of row-level security. The owner
-- (DATABASE_URL) keeps migrations, seeding and the maintenance jobs. Roles are cluster-wide: made idempotently.
-- Its password is set at start-up (see platform/app-login.ts); production creates its own login role with its
-- own password and passes APP_DATABASE_URL.
DO $$
BEGIN
  CREATE ROLE crm_app_login LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT;
EXCEPTION WHEN OTHERS THEN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_app_login') THEN RAISE; END IF;
END
$$;--> statement-breakpoint
DO $$
BEGIN
  GRANT crm_app TO crm_app_login;
EXCEPTION WHEN OTHERS THEN
  -- An owner without CREATEROLE may not grant it; enough when another database's migration already did.
  IF NOT pg_has_role('crm_app_login', 'crm_app', 'MEMBER') THEN RAISE; END IF;
END
$$;--> statement-breakpoint
-- FORCE makes the policies bind the tables' owner too, so that an app misconfigured to connect as the owner
-- still sees one tenant at a time. The owner sees across tenants in two cases only: a session that says so
-- with app.all_tenants = 'on' (migrations, seeding, the maintenance jobs: platform/db.ts createOwnerDb), and
-- the SECURITY DEFINER look-ups that run before a tenant is known, where the owner acts for another session
-- user (session_user <> current_user: the app's login role, which is no member of the owner and cannot SET ROLE
-- to it). A superuser owner bypasses row-level security whatever FORCE says; this keeps any other owner working.
CREATE OR REPLACE FUNCTION force_tenant_rls(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format(
    'CREATE POLICY owner_all_tenants ON %s TO %I'
    ' USING (current_setting(''app.all_tenants'', true) = ''on'' OR session_user <> current_user)'
    ' WITH CHECK (current_setting(''app.all_tenants'', true) = ''on'' OR session_user <> current_user)',
    target, current_user);
END
$$;--> statement-breakpoint
-- Later migrations keep calling enable_tenant_rls for a new tenant-owned table: it now forces as well.
CREATE OR REPLACE FUNCTION enable_tenant_rls(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (tenant_id = app_current_tenant()) WITH CHECK (tenant_id = app_current_tenant())',
    target);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO crm_app', target);
  PERFORM force_tenant_rls(target);
END
$$;--> statement-breakpoint
SELECT force_tenant_rls(c.oid::regclass)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
 WHERE c.relkind IN ('r', 'p') AND c.relrowsecurity;
