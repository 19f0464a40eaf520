-- WhatsApp messages and webhook deliveries partitioned by month, like lead_event and listing_view (0028): each by
-- its time column (whatsapp_message.created_at, whatsapp_delivery.received_at), <table>_pYYYYMM per month and a
-- DEFAULT partition; the worker's platform.partitions job makes the months ahead and drops those past
-- WHATSAPP_MESSAGE_RETENTION_MONTHS / WHATSAPP_DELIVERY_RETENTION_MONTHS.
--
-- Their de-duplication must hold across months, but a partitioned table's unique keys must hold the month. So
-- each keeps its de-duplication key in a small side table, unpartitioned, that holds only the key and where its
-- row is: whatsapp_delivery_key (tenant, channel, SHA-256 of the body) and whatsapp_message_key (tenant, Meta's
-- wamid → message id and created_at). A BEFORE INSERT trigger writes the key in the same statement and
-- transaction as the row, and skips the row (as ON CONFLICT DO NOTHING did) when its key is already there,
-- whatever month that row is in: exact, for as long as the row is kept. The job deletes the keys of the months it
-- drops (Meta retries a webhook for 7 days at most; retention is at least one month).
--
-- 1. Nothing may point a foreign key at a partitioned table without its partition key: campaign sends and media
--    keep their message id, unchecked (the service writes them with the message, in its transaction).
ALTER TABLE campaign_send DROP CONSTRAINT campaign_send_tenant_id_whatsapp_message_id_whatsapp_message_te;--> statement-breakpoint
ALTER TABLE whatsapp_media DROP CONSTRAINT whatsapp_media_tenant_id_message_id_whatsapp_message_tenant_id_;--> statement-breakpoint
-- 2. The side tables of keys (tenant tables: row-level security, tenant_id first in the key).
CREATE TABLE whatsapp_delivery_key (
  tenant_id uuid NOT NULL,
  channel_id uuid NOT NULL,
  body_sha256 text NOT NULL,
  received_at timestamp(3) with time zone NOT NULL,
  CONSTRAINT whatsapp_delivery_key_pkey PRIMARY KEY (tenant_id, channel_id, body_sha256)
);--> statement-breakpoint
SELECT enable_tenant_rls('whatsapp_delivery_key');--> statement-breakpoint
CREATE TABLE whatsapp_message_key (
  tenant_id uuid NOT NULL,
  wa_message_id text NOT NULL,
  message_id uuid NOT NULL,
  created_at timestamp(3) with time zone NOT NULL,
  CONSTRAINT whatsapp_message_key_pkey PRIMARY KEY (tenant_id, wa_message_id)
);--> statement-breakpoint
SELECT enable_tenant_rls('whatsapp_message_key');--> statement-breakpoint
-- A delivery is stored only when its key is new (a repeat answers no row, as ON CONFLICT DO NOTHING did).
CREATE FUNCTION whatsapp_delivery_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO whatsapp_delivery_key (tenant_id, channel_id, body_sha256, received_at)
  VALUES (NEW.tenant_id, NEW.channel_id, NEW.body_sha256, NEW.received_at)
  ON CONFLICT DO NOTHING;
  IF FOUND THEN RETURN NEW; END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- A message with a wamid is stored only when that wamid is new to the tenant (skipped otherwise, as ON CONFLICT
-- DO NOTHING did); a wamid given later (the send's answer) or changed moves its key, and a wamid taken already is
-- refused (unique violation on whatsapp_message_key_pkey), as the unique index did; a deleted message frees it.
CREATE FUNCTION whatsapp_message_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO whatsapp_message_key (tenant_id, wa_message_id, message_id, created_at)
    VALUES (NEW.tenant_id, NEW.wa_message_id, NEW.id, NEW.created_at)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN RETURN NEW; END IF;
    RETURN NULL;
  END IF;
  IF OLD.wa_message_id IS NOT NULL THEN
    DELETE FROM whatsapp_message_key
     WHERE tenant_id = OLD.tenant_id AND wa_message_id = OLD.wa_message_id AND message_id = OLD.id;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  IF NEW.wa_message_id IS NOT NULL THEN
    INSERT INTO whatsapp_message_key (tenant_id, wa_message_id, message_id, created_at)
    VALUES (NEW.tenant_id, NEW.wa_message_id, NEW.id, NEW.created_at);
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
-- 3. whatsapp_delivery: renamed aside, its partitioned successor made with the same columns, rows moved (the
--    trigger writing their keys), the old one dropped.
ALTER TABLE whatsapp_delivery RENAME TO whatsapp_delivery_unpartitioned;--> statement-breakpoint
ALTER TABLE whatsapp_delivery_unpartitioned RENAME CONSTRAINT whatsapp_delivery_pkey TO whatsapp_delivery_unpartitioned_pkey;--> statement-breakpoint
ALTER TABLE whatsapp_delivery_unpartitioned RENAME CONSTRAINT whatsapp_delivery_body_key TO whatsapp_delivery_unpartitioned_body_key;--> statement-breakpoint
ALTER INDEX whatsapp_delivery_pending_idx RENAME TO whatsapp_delivery_unpartitioned_pending_idx;--> statement-breakpoint
CREATE TABLE whatsapp_delivery (LIKE whatsapp_delivery_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (received_at);--> statement-breakpoint
ALTER TABLE whatsapp_delivery ADD CONSTRAINT whatsapp_delivery_pkey PRIMARY KEY (tenant_id, id, received_at);--> statement-breakpoint
CREATE INDEX whatsapp_delivery_pending_idx ON whatsapp_delivery USING btree (tenant_id, received_at) WHERE processed_at IS NULL;--> statement-breakpoint
SELECT enable_tenant_rls('whatsapp_delivery');--> statement-breakpoint
CREATE TABLE whatsapp_delivery_default PARTITION OF whatsapp_delivery DEFAULT;--> statement-breakpoint
SELECT enable_tenant_rls('whatsapp_delivery_default');--> statement-breakpoint
SELECT create_month_partitions('whatsapp_delivery', (SELECT min(received_at) FROM whatsapp_delivery_unpartitioned), 3);--> statement-breakpoint
CREATE TRIGGER whatsapp_delivery_once BEFORE INSERT ON whatsapp_delivery
  FOR EACH ROW EXECUTE FUNCTION whatsapp_delivery_once();--> statement-breakpoint
INSERT INTO whatsapp_delivery SELECT * FROM whatsapp_delivery_unpartitioned;--> statement-breakpoint
DROP TABLE whatsapp_delivery_unpartitioned;--> statement-breakpoint
-- 4. whatsapp_message the same way; its wamid index goes (the look-ups by wamid go through whatsapp_message_key).
ALTER TABLE whatsapp_message RENAME TO whatsapp_message_unpartitioned;--> statement-breakpoint
ALTER TABLE whatsapp_message_unpartitioned RENAME CONSTRAINT whatsapp_message_pkey TO whatsapp_message_unpartitioned_pkey;--> statement-breakpoint
ALTER TABLE whatsapp_message_unpartitioned RENAME CONSTRAINT whatsapp_message_tenant_id_lead_id_lead_tenant_id_id_fk TO whatsapp_message_unpartitioned_lead_fk;--> statement-breakpoint
ALTER INDEX whatsapp_message_wamid_key RENAME TO whatsapp_message_unpartitioned_wamid_key;--> statement-breakpoint
ALTER INDEX whatsapp_message_lead_idx RENAME TO whatsapp_message_unpartitioned_lead_idx;--> statement-breakpoint
ALTER INDEX whatsapp_message_inbound_idx RENAME TO whatsapp_message_unpartitioned_inbound_idx;--> statement-breakpoint
CREATE TABLE whatsapp_message (LIKE whatsapp_message_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (created_at);--> statement-breakpoint
ALTER TABLE whatsapp_message ADD CONSTRAINT whatsapp_message_pkey PRIMARY KEY (tenant_id, id, created_at);--> statement-breakpoint
ALTER TABLE whatsapp_message ADD CONSTRAINT whatsapp_message_tenant_id_lead_id_lead_tenant_id_id_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES lead(tenant_id, id);--> statement-breakpoint
CREATE INDEX whatsapp_message_lead_idx ON whatsapp_message USING btree (tenant_id, lead_id, created_at, id);--> statement-breakpoint
CREATE INDEX whatsapp_message_inbound_idx ON whatsapp_message USING btree (tenant_id, lead_id, created_at) WHERE direction = 'IN';--> statement-breakpoint
SELECT enable_tenant_rls('whatsapp_message');--> statement-breakpoint
CREATE TABLE whatsapp_message_default PARTITION OF whatsapp_message DEFAULT;--> statement-breakpoint
SELECT enable_tenant_rls('whatsapp_message_default');--> statement-breakpoint
SELECT create_month_partitions('whatsapp_message', (SELECT min(created_at) FROM whatsapp_message_unpartitioned), 3);--> statement-breakpoint
CREATE TRIGGER whatsapp_message_once BEFORE INSERT ON whatsapp_message
  FOR EACH ROW WHEN (NEW.wa_message_id IS NOT NULL) EXECUTE FUNCTION whatsapp_message_once();--> statement-breakpoint
CREATE TRIGGER whatsapp_message_key_moved BEFORE UPDATE OF wa_message_id, id, created_at ON whatsapp_message
  FOR EACH ROW WHEN (NEW.wa_message_id IS DISTINCT FROM OLD.wa_message_id OR NEW.id <> OLD.id OR NEW.created_at <> OLD.created_at)
  EXECUTE FUNCTION whatsapp_message_once();--> statement-breakpoint
CREATE TRIGGER whatsapp_message_key_freed AFTER DELETE ON whatsapp_message
  FOR EACH ROW WHEN (OLD.wa_message_id IS NOT NULL) EXECUTE FUNCTION whatsapp_message_once();--> statement-breakpoint
INSERT INTO whatsapp_message SELECT * FROM whatsapp_message_unpartitioned;--> statement-breakpoint
DROP TABLE whatsapp_message_unpartitioned;
