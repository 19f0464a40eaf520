-- Every key carries the tenant (README, "Growing past one database"): a primary key, unique constraint or foreign
-- key that includes tenant_id lets the tables be distributed by tenant_id, each shop's rows on one node.
-- Until now each tenant table had a primary key on id alone and a unique (tenant_id, id) that the composite
-- foreign keys pointed at. The primary key becomes (tenant_id, id), the unique constraint it makes redundant goes,
-- and the foreign keys that pointed at it point at the primary key instead (same names, same columns).
-- 1. Drop the foreign keys that point at a (tenant_id, id) unique constraint about to become the primary key.
ALTER TABLE api_key DROP CONSTRAINT api_key_tenant_id_created_by_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE import_job DROP CONSTRAINT import_job_tenant_id_created_by_user_id_app_user_tenant_id_id_f;--> statement-breakpoint
ALTER TABLE lead DROP CONSTRAINT lead_tenant_id_assigned_to_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead_note DROP CONSTRAINT lead_note_tenant_id_author_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE password_reset DROP CONSTRAINT password_reset_tenant_id_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE push_preference DROP CONSTRAINT push_preference_tenant_id_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE push_subscription DROP CONSTRAINT push_subscription_tenant_id_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE quick_reply DROP CONSTRAINT quick_reply_tenant_id_created_by_user_id_app_user_tenant_id_id_;--> statement-breakpoint
ALTER TABLE session DROP CONSTRAINT session_tenant_id_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE task DROP CONSTRAINT task_tenant_id_assignee_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE task DROP CONSTRAINT task_tenant_id_created_by_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE user_branch DROP CONSTRAINT user_branch_tenant_id_user_id_app_user_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE branch_reputation DROP CONSTRAINT branch_reputation_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead DROP CONSTRAINT lead_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE listing DROP CONSTRAINT listing_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE quote DROP CONSTRAINT quote_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE task DROP CONSTRAINT task_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE ticket DROP CONSTRAINT ticket_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE tracked_link DROP CONSTRAINT tracked_link_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE user_branch DROP CONSTRAINT user_branch_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE whatsapp_channel DROP CONSTRAINT whatsapp_channel_tenant_id_branch_id_branch_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE campaign_asset DROP CONSTRAINT campaign_asset_tenant_id_campaign_id_campaign_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE campaign_metric_daily DROP CONSTRAINT campaign_metric_daily_tenant_id_campaign_id_campaign_tenant_id_;--> statement-breakpoint
ALTER TABLE campaign_send DROP CONSTRAINT campaign_send_tenant_id_campaign_id_campaign_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE campaign_win DROP CONSTRAINT campaign_win_tenant_id_campaign_id_campaign_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead DROP CONSTRAINT lead_tenant_id_campaign_id_campaign_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE tracked_link DROP CONSTRAINT tracked_link_tenant_id_campaign_id_campaign_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE campaign_send DROP CONSTRAINT campaign_send_tenant_id_contact_id_contact_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead DROP CONSTRAINT lead_tenant_id_contact_id_contact_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE quote DROP CONSTRAINT quote_tenant_id_contact_id_contact_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE ticket DROP CONSTRAINT ticket_tenant_id_contact_id_contact_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE import_file_chunk DROP CONSTRAINT import_file_chunk_import_fk;--> statement-breakpoint
ALTER TABLE import_rejection DROP CONSTRAINT import_rejection_import_fk;--> statement-breakpoint
ALTER TABLE campaign_send DROP CONSTRAINT campaign_send_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE assistant_shop_example DROP CONSTRAINT assistant_shop_example_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE campaign_send DROP CONSTRAINT campaign_send_tenant_id_reply_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead_ai_assistance DROP CONSTRAINT lead_ai_assistance_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead_ai_feedback DROP CONSTRAINT lead_ai_feedback_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead_event DROP CONSTRAINT lead_event_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead_note DROP CONSTRAINT lead_note_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE quote DROP CONSTRAINT quote_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE task DROP CONSTRAINT task_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE ticket DROP CONSTRAINT ticket_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE whatsapp_message DROP CONSTRAINT whatsapp_message_tenant_id_lead_id_lead_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE lead_ai_feedback DROP CONSTRAINT lead_ai_feedback_tenant_id_assistance_id_lead_ai_assistance_ten;--> statement-breakpoint
ALTER TABLE lead DROP CONSTRAINT lead_tenant_id_listing_id_listing_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE quote_item DROP CONSTRAINT quote_item_tenant_id_listing_id_listing_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE tracked_link DROP CONSTRAINT tracked_link_tenant_id_listing_id_listing_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE quote_item DROP CONSTRAINT quote_item_tenant_id_quote_id_quote_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE campaign_send DROP CONSTRAINT campaign_send_tenant_id_task_id_task_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE quote DROP CONSTRAINT quote_tenant_id_ticket_id_ticket_tenant_id_id_fk;--> statement-breakpoint
ALTER TABLE whatsapp_template DROP CONSTRAINT whatsapp_template_tenant_id_channel_id_whatsapp_channel_tenant_;--> statement-breakpoint
ALTER TABLE campaign_send DROP CONSTRAINT campaign_send_tenant_id_whatsapp_message_id_whatsapp_message_te;--> statement-breakpoint
ALTER TABLE whatsapp_media DROP CONSTRAINT whatsapp_media_tenant_id_message_id_whatsapp_message_tenant_id_;--> statement-breakpoint
-- 2. Every primary key (id) becomes (tenant_id, id); the (tenant_id, id) unique constraints it makes redundant go.
ALTER TABLE api_key DROP CONSTRAINT api_key_pkey, ADD CONSTRAINT api_key_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE app_user DROP CONSTRAINT app_user_pkey, DROP CONSTRAINT app_user_tenant_id_key, ADD CONSTRAINT app_user_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE branch DROP CONSTRAINT branch_pkey, DROP CONSTRAINT branch_tenant_id_key, ADD CONSTRAINT branch_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE campaign DROP CONSTRAINT campaign_pkey, DROP CONSTRAINT campaign_tenant_id_key, ADD CONSTRAINT campaign_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE campaign_asset DROP CONSTRAINT campaign_asset_pkey, DROP CONSTRAINT campaign_asset_tenant_id_key, ADD CONSTRAINT campaign_asset_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE campaign_send DROP CONSTRAINT campaign_send_pkey, ADD CONSTRAINT campaign_send_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE contact DROP CONSTRAINT contact_pkey, DROP CONSTRAINT contact_tenant_id_key, ADD CONSTRAINT contact_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE import_job DROP CONSTRAINT import_job_pkey, DROP CONSTRAINT import_job_tenant_id_key, ADD CONSTRAINT import_job_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE lead DROP CONSTRAINT lead_pkey, DROP CONSTRAINT lead_tenant_id_key, ADD CONSTRAINT lead_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_ai_assistance DROP CONSTRAINT lead_ai_assistance_pkey, DROP CONSTRAINT lead_ai_assistance_tenant_id_key, ADD CONSTRAINT lead_ai_assistance_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_ai_feedback DROP CONSTRAINT lead_ai_feedback_pkey, ADD CONSTRAINT lead_ai_feedback_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_event DROP CONSTRAINT lead_event_pkey, ADD CONSTRAINT lead_event_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_note DROP CONSTRAINT lead_note_pkey, ADD CONSTRAINT lead_note_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE listing DROP CONSTRAINT listing_pkey, DROP CONSTRAINT listing_tenant_id_key, ADD CONSTRAINT listing_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE listing_view DROP CONSTRAINT listing_view_pkey, ADD CONSTRAINT listing_view_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE password_reset DROP CONSTRAINT password_reset_pkey, ADD CONSTRAINT password_reset_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE privacy_audit DROP CONSTRAINT privacy_audit_pkey, ADD CONSTRAINT privacy_audit_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE push_subscription DROP CONSTRAINT push_subscription_pkey, ADD CONSTRAINT push_subscription_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE quick_reply DROP CONSTRAINT quick_reply_pkey, DROP CONSTRAINT quick_reply_tenant_id_key, ADD CONSTRAINT quick_reply_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE assistant_shop_example DROP CONSTRAINT assistant_shop_example_pkey, ADD CONSTRAINT assistant_shop_example_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE assistant_shop_model DROP CONSTRAINT assistant_shop_model_pkey, ADD CONSTRAINT assistant_shop_model_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE quote DROP CONSTRAINT quote_pkey, DROP CONSTRAINT quote_tenant_id_key, ADD CONSTRAINT quote_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE quote_item DROP CONSTRAINT quote_item_pkey, ADD CONSTRAINT quote_item_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE session DROP CONSTRAINT session_pkey, ADD CONSTRAINT session_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE task DROP CONSTRAINT task_pkey, DROP CONSTRAINT task_tenant_id_key, ADD CONSTRAINT task_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE ticket DROP CONSTRAINT ticket_pkey, DROP CONSTRAINT ticket_tenant_id_key, ADD CONSTRAINT ticket_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE tracked_link DROP CONSTRAINT tracked_link_pkey, DROP CONSTRAINT tracked_link_tenant_id_key, ADD CONSTRAINT tracked_link_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_channel DROP CONSTRAINT whatsapp_channel_pkey, DROP CONSTRAINT whatsapp_channel_tenant_id_key, ADD CONSTRAINT whatsapp_channel_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_delivery DROP CONSTRAINT whatsapp_delivery_pkey, ADD CONSTRAINT whatsapp_delivery_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_media DROP CONSTRAINT whatsapp_media_pkey, ADD CONSTRAINT whatsapp_media_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_message DROP CONSTRAINT whatsapp_message_pkey, DROP CONSTRAINT whatsapp_message_tenant_id_key, ADD CONSTRAINT whatsapp_message_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_template DROP CONSTRAINT whatsapp_template_pkey, ADD CONSTRAINT whatsapp_template_pkey PRIMARY KEY (tenant_id, id);--> statement-breakpoint
-- 3. The foreign keys again, now on those primary keys.
ALTER TABLE api_key ADD CONSTRAINT api_key_tenant_id_created_by_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES app_user(tenant_id, id);--> statement-breakpoint
ALTER TABLE import_job ADD CONSTRAINT import_job_tenant_id_created_by_user_id_app_user_tenant_id_id_f FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES app_user(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead ADD CONSTRAINT lead_tenant_id_assigned_to_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, assigned_to_user_id) REFERENCES app_user(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_note ADD CONSTRAINT lead_note_tenant_id_author_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, author_user_id) REFERENCES app_user(tenant_id, id);--> statement-breakpoint
ALTER TABLE password_reset ADD CONSTRAINT password_reset_tenant_id_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE push_preference ADD CONSTRAINT push_preference_tenant_id_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE push_subscription ADD CONSTRAINT push_subscription_tenant_id_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE quick_reply ADD CONSTRAINT quick_reply_tenant_id_created_by_user_id_app_user_tenant_id_id_ FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES app_user(tenant_id, id);--> statement-breakpoint
ALTER TABLE session ADD CONSTRAINT session_tenant_id_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE task ADD CONSTRAINT task_tenant_id_assignee_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, assignee_user_id) REFERENCES app_user(tenant_id, id);--> statement-breakpoint
ALTER TABLE task ADD CONSTRAINT task_tenant_id_created_by_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, created_by_user_id) REFERENCES app_user(tenant_id, id);--> statement-breakpoint
ALTER TABLE user_branch ADD CONSTRAINT user_branch_tenant_id_user_id_app_user_tenant_id_id_fk FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE branch_reputation ADD CONSTRAINT branch_reputation_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE lead ADD CONSTRAINT lead_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id);--> statement-breakpoint
ALTER TABLE listing ADD CONSTRAINT listing_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id);--> statement-breakpoint
ALTER TABLE quote ADD CONSTRAINT quote_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id);--> statement-breakpoint
ALTER TABLE task ADD CONSTRAINT task_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id);--> statement-breakpoint
ALTER TABLE ticket ADD CONSTRAINT ticket_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id);--> statement-breakpoint
ALTER TABLE tracked_link ADD CONSTRAINT tracked_link_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id);--> statement-breakpoint
ALTER TABLE user_branch ADD CONSTRAINT user_branch_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_channel ADD CONSTRAINT whatsapp_channel_tenant_id_branch_id_branch_tenant_id_id_fk FOREIGN KEY (tenant_id, branch_id) REFERENCES branch(tenant_id, id);--> statement-breakpoint
ALTER TABLE campaign_asset ADD CONSTRAINT campaign_asset_tenant_id_campaign_id_campaign_tenant_id_id_fk FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaign(tenant_id, id);--> statement-breakpoint
ALTER TABLE campaign_metric_daily ADD CONSTRAINT campaign_metric_daily_tenant_id_campaign_id_campaign_tenant_id_ FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaign(tenant_id, id);--> statement-breakpoint
ALTER TABLE campaign_send ADD CONSTRAINT campaign_send_tenant_id_campaign_id_campaign_tenant_id_id_fk FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaign(tenant_id, id);--> statement-breakpoint
ALTER TABLE campaign_win ADD CONSTRAINT campaign_win_tenant_id_campaign_id_campaign_tenant_id_id_fk FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaign(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead ADD CONSTRAINT lead_tenant_id_campaign_id_campaign_tenant_id_id_fk FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaign(tenant_id, id);--> statement-breakpoint
ALTER TABLE tracked_link ADD CONSTRAINT tracked_link_tenant_id_campaign_id_campaign_tenant_id_id_fk FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaign(tenant_id, id);--> statement-breakpoint
ALTER TABLE campaign_send ADD CONSTRAINT campaign_send_tenant_id_contact_id_contact_tenant_id_id_fk FOREIGN KEY (tenant_id, contact_id) REFERENCES contact(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead ADD CONSTRAINT lead_tenant_id_contact_id_contact_tenant_id_id_fk FOREIGN KEY (tenant_id, contact_id) REFERENCES contact(tenant_id, id);--> statement-breakpoint
ALTER TABLE quote ADD CONSTRAINT quote_tenant_id_contact_id_contact_tenant_id_id_fk FOREIGN KEY (tenant_id, contact_id) REFERENCES contact(tenant_id, id);--> statement-breakpoint
ALTER TABLE ticket ADD CONSTRAINT ticket_tenant_id_contact_id_contact_tenant_id_id_fk FOREIGN KEY (tenant_id, contact_id) REFERENCES contact(tenant_id, id);--> statement-breakpoint
ALTER TABLE import_file_chunk ADD CONSTRAINT import_file_chunk_import_fk FOREIGN KEY (tenant_id, import_id) REFERENCES import_job(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE import_rejection ADD CONSTRAINT import_rejection_import_fk FOREIGN KEY (tenant_id, import_id) REFERENCES import_job(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE campaign_send ADD CONSTRAINT campaign_send_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE assistant_shop_example ADD CONSTRAINT assistant_shop_example_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE campaign_send ADD CONSTRAINT campaign_send_tenant_id_reply_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, reply_lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_ai_assistance ADD CONSTRAINT lead_ai_assistance_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_ai_feedback ADD CONSTRAINT lead_ai_feedback_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_event ADD CONSTRAINT lead_event_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_note ADD CONSTRAINT lead_note_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE quote ADD CONSTRAINT quote_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE task ADD CONSTRAINT task_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE ticket ADD CONSTRAINT ticket_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_message ADD CONSTRAINT whatsapp_message_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead_ai_feedback ADD CONSTRAINT lead_ai_feedback_tenant_id_assistance_id_lead_ai_assistance_ten FOREIGN KEY (tenant_id, assistance_id) REFERENCES lead_ai_assistance(tenant_id, id);--> statement-breakpoint
ALTER TABLE lead ADD CONSTRAINT lead_tenant_id_listing_id_listing_tenant_id_id_fk FOREIGN KEY (tenant_id, listing_id) REFERENCES listing(tenant_id, id);--> statement-breakpoint
ALTER TABLE quote_item ADD CONSTRAINT quote_item_tenant_id_listing_id_listing_tenant_id_id_fk FOREIGN KEY (tenant_id, listing_id) REFERENCES listing(tenant_id, id);--> statement-breakpoint
ALTER TABLE tracked_link ADD CONSTRAINT tracked_link_tenant_id_listing_id_listing_tenant_id_id_fk FOREIGN KEY (tenant_id, listing_id) REFERENCES listing(tenant_id, id);--> statement-breakpoint
ALTER TABLE quote_item ADD CONSTRAINT quote_item_tenant_id_quote_id_quote_tenant_id_id_fk FOREIGN KEY (tenant_id, quote_id) REFERENCES quote(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE campaign_send ADD CONSTRAINT campaign_send_tenant_id_task_id_task_tenant_id_id_fk FOREIGN KEY (tenant_id, task_id) REFERENCES task(tenant_id, id);--> statement-breakpoint
ALTER TABLE quote ADD CONSTRAINT quote_tenant_id_ticket_id_ticket_tenant_id_id_fk FOREIGN KEY (tenant_id, ticket_id) REFERENCES ticket(tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_template ADD CONSTRAINT whatsapp_template_tenant_id_channel_id_whatsapp_channel_tenant_ FOREIGN KEY (tenant_id, channel_id) REFERENCES whatsapp_channel(tenant_id, id) ON DELETE CASCADE;--> statement-breakpoint
ALTER TABLE campaign_send ADD CONSTRAINT campaign_send_tenant_id_whatsapp_message_id_whatsapp_message_te FOREIGN KEY (tenant_id, whatsapp_message_id) REFERENCES whatsapp_message(tenant_id, id);--> statement-breakpoint
ALTER TABLE whatsapp_media ADD CONSTRAINT whatsapp_media_tenant_id_message_id_whatsapp_message_tenant_id_ FOREIGN KEY (tenant_id, message_id) REFERENCES whatsapp_message(tenant_id, id);
--> statement-breakpoint
-- Monthly partitions for the append-only tables that grow fastest: lead_event (every lead's history) and
-- listing_view (every marketplace page view). Each is partitioned by month of created_at, with a DEFAULT partition
-- for rows outside the months made so far; the worker's partition job (platform/partitions.ts) makes the coming
-- months ahead and drops the months older than each family's retention. A partitioned table's keys must hold the
-- partition key: their primary keys become (tenant_id, id, created_at). Nothing points a foreign key at them.
--
-- A month partition of `parent` ([month, month + 1) in UTC), named <parent>_pYYYYMM; rows of that month that
-- waited in the DEFAULT partition move into it. Row-level security is each partition's own, like any tenant table
-- (reading through the parent applies the parent's policies; a partition read directly applies its own).
CREATE FUNCTION create_month_partition(parent regclass, month date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  first_day date := date_trunc('month', month)::date;
  starts timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
  ends timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
  name text := format('%s_p%s', parent::text, to_char(first_day, 'YYYYMM'));
  fallback regclass := to_regclass(parent::text || '_default');
  key text := substring(pg_get_partkeydef(parent) FROM '\((\w+)\)');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN RETURN false; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, parent);
  IF fallback IS NOT NULL THEN
    EXECUTE format(
      'WITH moved AS (DELETE FROM %s WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
      fallback, key, starts, key, ends, name);
  END IF;
  EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, name, starts, ends);
  PERFORM enable_tenant_rls(name::regclass);
  RETURN true;
END
$$;--> statement-breakpoint
-- Drops the month partitions of `parent` that ended more than `keep_months` months before the month of `now`,
-- and deletes the DEFAULT partition's rows as old: what is left is at least `keep_months` whole months. Answers
-- the partitions dropped.
CREATE FUNCTION drop_old_partitions(parent regclass, keep_months integer, now timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  cutoff timestamptz := (date_trunc('month', now AT TIME ZONE 'UTC') - make_interval(months => keep_months))
                          AT TIME ZONE 'UTC';
  key text := substring(pg_get_partkeydef(parent) FROM '\((\w+)\)');
  part record;
  dropped integer := 0;
BEGIN
  IF keep_months < 1 THEN RAISE EXCEPTION 'keep at least one month, not %', keep_months; END IF;
  FOR part IN
    SELECT c.oid::regclass AS partition, c.relname
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = parent AND c.relname ~ '_p[0-9]{6}$'
  LOOP
    IF (to_date(right(part.relname, 6), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE 'UTC' <= cutoff THEN
      EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, part.partition);
      EXECUTE format('DROP TABLE %s', part.partition);
      dropped := dropped + 1;
    END IF;
  END LOOP;
  IF to_regclass(parent::text || '_default') IS NOT NULL THEN
    EXECUTE format('DELETE FROM %s WHERE %I < %L', to_regclass(parent::text || '_default'), key, cutoff);
  END IF;
  RETURN dropped;
END
$$;--> statement-breakpoint
-- The months a table starts with: those of its rows of the last two years (older ones wait in DEFAULT) through
-- three months ahead.
CREATE FUNCTION create_month_partitions(parent regclass, since timestamptz, months_ahead integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  month date := date_trunc('month', greatest(coalesce(since, now()), now() - interval '2 years') AT TIME ZONE 'UTC')::date;
BEGIN
  WHILE month <= (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => months_ahead))::date LOOP
    PERFORM create_month_partition(parent, month);
    month := (month + interval '1 month')::date;
  END LOOP;
END
$$;--> statement-breakpoint
-- lead_event: the table as it was is renamed aside, its partitioned successor made with the same columns,
-- its rows moved, and the old one dropped.
ALTER TABLE lead_event RENAME TO lead_event_unpartitioned;--> statement-breakpoint
ALTER TABLE lead_event_unpartitioned RENAME CONSTRAINT lead_event_pkey TO lead_event_unpartitioned_pkey;--> statement-breakpoint
ALTER TABLE lead_event_unpartitioned RENAME CONSTRAINT lead_event_tenant_id_lead_id_lead_tenant_id_id_fk TO lead_event_unpartitioned_lead_fk;--> statement-breakpoint
ALTER INDEX lead_event_lead_idx RENAME TO lead_event_unpartitioned_lead_idx;--> statement-breakpoint
CREATE TABLE lead_event (LIKE lead_event_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (created_at);--> statement-breakpoint
ALTER TABLE lead_event ADD CONSTRAINT lead_event_pkey PRIMARY KEY (tenant_id, id, created_at);--> statement-breakpoint
ALTER TABLE lead_event ADD CONSTRAINT lead_event_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
CREATE INDEX lead_event_lead_idx ON lead_event USING btree (tenant_id, lead_id, created_at, id);--> statement-breakpoint
SELECT enable_tenant_rls('lead_event');--> statement-breakpoint
CREATE TABLE lead_event_default PARTITION OF lead_event DEFAULT;--> statement-breakpoint
SELECT enable_tenant_rls('lead_event_default');--> statement-breakpoint
SELECT create_month_partitions('lead_event', (SELECT min(created_at) FROM lead_event_unpartitioned), 3);--> statement-breakpoint
INSERT INTO lead_event SELECT * FROM lead_event_unpartitioned;--> statement-breakpoint
DROP TABLE lead_event_unpartitioned;--> statement-breakpoint
-- listing_view the same way; its id sequence is kept (owned by the new table).
ALTER TABLE listing_view RENAME TO listing_view_unpartitioned;--> statement-breakpoint
ALTER TABLE listing_view_unpartitioned RENAME CONSTRAINT listing_view_pkey TO listing_view_unpartitioned_pkey;--> statement-breakpoint
ALTER INDEX listing_view_listing_idx RENAME TO listing_view_unpartitioned_listing_idx;--> statement-breakpoint
ALTER INDEX listing_view_campaign_idx RENAME TO listing_view_unpartitioned_campaign_idx;--> statement-breakpoint
ALTER SEQUENCE listing_view_id_seq OWNED BY NONE;--> statement-breakpoint
CREATE TABLE listing_view (LIKE listing_view_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (created_at);--> statement-breakpoint
ALTER SEQUENCE listing_view_id_seq OWNED BY listing_view.id;--> statement-breakpoint
ALTER TABLE listing_view ADD CONSTRAINT listing_view_pkey PRIMARY KEY (tenant_id, id, created_at);--> statement-breakpoint
CREATE INDEX listing_view_listing_idx ON listing_view USING btree (tenant_id, listing_id, created_at);--> statement-breakpoint
CREATE INDEX listing_view_campaign_idx ON listing_view USING btree (tenant_id, campaign_id, created_at);--> statement-breakpoint
SELECT enable_tenant_rls('listing_view');--> statement-breakpoint
CREATE TABLE listing_view_default PARTITION OF listing_view DEFAULT;--> statement-breakpoint
SELECT enable_tenant_rls('listing_view_default');--> statement-breakpoint
SELECT create_month_partitions('listing_view', (SELECT min(created_at) FROM listing_view_unpartitioned), 3);--> statement-breakpoint
INSERT INTO listing_view SELECT * FROM listing_view_unpartitioned;--> statement-breakpoint
DROP TABLE listing_view_unpartitioned;
