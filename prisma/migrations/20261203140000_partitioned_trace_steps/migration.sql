-- Trace steps partitioned by month (issue 14 §3, docs/partitions.md): native range partitions on
-- a new column trace_started_at, the owning trace's started_at, so every step of a trace lives in
-- one partition and retention drops a whole month instead of deleting it row by row.
--
-- Uniqueness. A unique index on a partitioned table must contain the partition key, and each
-- partition enforces it over its own rows only. So the keys become
--   (tenant_id, trace_id, step_index, trace_started_at) and, for OTLP spans,
--   (tenant_id, trace_id, span_id, trace_started_at).
-- They are exactly as strict as the old (tenant_id, trace_id, step_index) and
-- (tenant_id, trace_id, span_id): trace_started_at is a function of (tenant_id, trace_id). The
-- foreign key (tenant_id, trace_id, trace_started_at) → aos_traces (tenant_id, trace_id,
-- started_at) makes a step carry its trace's started_at and no other, aos_traces is unique on
-- (tenant_id, trace_id), and aos_traces_guard rejects any change of started_at ("is immutable").
-- Two steps with the same (tenant, trace, index) therefore have the same trace_started_at, land in
-- the same partition, and that partition's unique index refuses the second one.
--
-- Runs in one transaction (src/db/migrate.ts): readers of the old table wait for the swap; no row
-- is copied twice or lost (the counts are compared below before the old table goes).

-- The key the steps' foreign key references (a unique index, as for (tenant_id, trace_id)).
CREATE UNIQUE INDEX "aos_traces_tenant_id_trace_id_started_at_key" ON "aos_traces"("tenant_id", "trace_id", "started_at");

-- Same columns in the same order (export files list them in table order), defaults, NOT NULLs and
-- CHECKs; trace_started_at last.
CREATE TABLE "aos_trace_steps_partitioned" (
  LIKE "aos_trace_steps" INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  "trace_started_at" TIMESTAMPTZ(3) NOT NULL
) PARTITION BY RANGE ("trace_started_at");

-- Creates the month partitions of [from_month, to_month) that are missing, in UTC months
-- (aos_trace_steps_pYYYY_MM), and the DEFAULT partition, which takes any row outside them so none
-- is ever refused for lack of a partition. A month whose rows already sit in DEFAULT (a trace
-- started far ahead of the maintenance job) is left there and reported as 'blocked': creating it
-- would fail, and moving the rows would need the insert-only guard switched off.
-- Partitions are reached through aos_trace_steps only: aos_app gets no privilege on them, since a
-- partition read directly would bypass the parent's row-level security.
-- Owner only: called by the migration and by the partition maintenance job (stores/partitions.ts).
CREATE FUNCTION "aos_ensure_trace_step_partitions"(from_month timestamptz, to_month timestamptz)
RETURNS TABLE (partition_name text, range_start timestamptz, range_end timestamptz, state text)
LANGUAGE plpgsql AS $$
DECLARE
  parent regclass := to_regclass('"aos_trace_steps"');
  month timestamptz := date_trunc('month', from_month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  stop timestamptz := date_trunc('month', to_month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  name text;
  next timestamptz;
BEGIN
  IF parent IS NULL OR (SELECT relkind FROM pg_class WHERE oid = parent) <> 'p' THEN
    -- During the migration the partitioned table still has its temporary name.
    parent := '"aos_trace_steps_partitioned"'::regclass;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = parent AND c.relname = 'aos_trace_steps_default') THEN
    EXECUTE format('CREATE TABLE "aos_trace_steps_default" PARTITION OF %s DEFAULT', parent);
    EXECUTE 'REVOKE ALL ON "aos_trace_steps_default" FROM PUBLIC';
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aos_app') THEN
      EXECUTE 'REVOKE ALL ON "aos_trace_steps_default" FROM aos_app';
    END IF;
    partition_name := 'aos_trace_steps_default'; range_start := NULL; range_end := NULL; state := 'created';
    RETURN NEXT;
  END IF;
  WHILE month < stop LOOP
    next := ((month AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    name := 'aos_trace_steps_p' || to_char(month AT TIME ZONE 'UTC', 'YYYY_MM');
    partition_name := name; range_start := month; range_end := next;
    IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = parent AND c.relname = name) THEN
      state := 'exists';
    ELSIF EXISTS (SELECT 1 FROM "aos_trace_steps_default" WHERE "trace_started_at" >= month AND "trace_started_at" < next) THEN
      state := 'blocked';
    ELSE
      EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', name, parent, month, next);
      EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', name);
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aos_app') THEN
        EXECUTE format('REVOKE ALL ON %I FROM aos_app', name);
      END IF;
      state := 'created';
    END IF;
    RETURN NEXT;
    month := next;
  END LOOP;
END $$;

-- A partition for every month that has traces, from at most three years back (older rows go to
-- DEFAULT rather than making hundreds of partitions), up to three months ahead.
SELECT count(*) FROM "aos_ensure_trace_step_partitions"(
  greatest(coalesce((SELECT min("started_at") FROM "aos_traces"), now()), now() - interval '3 years'),
  now() + interval '4 months');

-- The rows, each with its trace's started_at (every step has its trace: the old foreign key).
INSERT INTO "aos_trace_steps_partitioned"
SELECT s.*, t."started_at" FROM "aos_trace_steps" s
JOIN "aos_traces" t ON t."tenant_id" = s."tenant_id" AND t."trace_id" = s."trace_id";

DO $$
DECLARE
  before bigint := (SELECT count(*) FROM "aos_trace_steps");
  after bigint := (SELECT count(*) FROM "aos_trace_steps_partitioned");
BEGIN
  IF before <> after THEN
    RAISE EXCEPTION 'partitioning aos_trace_steps: % rows before, % after; nothing changed', before, after;
  END IF;
END $$;

-- The old table goes with its indexes, foreign key, triggers and policy; all are made again below
-- under the same names (the trigger functions stay).
DROP TABLE "aos_trace_steps";
ALTER TABLE "aos_trace_steps_partitioned" RENAME TO "aos_trace_steps";

ALTER TABLE "aos_trace_steps" ADD CONSTRAINT "aos_trace_steps_pkey" PRIMARY KEY ("tenant_id", "id", "trace_started_at");
CREATE UNIQUE INDEX "aos_trace_steps_tenant_trace_step_key" ON "aos_trace_steps"("tenant_id", "trace_id", "step_index", "trace_started_at");
CREATE INDEX "aos_trace_steps_tenant_id_idempotency_key_idx" ON "aos_trace_steps"("tenant_id", "idempotency_key");
ALTER TABLE "aos_trace_steps" ADD CONSTRAINT "aos_trace_steps_tenant_trace_started_fkey"
  FOREIGN KEY ("tenant_id", "trace_id", "trace_started_at") REFERENCES "aos_traces"("tenant_id", "trace_id", "started_at")
  ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written indexes of earlier migrations (20261127090000_otlp, 20261127140000_metrics_and_list_indexes).
CREATE UNIQUE INDEX "aos_trace_steps_tenant_trace_span" ON "aos_trace_steps"("tenant_id", "trace_id", "span_id", "trace_started_at") WHERE "span_id" IS NOT NULL;
CREATE INDEX "aos_trace_steps_tenant_trace_span_start" ON "aos_trace_steps"("tenant_id", "trace_id", "start_time_unix_nano", "step_index") WHERE "span_id" IS NOT NULL;
CREATE INDEX "aos_trace_steps_live_tenant_timestamp" ON "aos_trace_steps"("tenant_id", "timestamp")
  INCLUDE ("trace_id", "skill_name", "status", "duration_ms", "cost_microcents") WHERE "archived_at" IS NULL;

-- Triggers (20261126180000_init, 20261127120000_live_tail). Row triggers on the parent are cloned
-- to every partition, present and future; the statement-level ones fire for statements on the parent.
CREATE TRIGGER "aos_trace_steps_guard" BEFORE UPDATE OR DELETE ON "aos_trace_steps" FOR EACH ROW EXECUTE FUNCTION "aos_trace_steps_guard"();
CREATE TRIGGER "aos_trace_steps_no_truncate" BEFORE TRUNCATE ON "aos_trace_steps" FOR EACH STATEMENT EXECUTE FUNCTION "aos_reject_mutation"();
CREATE TRIGGER "aos_trace_steps_announce" AFTER INSERT ON "aos_trace_steps"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "aos_announce_steps"();

-- Row-level security and grants (20261126200000_row_level_security): on the parent, which is the
-- only way aos_app reaches the rows (the partitions grant it nothing, see above).
ALTER TABLE "aos_trace_steps" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "aos_trace_steps" USING ("tenant_id" = "aos_current_tenant"()) WITH CHECK ("tenant_id" = "aos_current_tenant"());
GRANT SELECT, INSERT, UPDATE, DELETE ON "aos_trace_steps" TO aos_app;
REVOKE ALL ON FUNCTION "aos_ensure_trace_step_partitions"(timestamptz, timestamptz) FROM PUBLIC;

ANALYZE "aos_trace_steps";
