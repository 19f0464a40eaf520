-- Everything a request needs to know about its session, in one statement run in autocommit: the session,
-- the user's role and active flag, and the user's branches. Like the other auth_* functions it runs as the
-- owner, before the tenant is known, and returns only what authentication needs.
CREATE FUNCTION auth_session_principal(p_token_hash text)
  RETURNS TABLE (session_id uuid, tenant_id uuid, user_id uuid, role user_role, active boolean,
                 expires_at timestamptz, revoked_at timestamptz, branch_ids uuid[])
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT s.id, s.tenant_id, s.user_id, u.role, u.active, s.expires_at, s.revoked_at,
           ARRAY(SELECT ub.branch_id FROM user_branch ub
                  WHERE ub.tenant_id = s.tenant_id AND ub.user_id = s.user_id
                  ORDER BY ub.branch_id)
      FROM session s
      JOIN app_user u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
     WHERE s.token_hash = p_token_hash
  $$;--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_session_principal(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_session_principal(text) TO crm_app;
