-- The six global look-ups move out of the tenant tables (README, "Distributing tenants on Citus"). A session
-- cookie, an API key, an invitation or password-reset link, a tracking link /w/{code} and a WhatsApp webhook's
-- phone number id name no shop: each was a unique index on its column alone, which a table distributed by
-- tenant_id cannot keep. Each now has a small look-up table keyed by the looked-up value → (tenant_id, id) of its
-- row (a reference table on Citus, copied to every node), written by a trigger in the same statement and
-- transaction as the row (insert, a change of the value, delete), so every key of a tenant table carries
-- tenant_id. The look-up table's primary key keeps the value unique across shops, under the name the unique index
-- had, so a clash is the same unique violation as before (a tracking code drawn twice is drawn again; a phone
-- number id connected elsewhere is a 409 naming phoneNumberId). The pre-tenant functions read the look-up table,
-- then the row by its (tenant_id, id) key. The app role cannot read or write the look-up tables: only the
-- SECURITY DEFINER trigger and functions do.
--
-- Keeps a look-up table (TG_ARGV[0]: its name) in step with the tenant table's column TG_ARGV[1]: a row with a
-- value has one look-up row (key → tenant_id, id); null has none.
CREATE FUNCTION keep_lookup() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  lookup text := TG_ARGV[0];
  old_key text;
  new_key text;
BEGIN
  IF TG_OP <> 'INSERT' THEN EXECUTE format('SELECT ($1).%I::text', TG_ARGV[1]) INTO old_key USING OLD; END IF;
  IF TG_OP <> 'DELETE' THEN EXECUTE format('SELECT ($1).%I::text', TG_ARGV[1]) INTO new_key USING NEW; END IF;
  IF TG_OP = 'UPDATE' AND old_key IS NOT DISTINCT FROM new_key AND OLD.tenant_id = NEW.tenant_id AND OLD.id = NEW.id THEN
    RETURN NULL;
  END IF;
  IF old_key IS NOT NULL THEN
    EXECUTE format('DELETE FROM %I WHERE key = $1 AND tenant_id = $2 AND id = $3', lookup)
      USING old_key, OLD.tenant_id, OLD.id;
  END IF;
  IF new_key IS NOT NULL THEN
    EXECUTE format('INSERT INTO %I (key, tenant_id, id) VALUES ($1, $2, $3)', lookup)
      USING new_key, NEW.tenant_id, NEW.id;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION keep_lookup() FROM PUBLIC;--> statement-breakpoint
-- Makes the look-up table of `target`.`col` (the old unique index `unique_name` goes; the look-up's primary key
-- takes its name), fills it from the rows there are, and adds the trigger.
CREATE FUNCTION make_lookup(target regclass, col text, lookup text, unique_name text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', target, unique_name);
  EXECUTE format('DROP INDEX IF EXISTS %I', unique_name);
  EXECUTE format(
    'CREATE TABLE %I (key text NOT NULL, tenant_id uuid NOT NULL, id uuid NOT NULL, CONSTRAINT %I PRIMARY KEY (key))',
    lookup, unique_name);
  -- Row-level security like every table with a tenant_id (forced; the owner's SECURITY DEFINER trigger and
  -- functions pass its owner policy), then no grant at all to the app role.
  PERFORM enable_tenant_rls(lookup::regclass);
  EXECUTE format('REVOKE ALL ON %I FROM PUBLIC, crm_app', lookup);
  EXECUTE format('INSERT INTO %I (key, tenant_id, id) SELECT %I, tenant_id, id FROM %s WHERE %I IS NOT NULL',
    lookup, col, target, col);
  EXECUTE format(
    'CREATE TRIGGER %I AFTER INSERT OR DELETE OR UPDATE OF %I, tenant_id, id ON %s '
    'FOR EACH ROW EXECUTE FUNCTION keep_lookup(%L, %L)',
    lookup, col, target, lookup, col);
END
$$;--> statement-breakpoint
SELECT make_lookup('session', 'token_hash', 'session_lookup', 'session_token_hash_key');--> statement-breakpoint
SELECT make_lookup('api_key', 'key_hash', 'api_key_lookup', 'api_key_hash_key');--> statement-breakpoint
SELECT make_lookup('app_user', 'invite_token_hash', 'invitation_lookup', 'app_user_invite_token_key');--> statement-breakpoint
SELECT make_lookup('password_reset', 'token_hash', 'password_reset_lookup', 'password_reset_token_hash_key');--> statement-breakpoint
SELECT make_lookup('tracked_link', 'code', 'tracked_link_lookup', 'tracked_link_code_key');--> statement-breakpoint
SELECT make_lookup('whatsapp_channel', 'phone_number_id', 'whatsapp_channel_lookup', 'whatsapp_channel_phone_number_key');--> statement-breakpoint
DROP FUNCTION make_lookup(regclass, text, text, text);--> statement-breakpoint
-- A tenant's own look-up of its link by code (the /w/ redirect, once the tenant is known) keeps an index.
CREATE UNIQUE INDEX tracked_link_tenant_code_key ON tracked_link USING btree (tenant_id, code);--> statement-breakpoint
-- The pre-tenant functions, same signatures and answers, through the look-up tables.
CREATE OR REPLACE FUNCTION auth_session(p_token_hash text)
  RETURNS TABLE (session_id uuid, tenant_id uuid, user_id uuid, expires_at timestamptz, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT s.id, s.tenant_id, s.user_id, s.expires_at, s.revoked_at
          FROM session_lookup l JOIN session s ON s.tenant_id = l.tenant_id AND s.id = l.id
         WHERE l.key = p_token_hash $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_session_principal(p_token_hash text)
  RETURNS TABLE (session_id uuid, tenant_id uuid, user_id uuid, role user_role, active boolean,
                 expires_at timestamptz, revoked_at timestamptz, branch_ids uuid[])
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT s.id, s.tenant_id, s.user_id, u.role, u.active, s.expires_at, s.revoked_at,
           ARRAY(SELECT ub.branch_id FROM user_branch ub
                  WHERE ub.tenant_id = s.tenant_id AND ub.user_id = s.user_id
                  ORDER BY ub.branch_id)
      FROM session_lookup l
      JOIN session s ON s.tenant_id = l.tenant_id AND s.id = l.id
      JOIN app_user u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
     WHERE l.key = p_token_hash
  $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_api_key(p_key_hash text)
  RETURNS TABLE (api_key_id uuid, tenant_id uuid, revoked_at timestamptz, expires_at timestamptz, scopes text[])
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT k.id, k.tenant_id, k.revoked_at, k.expires_at, k.scopes
          FROM api_key_lookup l JOIN api_key k ON k.tenant_id = l.tenant_id AND k.id = l.id
         WHERE l.key = p_key_hash $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_invitation(p_token_hash text)
  RETURNS TABLE (user_id uuid, tenant_id uuid, expires_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT u.id, u.tenant_id, u.invite_expires_at
          FROM invitation_lookup l JOIN app_user u ON u.tenant_id = l.tenant_id AND u.id = l.id
         WHERE l.key = p_token_hash $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION auth_password_reset(p_token_hash text)
  RETURNS TABLE (reset_id uuid, user_id uuid, tenant_id uuid, expires_at timestamptz, used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT r.id, r.user_id, r.tenant_id, r.expires_at, r.used_at
          FROM password_reset_lookup l JOIN password_reset r ON r.tenant_id = l.tenant_id AND r.id = l.id
         WHERE l.key = p_token_hash $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION tracked_link_tenant(link_code text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT tenant_id FROM tracked_link_lookup WHERE key = link_code $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION whatsapp_webhook_channels(p_phone_number_ids text[])
  RETURNS TABLE (channel_id uuid, tenant_id uuid, branch_id uuid, phone_number_id text, app_secret_enc text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$ SELECT c.id, c.tenant_id, c.branch_id, c.phone_number_id, c.app_secret_enc
          FROM whatsapp_channel_lookup l JOIN whatsapp_channel c ON c.tenant_id = l.tenant_id AND c.id = l.id
         WHERE l.key = ANY (p_phone_number_ids) $$;
