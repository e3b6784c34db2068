-- OpenTelemetry spans as trace steps (OTLP/HTTP ingestion at POST /v1/traces): span identity,
-- exact times and the GenAI semantic-convention fields, all NULL for steps recorded through GraphQL.

-- AlterTable
ALTER TABLE "aos_trace_steps" ADD COLUMN     "agent_name" VARCHAR(128),
ADD COLUMN     "attributes" JSONB,
ADD COLUMN     "cached_input_tokens" INTEGER,
ADD COLUMN     "conversation_id" VARCHAR(128),
ADD COLUMN     "end_time_unix_nano" BIGINT,
ADD COLUMN     "input_tokens" INTEGER,
ADD COLUMN     "model" VARCHAR(128),
ADD COLUMN     "operation" VARCHAR(64),
ADD COLUMN     "output_tokens" INTEGER,
ADD COLUMN     "parent_span_id" VARCHAR(16),
ADD COLUMN     "provider" VARCHAR(64),
ADD COLUMN     "reasoning_tokens" INTEGER,
ADD COLUMN     "span_id" VARCHAR(16),
ADD COLUMN     "span_kind" VARCHAR(16),
ADD COLUMN     "start_time_unix_nano" BIGINT,
ADD COLUMN     "tool_name" VARCHAR(128);

-- =====================================================================================
-- Hand-written below this line: what schema.prisma cannot express (DESIGN D2).
-- =====================================================================================

ALTER TABLE "aos_trace_steps"
  ADD CONSTRAINT "aos_trace_steps_span_ids_hex" CHECK (
    ("span_id" IS NULL OR "span_id" ~ '^[0-9a-f]{16}$') AND ("parent_span_id" IS NULL OR "parent_span_id" ~ '^[0-9a-f]{16}$')),
  ADD CONSTRAINT "aos_trace_steps_span_has_times" CHECK (
    "span_id" IS NULL OR ("start_time_unix_nano" >= 0 AND "end_time_unix_nano" >= "start_time_unix_nano")),
  ADD CONSTRAINT "aos_trace_steps_tokens_nonneg" CHECK (
    coalesce("input_tokens", 0) >= 0 AND coalesce("output_tokens", 0) >= 0
    AND coalesce("cached_input_tokens", 0) >= 0 AND coalesce("reasoning_tokens", 0) >= 0);

-- OTLP says retried exports deliver duplicates: the span id is the idempotency key, so a retry
-- inserts nothing (ON CONFLICT DO NOTHING) whatever step index it would have been given.
CREATE UNIQUE INDEX "aos_trace_steps_tenant_trace_span" ON "aos_trace_steps"("tenant_id", "trace_id", "span_id") WHERE "span_id" IS NOT NULL;
-- Trace.spans: a trace's spans in start-time order.
CREATE INDEX "aos_trace_steps_tenant_trace_span_start" ON "aos_trace_steps"("tenant_id", "trace_id", "start_time_unix_nano", "step_index") WHERE "span_id" IS NOT NULL;
