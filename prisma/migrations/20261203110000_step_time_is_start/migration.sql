-- A step's "timestamp" is when it started, for every source (issue 13); it ended at
-- "timestamp" + duration_ms. OpenTelemetry spans and agents that send a timestamp already meant
-- the start. Steps recorded without one got the server's clock at receipt, which is their end:
-- those (no span, stamped within a second of recorded_at) move back by their duration.
-- Steps are insert-only (aos_trace_steps_guard); this one correction runs with the guard off,
-- inside this migration's transaction, so no other writer sees the table unguarded.
ALTER TABLE "aos_trace_steps" DISABLE TRIGGER "aos_trace_steps_guard";

UPDATE "aos_trace_steps"
SET "timestamp" = "timestamp" - "duration_ms" * interval '1 millisecond'
WHERE "start_time_unix_nano" IS NULL
  AND "duration_ms" > 0
  AND abs(extract(epoch FROM "recorded_at" - "timestamp")) < 1;

ALTER TABLE "aos_trace_steps" ENABLE TRIGGER "aos_trace_steps_guard";
