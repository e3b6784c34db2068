// OpenTelemetry span → trace step: the GenAI semantic conventions (current names first, then the
// deprecated ones older SDKs still emit, then the OpenInference and Vercel AI SDK spellings) mapped
// to our columns. Content attributes (prompts, messages, tool arguments and results) become the
// step's params and outcomeData; every other attribute is kept, under `attributes`.
import { usdToMicrocents } from '../domain/money.ts';
import type { SpanStepInput } from '../stores/otlp-spans.ts';
import type { AttrValue, Attributes, OtlpSpan } from './decode.ts';

const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS_ERROR = 2;

/** The first key present wins, so each list reads: current name, deprecated names, vendor names. */
const KEYS = {
  operation: ['gen_ai.operation.name'],
  provider: ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system', 'ai.model.provider'],
  // The model that answered is more precise than the one asked for ("gpt-4o-2024-08-06" vs "gpt-4o").
  model: ['gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name', 'ai.response.model', 'ai.model.id'],
  inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt', 'ai.usage.inputTokens', 'ai.usage.promptTokens'],
  outputTokens: [
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'llm.token_count.completion',
    'ai.usage.outputTokens',
    'ai.usage.completionTokens',
  ],
  cachedInputTokens: [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'gen_ai.usage.cached_tokens',
    'gen_ai.usage.input_tokens_details.cached_tokens',
    'llm.token_count.prompt_details.cache_read',
    'ai.usage.cachedInputTokens',
  ],
  reasoningTokens: [
    'gen_ai.usage.reasoning.output_tokens',
    'gen_ai.usage.reasoning_tokens',
    'gen_ai.usage.output_tokens_details.reasoning_tokens',
    'llm.token_count.completion_details.reasoning',
    'ai.usage.reasoningTokens',
  ],
  agentName: ['gen_ai.agent.name', 'gen_ai.agent.id', 'agent.name'],
  toolName: ['gen_ai.tool.name', 'tool.name', 'ai.toolCall.name'],
  conversationId: ['gen_ai.conversation.id', 'session.id', 'gen_ai.session.id', 'ai.telemetry.metadata.sessionId'],
  /** In US dollars (Langfuse and OpenInference conventions); OTel GenAI defines no cost attribute. */
  costUsd: ['gen_ai.usage.cost', 'llm.cost.total'],
} as const;

/** Prompt-side content: goes to the step's params. Prefixes cover flattened message lists. */
const INPUT_KEYS = [
  'gen_ai.input.messages',
  'gen_ai.system_instructions',
  'gen_ai.prompt',
  'gen_ai.tool.call.arguments',
  'gen_ai.retrieval.query.text',
  'input.value',
  'ai.prompt',
  'ai.prompt.messages',
  'ai.toolCall.args',
];
const INPUT_PREFIXES = ['gen_ai.prompt.', 'llm.input_messages.'];
/** Answer-side content: goes to the step's outcomeData. */
const OUTPUT_KEYS = [
  'gen_ai.output.messages',
  'gen_ai.completion',
  'gen_ai.tool.call.result',
  'output.value',
  'ai.response.text',
  'ai.response.object',
  'ai.response.toolCalls',
  'ai.toolCall.result',
];
const OUTPUT_PREFIXES = ['gen_ai.completion.', 'llm.output_messages.'];

/** OpenInference names the kind of span instead of the operation. */
const OPENINFERENCE_OPERATIONS: Record<string, string> = {
  LLM: 'chat',
  EMBEDDING: 'embeddings',
  RETRIEVER: 'retrieval',
  TOOL: 'execute_tool',
  AGENT: 'invoke_agent',
  CHAIN: 'invoke_workflow',
};

function first(attrs: Attributes, keys: readonly string[]): AttrValue | undefined {
  for (const key of keys) if (attrs[key] !== undefined && attrs[key] !== null && attrs[key] !== '') return attrs[key];
  return undefined;
}

function str(attrs: Attributes, keys: readonly string[]): string | null {
  const value = first(attrs, keys);
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

/** A token count: a non-negative integer that fits the column, as a number or digits; else unmapped. */
function tokens(attrs: Attributes, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = attrs[key];
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(n) && n >= 0 && n <= 2_147_483_647) return n;
  }
  return null;
}

/**
 * Dollars → micro-cents without float arithmetic on the amount: a number is first written with
 * its 8 decimals (toFixed rounds the double's exact value), a string must already be exact.
 * Anything unreadable or negative leaves the cost at 0 (the attribute itself is kept).
 */
function cost(attrs: Attributes): bigint {
  const value = first(attrs, KEYS.costUsd);
  try {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1e12) return usdToMicrocents(value.toFixed(8));
    if (typeof value === 'string') return usdToMicrocents(value);
  } catch {
    // not a usable amount
  }
  return 0n;
}

function isContent(key: string, keys: readonly string[], prefixes: readonly string[]): boolean {
  return keys.includes(key) || prefixes.some((p) => key.startsWith(p));
}

/** Span start, ns → ISO text with all nine fraction digits. */
export function nanosToIso(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

function operationOf(attrs: Attributes): string | null {
  const named = str(attrs, KEYS.operation);
  if (named) return named;
  const kind = str(attrs, ['openinference.span.kind']);
  if (kind) return OPENINFERENCE_OPERATIONS[kind.toUpperCase()] ?? kind.toLowerCase();
  return str(attrs, ['ai.operationId']);
}

/** Why a failed span failed, in a few words: the exception type, error.type, or the status message. */
function outcomeCodeOf(span: OtlpSpan): string | null {
  if (span.status.code !== STATUS_ERROR) return null;
  const exception = span.events.find((e) => e.name === 'exception' && typeof e.attributes['exception.type'] === 'string');
  return (exception?.attributes['exception.type'] as string | undefined) ?? str(span.attributes, ['error.type']) ?? (span.status.message || null);
}

export function spanToStep(span: OtlpSpan): SpanStepInput {
  const attrs = span.attributes;
  const input: Record<string, AttrValue> = {};
  const output: Record<string, AttrValue> = {};
  const rest: Record<string, AttrValue> = {};
  for (const [key, value] of Object.entries(attrs)) {
    const target = isContent(key, INPUT_KEYS, INPUT_PREFIXES) ? input : isContent(key, OUTPUT_KEYS, OUTPUT_PREFIXES) ? output : rest;
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
  const scope = { name: span.scope.name, version: span.scope.version, ...(Object.keys(span.scope.attributes).length ? { attributes: span.scope.attributes } : {}) };
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind === 0 ? null : SPAN_KINDS[span.kind]!,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    status: span.status.code === STATUS_ERROR ? 'failure' : 'success',
    outcomeCode: outcomeCodeOf(span),
    operation: operationOf(attrs),
    provider: str(attrs, KEYS.provider),
    model: str(attrs, KEYS.model),
    inputTokens: tokens(attrs, KEYS.inputTokens),
    outputTokens: tokens(attrs, KEYS.outputTokens),
    cachedInputTokens: tokens(attrs, KEYS.cachedInputTokens),
    reasoningTokens: tokens(attrs, KEYS.reasoningTokens),
    agentName: str(attrs, KEYS.agentName),
    toolName: str(attrs, KEYS.toolName),
    conversationId: str(attrs, KEYS.conversationId),
    costMicrocents: cost(attrs),
    input,
    output: Object.keys(output).length ? output : null,
    serviceName: typeof span.resource['service.name'] === 'string' ? span.resource['service.name'] : null,
    attributes: {
      span: rest,
      resource: span.resource,
      scope,
      ...(span.status.code !== 0 && { status: { code: span.status.code === STATUS_ERROR ? 'ERROR' : 'OK', ...(span.status.message && { message: span.status.message }) } }),
      ...(span.events.length && {
        events: span.events.map((e) => ({ name: e.name, ...(e.timeUnixNano ? { time: nanosToIso(e.timeUnixNano) } : {}), attributes: e.attributes })),
      }),
      ...(span.links.length && { links: span.links }),
      ...(span.traceState && { traceState: span.traceState }),
      ...((span.dropped.attributes || span.dropped.events || span.dropped.links) && { dropped: span.dropped }),
    },
  };
}
