-- One implementation of each rule of a new lead (issue 17's follow-up). capture_click (0024) mirrored the
-- TypeScript that WhatsApp messages, campaign replies, manual entry and the follow-up engine still ran, so every rule
-- stood twice. The rules now live here alone, each in one function, and every caller goes through it:
--   find_or_create_contact  the customer known by marketplace user, visitor or phone (clicks, manual entry, WhatsApp)
--   lock_open_leads         the contact's open lead at a branch, its lock held (clicks, messages, batches of them)
--   assign_next_seller      who gets a lead: the branch's turn or the fewest open leads, on shift first
--   capture_lead            a known contact's open lead joined, or a new lead opened and assigned, with its events
--   capture_click           a marketplace click: its targets and customer, then capture_lead
-- TypeScript keeps what it does better (parsing phones, drawing ids and reference codes) and calls these, each in one
-- statement: leads/capture.repository.ts, leads/assignment.repository.ts, contacts/contacts.repository.ts.
-- They are SECURITY INVOKER, as 0024's: they run as the app role under the caller's row-level security.

-- The open lead of each (contact, branch) pair: anything but WON or LOST, the most recently active, and active since
-- p_since (a click's window) unless p_since is null (a message continues a conversation however long it lay quiet).
-- Each pair's lock is taken first and held for the transaction, so concurrent clicks and messages of one contact wait
-- here and then find the lead the first one opened; the locks are taken in sorted order, so two batches never wait
-- on each other's second. A pair with no open lead is absent (and stays so while the lock is held).
CREATE FUNCTION lock_open_leads(p_tenant uuid, p_contacts uuid[], p_branches uuid[], p_since timestamptz)
  RETURNS TABLE (contact_id uuid, branch_id uuid, id uuid, ref_code text)
  LANGUAGE plpgsql VOLATILE
  AS $$
#variable_conflict use_column
DECLARE
  v_key text;
BEGIN
  FOR v_key IN
    SELECT k.key FROM (SELECT DISTINCT 'lead-open:' || p_tenant || ':' || p.c || ':' || p.b AS key
                         FROM unnest(p_contacts, p_branches) AS p(c, b)) k
     ORDER BY k.key COLLATE "C"
  LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(v_key, 0));
  END LOOP;
  RETURN QUERY
    SELECT DISTINCT ON (l.contact_id, l.branch_id) l.contact_id, l.branch_id, l.id, l.ref_code
      FROM lead l
     WHERE l.tenant_id = p_tenant
       AND (l.contact_id, l.branch_id) IN (SELECT p.c, p.b FROM unnest(p_contacts, p_branches) AS p(c, b))
       AND l.status NOT IN ('WON', 'LOST')
       AND (p_since IS NULL OR l.last_activity_at >= p_since)
     ORDER BY l.contact_id, l.branch_id, l.last_activity_at DESC;
END
$$;--> statement-breakpoint

-- Who gets a lead at the branch at p_at, the turn taken and saved. Among the branch's active sellers who can sign in
-- (an invited seller who never set a password cannot open it yet), those on shift: the branch open
-- (branch_open_at) and their availability on. With nobody on shift, every seller, and off_shift says so (the manager
-- is told). p_exclude is passed over (the seller an unanswered lead is taken from); whether anyone is on shift is
-- decided before. Round robin by default: the seller after the branch's last in id order, wrapping round; FEWEST_OPEN:
-- those holding the fewest open leads, then the next of them in turn. With no seller at all user_id is null.
-- assigned is the ASSIGNED event a new lead writes: none when nobody got it and there is nobody to tell.
CREATE FUNCTION assign_next_seller(p_tenant uuid, p_branch uuid, p_at timestamptz, p_exclude uuid)
  RETURNS TABLE (user_id uuid, off_shift boolean, strategy assignment_strategy, assigned jsonb)
  LANGUAGE plpgsql VOLATILE
  AS $$
#variable_conflict use_column
DECLARE
  v_strategy assignment_strategy;
  v_branch record;
  v_sellers uuid[];
  v_available uuid[];
  v_pool uuid[];
  v_off_shift boolean;
  v_user uuid;
BEGIN
  SELECT t.assignment_strategy INTO v_strategy FROM tenant t WHERE t.id = p_tenant;
  IF v_strategy = 'FEWEST_OPEN' THEN
    -- The fewest-open count must see the leads of whoever took the turn before: the branch's row is locked first.
    PERFORM FROM branch b WHERE b.tenant_id = p_tenant AND b.id = p_branch FOR UPDATE;
  END IF;
  SELECT b.business_hours, b.timezone, b.last_assigned_user_id AS last INTO v_branch FROM branch b
   WHERE b.tenant_id = p_tenant AND b.id = p_branch;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'branch % vanished during assignment', p_branch;
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
  v_pool := array_remove(v_pool, p_exclude);

  IF v_strategy = 'FEWEST_OPEN' AND cardinality(v_pool) > 1 THEN
    SELECT array_agg(s.id ORDER BY s.id) INTO v_pool
      FROM (SELECT p.id, count(l.id) AS n, min(count(l.id)) OVER () AS fewest
              FROM unnest(v_pool) AS p(id)
              LEFT JOIN lead l ON l.tenant_id = p_tenant AND l.assigned_to_user_id = p.id
                              AND l.status NOT IN ('WON', 'LOST', 'DORMANT')
             GROUP BY p.id) s
     WHERE s.n = s.fewest;
    v_user := coalesce((SELECT p.id FROM unnest(v_pool) AS p(id) WHERE p.id > v_branch.last ORDER BY p.id LIMIT 1),
                       v_pool[1]);
    UPDATE branch b SET last_assigned_user_id = v_user WHERE b.tenant_id = p_tenant AND b.id = p_branch;
  ELSIF cardinality(v_pool) > 0 THEN
    -- Round robin: the seller after the branch's last, wrapping round, taken and saved in this one statement. The
    -- branch's row is locked only from here to the commit; a concurrent lead waiting on it computes its own turn
    -- again from the row as the first one left it (an UPDATE re-reads a row changed under it), so two leads never
    -- take the same turn.
    UPDATE branch b
       SET last_assigned_user_id = coalesce(
             (SELECT p.id FROM unnest(v_pool) AS p(id) WHERE p.id > b.last_assigned_user_id ORDER BY p.id LIMIT 1),
             v_pool[1])
     WHERE b.tenant_id = p_tenant AND b.id = p_branch
    RETURNING b.last_assigned_user_id INTO v_user;
  END IF;
  user_id := v_user;
  off_shift := v_off_shift;
  strategy := v_strategy;
  assigned := CASE WHEN v_user IS NOT NULL OR v_off_shift THEN
                jsonb_build_object('fromUserId', NULL, 'toUserId', v_user, 'strategy', v_strategy)
                  || CASE WHEN v_off_shift THEN '{"offShift": true}'::jsonb ELSE '{}'::jsonb END
              END;
  RETURN NEXT;
END
$$;--> statement-breakpoint

-- A known contact reaching the branch (a click, a WhatsApp message, a campaign reply): the contact's open lead
-- (lock_open_leads, active since p_since or, when null, however long ago) is joined, or a new lead is opened and
-- assigned (assign_next_seller). Answers the lead as stored, whether it was created, its reference code, and the
-- ASSIGNED event's payload of a new lead (null otherwise).
CREATE FUNCTION capture_lead(
  p_tenant uuid,
  p_branch uuid,
  p_contact uuid,
  p_source lead_source,
  p_customer_user text,
  p_listing uuid,
  p_campaign uuid,
  -- The WHATSAPP_CLICK event's payload but for its reference code, added here; null: no click, no event.
  p_click jsonb,
  -- What the customer wrote, and where (MARKETPLACE, WHATSAPP); null: no MESSAGE_RECEIVED event.
  p_message text,
  p_message_channel text,
  p_since timestamptz,
  p_at timestamptz,
  -- Ids drawn by the app (UUIDv7, ordered as written): [lead, CREATED, WHATSAPP_CLICK, MESSAGE_RECEIVED, ASSIGNED].
  p_ids uuid[],
  -- Reference codes drawn by the app, tried in order: a code another lead of the shop has is skipped.
  p_ref_codes text[]
) RETURNS TABLE (created boolean, ref text, assigned jsonb, lead_row lead)
  LANGUAGE plpgsql VOLATILE
  AS $$
#variable_conflict use_column
DECLARE
  v_open record;
  v_user uuid;
  v_assigned jsonb;
  v_lead lead;
  v_lead_id uuid;
  v_code text;
  v_ref text;
  v_created boolean;
BEGIN
  SELECT o.id, o.ref_code INTO v_open
    FROM lock_open_leads(p_tenant, ARRAY[p_contact], ARRAY[p_branch], p_since) o;

  IF v_open.id IS NOT NULL THEN
    -- The open lead goes on (and gets a reference code if it has none yet).
    v_created := false;
    v_lead_id := v_open.id;
    v_ref := v_open.ref_code;
    IF v_ref IS NULL THEN
      FOREACH v_code IN ARRAY p_ref_codes LOOP
        BEGIN
          UPDATE lead l SET ref_code = v_code WHERE l.tenant_id = p_tenant AND l.id = v_open.id;
          v_ref := v_code;
          EXIT;
        EXCEPTION WHEN unique_violation THEN
          -- Another lead of the shop has this code: the next one.
        END;
      END LOOP;
    END IF;
  ELSE
    -- A new lead, assigned at once, with the first reference code no other lead of the shop has.
    v_created := true;
    SELECT a.user_id, a.assigned INTO v_user, v_assigned FROM assign_next_seller(p_tenant, p_branch, p_at, NULL) a;
    FOREACH v_code IN ARRAY p_ref_codes LOOP
      INSERT INTO lead (id, tenant_id, branch_id, contact_id, source, customer_user_id, listing_id, campaign_id,
                        assigned_to_user_id, ref_code, status_changed_at, last_activity_at, created_at, updated_at)
      VALUES (p_ids[1], p_tenant, p_branch, p_contact, p_source, p_customer_user, p_listing, p_campaign,
              v_user, v_code, p_at, p_at, p_at, p_at)
      ON CONFLICT (tenant_id, ref_code) WHERE ref_code IS NOT NULL DO NOTHING
      RETURNING * INTO v_lead;
      IF v_lead.id IS NOT NULL THEN
        v_ref := v_code;
        EXIT;
      END IF;
    END LOOP;
    v_lead_id := v_lead.id;
  END IF;
  IF v_ref IS NULL THEN
    RAISE EXCEPTION 'no free reference code in % draws', cardinality(p_ref_codes);
  END IF;

  INSERT INTO lead_event (id, tenant_id, lead_id, type, payload, actor_user_id, created_at)
  SELECT e.id, p_tenant, v_lead_id, e.type, e.payload, NULL, p_at
    FROM (VALUES
            (p_ids[2], 'CREATED', v_created,
             jsonb_build_object('source', p_source, 'listingId', p_listing, 'contactId', p_contact)),
            (p_ids[3], 'WHATSAPP_CLICK', p_click IS NOT NULL, p_click || jsonb_build_object('refCode', v_ref)),
            (p_ids[4], 'MESSAGE_RECEIVED', p_message IS NOT NULL,
             jsonb_build_object('channel', p_message_channel, 'text', p_message)),
            (p_ids[5], 'ASSIGNED', v_assigned IS NOT NULL, v_assigned))
         AS e(id, type, wanted, payload)
   WHERE e.wanted;
  IF NOT v_created THEN
    UPDATE lead l SET last_activity_at = greatest(l.last_activity_at, p_at)
     WHERE l.tenant_id = p_tenant AND l.id = v_lead_id
    RETURNING l.* INTO v_lead;
  END IF;
  created := v_created;
  ref := v_ref;
  assigned := v_assigned;
  lead_row := v_lead;
  RETURN NEXT;
END
$$;--> statement-breakpoint

-- The customer known by these identities (E.164 phone, name trimmed), found or made: by marketplace user, else by
-- visitor (unless that contact is another user's: a shared device), else by phone; the oldest contact of each. What
-- the caller learnt (a user id for a visitor who logged in, a phone, a name) fills what the contact lacks, never
-- overwriting what is on file; a call that teaches nothing writes nothing. Each identity is locked for the
-- transaction, so concurrent calls for one customer make one contact; the locks are taken in sorted order, so two
-- never wait on each other's second. A marketplace click with the shop's key (capture_click) and a customer known by
-- phone alone (contacts.service.ts findOrCreateByPhone: manual entry, WhatsApp) both come here. p_id: the new
-- contact's id, drawn by the app.
CREATE FUNCTION find_or_create_contact(
  p_tenant uuid, p_user_id text, p_visitor_id text, p_phone text, p_name text, p_id uuid
) RETURNS TABLE (id uuid, name text, phone text)
  LANGUAGE plpgsql VOLATILE
  AS $$
#variable_conflict use_column
DECLARE
  -- The contact found by an identity (f_) and the one answered (c_).
  f_id uuid;
  f_name text;
  f_phone text;
  f_user text;
  f_visitor text;
  c_id uuid;
  c_name text;
  c_phone text;
  v_key text;
BEGIN
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
    INSERT INTO contact AS c (id, tenant_id, name, phone, marketplace_user_id, visitor_id)
    VALUES (p_id, p_tenant, p_name, p_phone, p_user_id, p_visitor_id)
    RETURNING c.id, c.name, c.phone INTO c_id, c_name, c_phone;
  ELSE
    -- Only what the contact lacks, never overwriting what is on file; a call that teaches nothing writes nothing. A
    -- write is a new version of the contact, so a person's edit made on the row before it is told (409).
    IF (f_name IS NULL AND p_name IS NOT NULL) OR (f_phone IS NULL AND p_phone IS NOT NULL)
       OR (f_user IS NULL AND p_user_id IS NOT NULL) OR (f_visitor IS NULL AND p_visitor_id IS NOT NULL) THEN
      UPDATE contact c
         SET name = coalesce(c.name, p_name), phone = coalesce(c.phone, p_phone),
             marketplace_user_id = coalesce(c.marketplace_user_id, p_user_id),
             visitor_id = coalesce(c.visitor_id, p_visitor_id), version = c.version + 1, updated_at = now()
       WHERE c.tenant_id = p_tenant AND c.id = f_id;
    END IF;
    c_id := f_id;
    c_name := coalesce(f_name, p_name);
    c_phone := coalesce(f_phone, p_phone);
  END IF;
  id := c_id;
  name := c_name;
  phone := c_phone;
  RETURN NEXT;
END
$$;--> statement-breakpoint

-- capture_click (0024) as it was, but for the customer with the shop's key (find_or_create_contact) and its open
-- lead, assignment and events (capture_lead).
CREATE OR REPLACE FUNCTION capture_click(
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
  c_id uuid;
  c_name text;
  c_phone text;
  v_captured record;
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

  -- Who clicked: with the shop's key, find_or_create_contact.
  IF p_trusted THEN
    SELECT f.id, f.name, f.phone INTO c_id, c_name, c_phone
      FROM find_or_create_contact(p_tenant, p_user_id, p_visitor_id, p_phone, p_name, p_ids[1]) f;
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

  SELECT l.created, l.ref, l.lead_row INTO v_captured
    FROM capture_lead(p_tenant, p_branch, c_id, p_source, CASE WHEN p_trusted THEN p_user_id END, p_listing,
                      p_campaign, p_click || jsonb_build_object('listing', v_listing, 'campaign', v_campaign),
                      p_message, 'MARKETPLACE', p_since, p_at, p_ids[2:6], p_ref_codes) l;
  created := v_captured.created;
  ref := v_captured.ref;
  lead_row := v_captured.lead_row;
  RETURN NEXT;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION lock_open_leads(uuid, uuid[], uuid[], timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION lock_open_leads(uuid, uuid[], uuid[], timestamptz) TO crm_app;--> statement-breakpoint
REVOKE ALL ON FUNCTION assign_next_seller(uuid, uuid, timestamptz, uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION assign_next_seller(uuid, uuid, timestamptz, uuid) TO crm_app;--> statement-breakpoint
REVOKE ALL ON FUNCTION find_or_create_contact(uuid, text, text, text, text, uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION find_or_create_contact(uuid, text, text, text, text, uuid) TO crm_app;--> statement-breakpoint
REVOKE ALL ON FUNCTION capture_lead(uuid, uuid, uuid, lead_source, text, uuid, uuid, jsonb, text, text, timestamptz, timestamptz, uuid[], text[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION capture_lead(uuid, uuid, uuid, lead_source, text, uuid, uuid, jsonb, text, text, timestamptz, timestamptz, uuid[], text[]) TO crm_app;
