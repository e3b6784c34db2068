-- Live tail (issue 6): every committed change to a trace, a trace step or an incident is announced
-- on channel aos_events, so every server process (each LISTENs once) wakes the subscriptions it
-- serves. NOTIFY is transactional: a rolled-back write announces nothing, and listeners receive
-- announcements in commit order. Payloads carry keys only (never content, never over 8000 bytes):
-- subscribers read the rows themselves, through row-level security, as the subscribing tenant.
-- Statement-level triggers: one announcement per trace (steps) or per 50 keys, not one per row.

CREATE FUNCTION "aos_announce_steps"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT DISTINCT "tenant_id", "trace_id" FROM "new_rows" LOOP
    PERFORM pg_notify('aos_events', json_build_object('k', 'steps', 't', r."tenant_id", 'trace', r."trace_id")::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "aos_trace_steps_announce" AFTER INSERT ON "aos_trace_steps"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "aos_announce_steps"();

-- Traces: inserts and every update (status changes above all; also the set-once links and stamps).
CREATE FUNCTION "aos_announce_traces"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT "tenant_id", json_agg("id") AS ids
    FROM (SELECT "tenant_id", "id", (row_number() OVER (PARTITION BY "tenant_id") - 1) / 50 AS chunk FROM "new_rows") keyed
    GROUP BY "tenant_id", chunk
  LOOP
    PERFORM pg_notify('aos_events', json_build_object('k', 'traces', 't', r."tenant_id", 'ids', r.ids)::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "aos_traces_announce_insert" AFTER INSERT ON "aos_traces"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "aos_announce_traces"();
CREATE TRIGGER "aos_traces_announce_update" AFTER UPDATE ON "aos_traces"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "aos_announce_traces"();

-- Incidents: openings only (incidentOpened); lifecycle moves are in the audit ledger.
CREATE FUNCTION "aos_announce_incidents"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT "tenant_id", json_agg("id") AS ids
    FROM (SELECT "tenant_id", "id", (row_number() OVER (PARTITION BY "tenant_id") - 1) / 50 AS chunk FROM "new_rows") keyed
    GROUP BY "tenant_id", chunk
  LOOP
    PERFORM pg_notify('aos_events', json_build_object('k', 'incidents', 't', r."tenant_id", 'ids', r.ids)::text);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "aos_incidents_announce" AFTER INSERT ON "incidents"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "aos_announce_incidents"();
