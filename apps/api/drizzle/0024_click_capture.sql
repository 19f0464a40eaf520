-- A marketplace click in one round trip (modules/tracking, issue 17). The click endpoint used to send 14 statements,
-- each a round trip, and took the branch's row lock for the round-robin turn early, so a busy branch's lock was held
-- across most of them and the commit. capture_click does the same work inside the server: the app sends
-- `begin; set tenant; select capture_click(...); commit` as one message.
--
-- These functions are SECURITY INVOKER (the default): they run as the app role, under the caller's row-level
-- security, so they see and write only the tenant the transaction is bound to, exactly like the statements they
-- replace. The rules are the app's, mirrored here (WhatsApp messages, manual entry and campaign replies still run the
-- TypeScript); each block names the TypeScript it mirrors, so a change to a rule is made in both, and the tests
-- (tracking's through this function; leads capture/assignment and manual entry, which share the branch's turn with
-- it) hold both to the same behaviour. PL/pgSQL rather than one statement: the steps branch (found or not, open lead
-- or not, strategy), and each takes its lock only when it gets there:
--   contacts.service.ts  findOrCreateForClick                         (who clicked, with the shop's API key)
--   leads/capture.ts     captureClick                                 (the open lead of the last 7 days, or a new one)
--   leads/assignment.ts  assignNewLead, isOpenAt                      (who gets a new lead)
-- What stays in TypeScript: parsing phones (libphonenumber), drawing reference codes and ids, the click's
-- payload, the wa.me link, idempotency keys, rate limits and everything after commit (live feed, jobs).

-- platform/business-hours.ts isOpenAt: whether a branch with these hours is open at this instant, intervals being
-- [open, close) of "HH:MM" wall-clock times in the branch's time zone, keyed by weekday (mon … sun). The times are
-- compared as the app compares them, byte by byte (COLLATE "C").
CREATE FUNCTION branch_open_at(hours jsonb, zone text, at timestamptz) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
    SELECT EXISTS (
      SELECT 1
        FROM jsonb_array_elements(coalesce(hours -> to_char(at AT TIME ZONE zone, 'dy'), '[]'::jsonb)) AS i
       WHERE (i ->> 'open') COLLATE "C" <= to_char(at AT TIME ZONE zone, 'HH24:MI')
         AND to_char(at AT TIME ZONE zone, 'HH24:MI') < (i ->> 'close') COLLATE "C")
  $$;--> statement-breakpoint

-- One click. Answers one row: `problem` names what is wrong with the input (nothing is written then), otherwise the
-- lead as stored, whether it was created, its reference code, the customer, and what the wa.me link needs.
--
-- problem: 'tenant' (no such shop: 404), 'branch' (no active branch of the shop), 'branch-whatsapp' (no WhatsApp
-- number), 'listing', 'campaign', or p_identity_problem as the app found it ('phone', 'visitorId'); they come in
-- that order, the order in which the app checks them.
CREATE FUNCTION capture_click(
  p_tenant uuid,
  p_branch uuid,
  p_listing uuid,
  p_campaign uuid,
  p_source lead_source,
  -- Who clicked. p_trusted: the shop's own API key called, so user id, phone and name are believed; otherwise the
  -- click is a visitor's, known by p_visitor_id alone. The phone comes parsed (E.164), the name trimmed.
  p_trusted boolean,
  p_user_id text,
  p_visitor_id text,
  p_phone text,
  p_name text,
  -- What the app found wrong with the identity, reported after the targets' problems (see above).
  p_identity_problem text,
  -- The click event's payload without the listing, campaign and reference code, which are added here.
  p_click jsonb,
  p_message text,
  -- A click joins an open lead active since then (capture.ts OPEN_LEAD_WINDOW_MS before p_at).
  p_since timestamptz,
  p_at timestamptz,
  -- Ids drawn by the app (UUIDv7, ordered as written): [contact, lead, CREATED, WHATSAPP_CLICK, MESSAGE_RECEIVED,
  -- ASSIGNED]. Unused ones are simply not used.
  p_ids uuid[],
  -- Reference codes drawn by the app, tried in order: a code another lead of the shop has is skipped.
  p_ref_codes text[]
) RETURNS TABLE (
  problem text,
  created boolean,
  ref text,
  wa_phone text,
  wa_country text,
  listing_title text,
  customer jsonb,
  lead_row lead
)
  LANGUAGE plpgsql VOLATILE
  AS $$
#variable_conflict use_column
DECLARE
  v_branch record;
  v_listing jsonb;
  v_campaign jsonb;
  -- The contact found by an identity (f_) and the click's contact (c_).
  f_id uuid;
  f_name text;
  f_phone text;
  f_user text;
  f_visitor text;
  c_id uuid;
  c_name text;
  c_phone text;
  v_open record;
  v_lead lead;
  v_code text;
  v_key text;
  v_strategy assignment_strategy;
  v_sellers uuid[];
  v_available uuid[];
  v_pool uuid[];
  v_off_shift boolean;
  v_last uuid;
  v_user uuid;
  v_click jsonb;
BEGIN
  -- The targets (tracking.service.ts clickTargets). The tenant is only looked up when the branch is missing.
  SELECT b.id, b.active, b.whatsapp_phone, b.country_code, b.timezone, b.business_hours
    INTO v_branch FROM branch b WHERE b.tenant_id = p_tenant AND b.id = p_branch;
  IF NOT FOUND THEN
    problem := CASE WHEN EXISTS (SELECT 1 FROM tenant t WHERE t.id = p_tenant) THEN 'branch' ELSE 'tenant' END;
    RETURN NEXT;
    RETURN;
  END IF;
  IF NOT v_branch.active THEN
    problem := 'branch'; RETURN NEXT; RETURN;
  END IF;
  IF coalesce(v_branch.whatsapp_phone, '') = '' THEN
    problem := 'branch-whatsapp'; RETURN NEXT; RETURN;
  END IF;
  IF p_listing IS NOT NULL THEN
    -- The listing as the customer saw it: the click's event keeps this copy, whatever changes later.
    SELECT jsonb_build_object('id', l.id, 'title', l.title, 'price', l.price, 'currency', l.currency, 'stock', l.stock),
           l.title
      INTO v_listing, listing_title
      FROM listing l WHERE l.tenant_id = p_tenant AND l.id = p_listing;
    IF NOT FOUND THEN
      problem := 'listing'; RETURN NEXT; RETURN;
    END IF;
  END IF;
  IF p_campaign IS NOT NULL THEN
    SELECT jsonb_build_object('id', c.id, 'name', c.name) INTO v_campaign
      FROM campaign c WHERE c.tenant_id = p_tenant AND c.id = p_campaign;
    IF NOT FOUND THEN
      problem := 'campaign'; RETURN NEXT; RETURN;
    END IF;
  END IF;
  IF p_identity_problem IS NOT NULL THEN
    problem := p_identity_problem; RETURN NEXT; RETURN;
  END IF;
  wa_phone := v_branch.whatsapp_phone;
  wa_country := v_branch.country_code;

  -- Who clicked (contacts.service.ts). Each identity is locked for the transaction, so concurrent clicks of one
  -- customer make one contact; the locks are taken in sorted order, so two clicks never wait on each other's second.
  IF p_trusted THEN
    FOREACH v_key IN ARRAY (
      SELECT coalesce(array_agg(k ORDER BY k COLLATE "C"), '{}')
        FROM unnest(ARRAY['contact-user:' || p_tenant || ':' || p_user_id,
                          'contact-visitor:' || p_tenant || ':' || p_visitor_id,
                          'contact:' || p_tenant || ':' || p_phone]) AS k
       WHERE k IS NOT NULL)
    LOOP
      PERFORM pg_advisory_xact_lock(hashtextextended(v_key, 0));
    END LOOP;
    -- Found by marketplace user, else by visitor (unless that contact is another user's: a shared device), else by
    -- phone; the oldest contact of each.
    IF p_user_id IS NOT NULL THEN
      SELECT c.id, c.name, c.phone, c.marketplace_user_id, c.visitor_id INTO f_id, f_name, f_phone, f_user, f_visitor
        FROM contact c WHERE c.tenant_id = p_tenant AND c.marketplace_user_id = p_user_id
       ORDER BY c.created_at, c.id LIMIT 1;
    END IF;
    IF f_id IS NULL AND p_visitor_id IS NOT NULL THEN
      SELECT c.id, c.name, c.phone, c.marketplace_user_id, c.visitor_id INTO f_id, f_name, f_phone, f_user, f_visitor
        FROM contact c WHERE c.tenant_id = p_tenant AND c.visitor_id = p_visitor_id
       ORDER BY c.created_at, c.id LIMIT 1;
      IF f_id IS NOT NULL AND p_user_id IS NOT NULL AND f_user IS NOT NULL AND f_user <> p_user_id THEN
        f_id := NULL;
      END IF;
    END IF;
    IF f_id IS NULL AND p_phone IS NOT NULL THEN
      SELECT c.id, c.name, c.phone, c.marketplace_user_id, c.visitor_id INTO f_id, f_name, f_phone, f_user, f_visitor
        FROM contact c WHERE c.tenant_id = p_tenant AND c.phone = p_phone
       ORDER BY c.created_at, c.id LIMIT 1;
    END IF;
    IF f_id IS NULL THEN
      INSERT INTO contact (id, tenant_id, name, phone, marketplace_user_id, visitor_id)
      VALUES (p_ids[1], p_tenant, p_name, p_phone, p_user_id, p_visitor_id)
      RETURNING id, name, phone INTO c_id, c_name, c_phone;
    ELSE
      -- Only what the contact lacks, never overwriting what is on file; a click that teaches nothing writes nothing.
      IF (f_name IS NULL AND p_name IS NOT NULL) OR (f_phone IS NULL AND p_phone IS NOT NULL)
         OR (f_user IS NULL AND p_user_id IS NOT NULL) OR (f_visitor IS NULL AND p_visitor_id IS NOT NULL) THEN
        UPDATE contact c
           SET name = coalesce(c.name, p_name), phone = coalesce(c.phone, p_phone),
               marketplace_user_id = coalesce(c.marketplace_user_id, p_user_id),
               visitor_id = coalesce(c.visitor_id, p_visitor_id), updated_at = now()
         WHERE c.tenant_id = p_tenant AND c.id = f_id;
      END IF;
      c_id := f_id;
      c_name := coalesce(f_name, p_name);
      c_phone := coalesce(f_phone, p_phone);
    END IF;
  ELSE
    -- An anonymous click names whatever ids it likes: it only ever reaches a contact that is nothing but a visitor
    -- (no marketplace user, phone or e-mail), the oldest, or makes one. This rule lives here only.
    PERFORM pg_advisory_xact_lock(hashtextextended('contact-visitor:' || p_tenant || ':' || p_visitor_id, 0));
    SELECT c.id, c.name, c.phone INTO c_id, c_name, c_phone
      FROM contact c
     WHERE c.tenant_id = p_tenant AND c.visitor_id = p_visitor_id
       AND c.marketplace_user_id IS NULL AND c.phone IS NULL AND c.email IS NULL
     ORDER BY c.created_at, c.id LIMIT 1;
    IF c_id IS NULL THEN
      INSERT INTO contact (id, tenant_id, name, phone, visitor_id)
      VALUES (p_ids[1], p_tenant, NULL, NULL, p_visitor_id)
      RETURNING id, name, phone INTO c_id, c_name, c_phone;
    END IF;
  END IF;
  customer := jsonb_build_object('id', c_id, 'name', c_name, 'phone', c_phone);

  -- The contact's conversation at the branch is one lead (capture.repository.ts lockOpenLead): concurrent clicks
  -- wait here, then find the lead the first one opened.
  PERFORM pg_advisory_xact_lock(
    hashtextextended('lead-open:' || p_tenant || ':' || c_id || ':' || p_branch, 0));
  SELECT l.id, l.ref_code INTO v_open
    FROM lead l
   WHERE l.tenant_id = p_tenant AND l.contact_id = c_id AND l.branch_id = p_branch
     AND l.status NOT IN ('WON', 'LOST') AND l.last_activity_at >= p_since
   ORDER BY l.last_activity_at DESC LIMIT 1;

  IF v_open.id IS NOT NULL THEN
    -- A repeat click joins the open lead as an event (and gives it a reference code if it has none yet).
    ref := v_open.ref_code;
    IF ref IS NULL THEN
      FOREACH v_code IN ARRAY p_ref_codes LOOP
        BEGIN
          UPDATE lead l SET ref_code = v_code WHERE l.tenant_id = p_tenant AND l.id = v_open.id;
          ref := v_code;
          EXIT;
        EXCEPTION WHEN unique_violation THEN
          -- Another lead of the shop has this code: the next one.
        END;
      END LOOP;
      IF ref IS NULL THEN
        RAISE EXCEPTION 'no free reference code in % draws', cardinality(p_ref_codes);
      END IF;
    END IF;
    v_click := p_click || jsonb_build_object('listing', v_listing, 'campaign', v_campaign, 'refCode', ref);
    INSERT INTO lead_event (id, tenant_id, lead_id, type, payload, actor_user_id, created_at)
    SELECT e.id, p_tenant, v_open.id, e.type, e.payload, NULL, p_at
      FROM (VALUES (p_ids[4], 'WHATSAPP_CLICK', v_click),
                   (p_ids[5], 'MESSAGE_RECEIVED', jsonb_build_object('channel', 'MARKETPLACE', 'text', p_message)))
           AS e(id, type, payload)
     WHERE e.type <> 'MESSAGE_RECEIVED' OR p_message IS NOT NULL;
    UPDATE lead l SET last_activity_at = greatest(l.last_activity_at, p_at)
     WHERE l.tenant_id = p_tenant AND l.id = v_open.id
    RETURNING l.* INTO v_lead;
    created := false;
    lead_row := v_lead;
    RETURN NEXT;
    RETURN;
  END IF;

  -- A new lead, assigned at once (assignment.ts): among the branch's active sellers who can sign in, those on
  -- shift (branch open, availability on); with nobody on shift, every seller, and the lead is flagged.
  SELECT t.assignment_strategy INTO v_strategy FROM tenant t WHERE t.id = p_tenant;
  IF v_strategy = 'FEWEST_OPEN' THEN
    -- The fewest-open count must see the leads of whoever took the turn before: the branch's row is locked first,
    -- as assignment.ts does for every strategy.
    SELECT b.last_assigned_user_id INTO v_last FROM branch b
     WHERE b.tenant_id = p_tenant AND b.id = p_branch FOR UPDATE;
  END IF;
  SELECT coalesce(array_agg(u.id ORDER BY u.id), '{}'),
         coalesce(array_agg(u.id ORDER BY u.id) FILTER (WHERE u.available), '{}')
    INTO v_sellers, v_available
    FROM user_branch ub
    JOIN app_user u ON u.tenant_id = ub.tenant_id AND u.id = ub.user_id
   WHERE ub.tenant_id = p_tenant AND ub.branch_id = p_branch
     AND u.role = 'SELLER' AND u.active AND u.password_hash IS NOT NULL;
  v_pool := CASE WHEN branch_open_at(v_branch.business_hours, v_branch.timezone, p_at) THEN v_available
                 ELSE '{}' END;
  v_off_shift := cardinality(v_pool) = 0;
  IF v_off_shift THEN
    v_pool := v_sellers;
  END IF;

  IF v_strategy = 'FEWEST_OPEN' AND cardinality(v_pool) > 1 THEN
    -- Those holding the fewest open leads, then the next of them in turn (assignment.ts nextInTurn).
    SELECT array_agg(s.id ORDER BY s.id) INTO v_pool
      FROM (SELECT p.id, count(l.id) AS n, min(count(l.id)) OVER () AS fewest
              FROM unnest(v_pool) AS p(id)
              LEFT JOIN lead l ON l.tenant_id = p_tenant AND l.assigned_to_user_id = p.id
                              AND l.status NOT IN ('WON', 'LOST', 'DORMANT')
             GROUP BY p.id) s
     WHERE s.n = s.fewest;
    v_user := coalesce((SELECT p.id FROM unnest(v_pool) AS p(id) WHERE p.id > v_last ORDER BY p.id LIMIT 1),
                       v_pool[1]);
    UPDATE branch b SET last_assigned_user_id = v_user WHERE b.tenant_id = p_tenant AND b.id = p_branch;
  ELSIF cardinality(v_pool) > 0 THEN
    -- Round robin: the seller after the branch's last, wrapping round, taken and saved in this one statement. The
    -- branch's row is locked only from here to the commit; a concurrent click waiting on it computes its own turn
    -- again from the row as the first one left it (an UPDATE re-reads a row changed under it), so two leads never
    -- take the same turn.
    UPDATE branch b
       SET last_assigned_user_id = coalesce(
             (SELECT p.id FROM unnest(v_pool) AS p(id) WHERE p.id > b.last_assigned_user_id ORDER BY p.id LIMIT 1),
             v_pool[1])
     WHERE b.tenant_id = p_tenant AND b.id = p_branch
    RETURNING b.last_assigned_user_id INTO v_user;
  END IF;

  -- The lead, with the first reference code no other lead of the shop has.
  FOREACH v_code IN ARRAY p_ref_codes LOOP
    INSERT INTO lead (id, tenant_id, branch_id, contact_id, source, customer_user_id, listing_id, campaign_id,
                      assigned_to_user_id, ref_code, status_changed_at, last_activity_at, created_at, updated_at)
    VALUES (p_ids[2], p_tenant, p_branch, c_id, p_source, CASE WHEN p_trusted THEN p_user_id END,
            p_listing, p_campaign, v_user, v_code, p_at, p_at, p_at, p_at)
    ON CONFLICT (tenant_id, ref_code) WHERE ref_code IS NOT NULL DO NOTHING
    RETURNING * INTO v_lead;
    IF v_lead.id IS NOT NULL THEN
      ref := v_code;
      EXIT;
    END IF;
  END LOOP;
  IF ref IS NULL THEN
    RAISE EXCEPTION 'no free reference code in % draws', cardinality(p_ref_codes);
  END IF;

  v_click := p_click || jsonb_build_object('listing', v_listing, 'campaign', v_campaign, 'refCode', ref);
  INSERT INTO lead_event (id, tenant_id, lead_id, type, payload, actor_user_id, created_at)
  SELECT e.id, p_tenant, v_lead.id, e.type, e.payload, NULL, p_at
    FROM (VALUES
            (p_ids[3], 'CREATED', true,
             jsonb_build_object('source', p_source, 'listingId', p_listing, 'contactId', c_id)),
            (p_ids[4], 'WHATSAPP_CLICK', true, v_click),
            (p_ids[5], 'MESSAGE_RECEIVED', p_message IS NOT NULL,
             jsonb_build_object('channel', 'MARKETPLACE', 'text', p_message)),
            -- assignment.ts assignedPayload: none when nobody got the lead and there is nobody to tell.
            (p_ids[6], 'ASSIGNED', v_user IS NOT NULL OR v_off_shift,
             jsonb_build_object('fromUserId', NULL, 'toUserId', v_user, 'strategy', v_strategy)
               || CASE WHEN v_off_shift THEN '{"offShift": true}'::jsonb ELSE '{}'::jsonb END))
         AS e(id, type, wanted, payload)
   WHERE e.wanted;
  created := true;
  lead_row := v_lead;
  RETURN NEXT;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION branch_open_at(jsonb, text, timestamptz) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION capture_click(uuid, uuid, uuid, uuid, lead_source, boolean, text, text, text, text, text, jsonb, text, timestamptz, timestamptz, uuid[], text[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION branch_open_at(jsonb, text, timestamptz) TO crm_app;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION capture_click(uuid, uuid, uuid, uuid, lead_source, boolean, text, text, text, text, text, jsonb, text, timestamptz, timestamptz, uuid[], text[]) TO crm_app;
