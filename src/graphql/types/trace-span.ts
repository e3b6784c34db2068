// OpenTelemetry fields of trace steps (spans received at POST /v1/traces), and Trace.spans: a
// trace's spans in start-time order. Step indexes follow arrival order (spans come in several
// exports, in any order), so start-time order needs its own list rather than new indexes.
import type { StepSpanColumns, TraceStep } from '../../domain/trace.ts';
import { badInput } from '../../errors.ts';
import type { SpanPage } from '../../stores/otlp-spans.ts';
import { builder } from '../builder.ts';
import { pageFromArgs, toConnection } from '../pagination.ts';
import { TraceStepRef } from './trace-step.ts';
import { TraceRef } from './trace.ts';

export const SpanKindEnum = builder.enumType('SpanKind', {
  description: 'OpenTelemetry span kind; null on the step when the span did not say (UNSPECIFIED).',
  values: ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const,
});

/** Largest page of Trace.spans. */
export const MAX_SPAN_PAGE = 1000;
const SORT_KEY = 'spanStart';

/**
 * A field read from the step's OpenTelemetry columns, synchronously from the row: every read of
 * steps includes these columns when the selection names one of them (stepColumnsFor). Null for
 * steps that did not come from a span.
 */
function spanField<K extends keyof StepSpanColumns>(key: K) {
  return (step: TraceStep) => step[key] ?? null;
}

builder.objectFields(TraceStepRef, (t) => ({
  spanId: t.string({ nullable: true, description: 'OpenTelemetry span id (16 hex digits); null for steps not received as spans.', resolve: spanField('spanId') }),
  parentSpanId: t.string({ nullable: true, description: 'Span id of the parent span; null for a root span.', resolve: spanField('parentSpanId') }),
  spanKind: t.field({
    type: SpanKindEnum,
    nullable: true,
    resolve: (step) => (step.spanKind ?? null) as (typeof SpanKindEnum.$inferType) | null,
  }),
  startTimeUnixNano: t.field({ type: 'Int64', nullable: true, description: 'Exact span start (timestamp is this, to the millisecond).', resolve: spanField('startTimeUnixNano') }),
  endTimeUnixNano: t.field({ type: 'Int64', nullable: true, resolve: spanField('endTimeUnixNano') }),
  operation: t.string({
    nullable: true,
    description: 'gen_ai.operation.name (chat, embeddings, execute_tool, invoke_agent, …), or its OpenInference / Vercel AI SDK equivalent.',
    resolve: spanField('operation'),
  }),
  provider: t.string({ nullable: true, description: 'gen_ai.provider.name (or the deprecated gen_ai.system, llm.provider, ai.model.provider).', resolve: spanField('provider') }),
  model: t.string({ nullable: true, description: 'gen_ai.response.model, else gen_ai.request.model (or llm.model_name, ai.model.id).', resolve: spanField('model') }),
  inputTokens: t.int({ nullable: true, description: 'gen_ai.usage.input_tokens (or prompt_tokens); includes cached tokens.', resolve: spanField('inputTokens') }),
  outputTokens: t.int({ nullable: true, description: 'gen_ai.usage.output_tokens (or completion_tokens).', resolve: spanField('outputTokens') }),
  cachedInputTokens: t.int({ nullable: true, description: 'gen_ai.usage.cache_read.input_tokens.', resolve: spanField('cachedInputTokens') }),
  reasoningTokens: t.int({ nullable: true, description: 'gen_ai.usage.reasoning.output_tokens.', resolve: spanField('reasoningTokens') }),
  agentName: t.string({ nullable: true, description: 'gen_ai.agent.name (or gen_ai.agent.id).', resolve: spanField('agentName') }),
  toolName: t.string({ nullable: true, description: 'gen_ai.tool.name (or tool.name, ai.toolCall.name); also the skillName.', resolve: spanField('toolName') }),
  conversationId: t.string({ nullable: true, description: 'gen_ai.conversation.id (or session.id).', resolve: spanField('conversationId') }),
  attributes: t.field({
    type: 'JSON',
    nullable: true,
    description:
      'Everything else the span carried, redacted: { span, resource, scope, status?, events?, links?, dropped? }. Prompt and answer content are the step\'s params and outcomeData.',
    resolve: spanField('attributes'),
  }),
}));

type ConnectionArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };

function spanPage(args: ConnectionArgs): SpanPage {
  const page = pageFromArgs(args, { key: SORT_KEY, direction: 'asc' }, MAX_SPAN_PAGE);
  const bound = (cursor: { value: string | number; id: string } | undefined, arg: 'after' | 'before') => {
    if (!cursor) return undefined;
    if (!/^\d{1,19}$/.test(String(cursor.value)) || !/^\d{1,10}$/.test(cursor.id)) throw badInput(`${arg}: not a cursor of this list`, arg);
    return { start: String(cursor.value), stepIndex: Number(cursor.id) };
  };
  return { size: page.size, backward: page.backward, after: bound(page.after, 'after'), before: bound(page.before, 'before') };
}

builder.objectFields(TraceRef, (t) => ({
  spans: t.connection({
    type: TraceStepRef,
    description: `The steps that arrived as OpenTelemetry spans, in span start-time order (ties by stepIndex), at most ${MAX_SPAN_PAGE} a page. steps lists the same steps in arrival (stepIndex) order.`,
    resolve: async (trace, args, ctx) => {
      const page = spanPage(args);
      const result = await ctx.loaders.spanPage.load({ key: trace.traceId, spec: page });
      return toConnection(
        result,
        {
          size: page.size,
          backward: page.backward,
          direction: 'asc',
          sortKey: SORT_KEY,
          after: page.after && { value: page.after.start, id: String(page.after.stepIndex) },
          before: page.before && { value: page.before.start, id: String(page.before.stepIndex) },
        },
        (step) => ({ value: String(step.startTimeUnixNano), id: String(step.stepIndex) }),
        () => ctx.loaders.spanCount.load(trace.traceId),
      );
    },
  }),
}));
