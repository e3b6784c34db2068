// The attribute vocabulary (OTel GenAI current and deprecated names, OpenInference, Vercel AI SDK)
// and the OTLP decoding rules, as pure functions.
import { describe, expect, it } from 'vitest';
import { decodeExport, OtlpBadRequest, type Attributes, type OtlpSpan } from '../../src/otlp/decode.ts';
import { nanosToIso, spanToStep } from '../../src/otlp/genai.ts';

function otlpSpan(attributes: Attributes, extra: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: null,
    traceState: null,
    name: 'span',
    kind: 1,
    startTimeUnixNano: 1_000_000_000n,
    endTimeUnixNano: 2_000_000_000n,
    attributes,
    events: [],
    links: [],
    status: { code: 0, message: '' },
    dropped: { attributes: 0, events: 0, links: 0 },
    resource: {},
    scope: { name: 'scope', version: '', attributes: {} },
    ...extra,
  };
}

describe('GenAI attribute mapping', () => {
  it('prefers the current names over the deprecated ones when both are present', () => {
    const step = spanToStep(
      otlpSpan({
        'gen_ai.provider.name': 'aws.bedrock',
        'gen_ai.system': 'bedrock-old',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.prompt_tokens': 99,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.usage.completion_tokens': 98,
      }),
    );
    expect(step).toMatchObject({ provider: 'aws.bedrock', inputTokens: 10, outputTokens: 5 });
  });

  it('maps the Vercel AI SDK spelling', () => {
    const step = spanToStep(
      otlpSpan({
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.id': 'gpt-4o-mini',
        'ai.model.provider': 'openai.chat',
        'ai.usage.promptTokens': 21,
        'ai.usage.completionTokens': 4,
        'ai.prompt.messages': '[{"role":"user","content":"hi"}]',
        'ai.response.text': 'hello',
        'ai.telemetry.metadata.sessionId': 'chat-1',
      }),
    );
    expect(step).toMatchObject({
      operation: 'ai.generateText.doGenerate',
      model: 'gpt-4o-mini',
      provider: 'openai.chat',
      inputTokens: 21,
      outputTokens: 4,
      conversationId: 'chat-1',
      input: { 'ai.prompt.messages': '[{"role":"user","content":"hi"}]' },
      output: { 'ai.response.text': 'hello' },
    });
    expect(step.attributes.span).not.toHaveProperty('ai.response.text');
  });

  it('maps the cache and reasoning token variants', () => {
    expect(spanToStep(otlpSpan({ 'gen_ai.usage.cache_read_input_tokens': 7, 'gen_ai.usage.reasoning_tokens': 3 }))).toMatchObject({
      cachedInputTokens: 7,
      reasoningTokens: 3,
    });
    expect(spanToStep(otlpSpan({ 'llm.token_count.prompt_details.cache_read': 8, 'llm.token_count.completion_details.reasoning': 2 }))).toMatchObject({
      cachedInputTokens: 8,
      reasoningTokens: 2,
    });
  });

  it('leaves token counts unmapped (but kept) when they are not counts', () => {
    const step = spanToStep(otlpSpan({ 'gen_ai.usage.input_tokens': -1, 'gen_ai.usage.output_tokens': 1.5, 'gen_ai.usage.cache_read.input_tokens': '9999999999999' }));
    expect(step).toMatchObject({ inputTokens: null, outputTokens: null, cachedInputTokens: null });
    expect(step.attributes.span).toMatchObject({ 'gen_ai.usage.input_tokens': -1 });
  });

  it('maps a dollar cost to exact micro-cents, and ignores unusable amounts', () => {
    expect(spanToStep(otlpSpan({ 'gen_ai.usage.cost': 0.1 + 0.2 })).costMicrocents).toBe(30_000_000n);
    expect(spanToStep(otlpSpan({ 'llm.cost.total': '0.00012345' })).costMicrocents).toBe(12_345n);
    expect(spanToStep(otlpSpan({ 'gen_ai.usage.cost': 1.5e-7 })).costMicrocents).toBe(15n);
    expect(spanToStep(otlpSpan({ 'gen_ai.usage.cost': -1 })).costMicrocents).toBe(0n);
    expect(spanToStep(otlpSpan({ 'gen_ai.usage.cost': 'lots' })).costMicrocents).toBe(0n);
  });

  it('names the operation from openinference.span.kind, and the skill from the tool', () => {
    expect(spanToStep(otlpSpan({ 'openinference.span.kind': 'RETRIEVER' })).operation).toBe('retrieval');
    expect(spanToStep(otlpSpan({ 'openinference.span.kind': 'RERANKER' })).operation).toBe('reranker');
    expect(spanToStep(otlpSpan({ 'gen_ai.tool.name': 'lookup' }, { name: 'execute_tool lookup' }))).toMatchObject({ toolName: 'lookup', name: 'execute_tool lookup' });
  });

  it('gives a failed span an outcome code: exception type, else error.type, else the status message', () => {
    const failed = { status: { code: 2, message: 'rate limited' } };
    const exception = { name: 'exception', timeUnixNano: 1_500_000_000n, attributes: { 'exception.type': 'RateLimitError' } };
    expect(spanToStep(otlpSpan({}, { ...failed, events: [exception] })).outcomeCode).toBe('RateLimitError');
    expect(spanToStep(otlpSpan({ 'error.type': '429' }, failed)).outcomeCode).toBe('429');
    expect(spanToStep(otlpSpan({}, failed))).toMatchObject({ status: 'failure', outcomeCode: 'rate limited' });
    expect(spanToStep(otlpSpan({ 'error.type': '429' }, { events: [exception] }))).toMatchObject({ status: 'success', outcomeCode: null });
  });

  it('keeps events with nanosecond ISO times', () => {
    const step = spanToStep(otlpSpan({}, { events: [{ name: 'gen_ai.choice', timeUnixNano: 1_795_000_000_123_456_789n, attributes: { index: 0 } }] }));
    expect(step.attributes.events).toEqual([{ name: 'gen_ai.choice', time: '2026-11-18T11:06:40.123456789Z', attributes: { index: 0 } }]);
    expect(nanosToIso(1n)).toBe('1970-01-01T00:00:00.000000001Z');
  });
});

describe('OTLP decoding', () => {
  const request = (span: Record<string, unknown>) => ({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
  const good = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', startTimeUnixNano: '1' };

  it('reads protobuf ids as bytes (base64 after decoding) and JSON ids as hex', () => {
    const fromProto = decodeExport(request({ ...good, traceId: Buffer.from(good.traceId, 'hex').toString('base64'), spanId: Buffer.from(good.spanId, 'hex').toString('base64') }), 'base64');
    expect(fromProto.spans[0]).toMatchObject({ traceId: good.traceId, spanId: good.spanId });
    // Base64 in OTLP/JSON is the classic mistake: rejected, not misread.
    const base64InJson = decodeExport(request({ ...good, traceId: Buffer.from(good.traceId, 'hex').toString('base64') }), 'hex');
    expect(base64InJson.rejected.count).toBe(1);
  });

  it('rejects spans with bad times and keeps the end no earlier than the start', () => {
    expect(decodeExport(request({ ...good, startTimeUnixNano: '-5' }), 'hex').rejected.count).toBe(1);
    expect(decodeExport(request({ ...good, startTimeUnixNano: String(2n ** 63n) }), 'hex').rejected.count).toBe(1);
    expect(decodeExport(request({ ...good, startTimeUnixNano: undefined }), 'hex').rejected.count).toBe(1);
    const skewed = decodeExport(request({ ...good, startTimeUnixNano: '100', endTimeUnixNano: '50' }), 'hex').spans[0]!;
    expect(skewed.endTimeUnixNano).toBe(100n);
  });

  it('reads enums as integers, and as their proto names too', () => {
    const [byNumber] = decodeExport(request({ ...good, kind: 3, status: { code: 2 } }), 'hex').spans;
    const [byName] = decodeExport(request({ ...good, kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR' } }), 'hex').spans;
    expect([byNumber!.kind, byNumber!.status.code]).toEqual([3, 2]);
    expect([byName!.kind, byName!.status.code]).toEqual([3, 2]);
    expect(decodeExport(request({ ...good, kind: 42 }), 'hex').spans[0]!.kind).toBe(0);
  });

  it('refuses a request whose structure is wrong', () => {
    expect(() => decodeExport({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...good, events: {} }] }] }] }, 'hex')).toThrow(OtlpBadRequest);
    expect(() => decodeExport('text', 'hex')).toThrow(OtlpBadRequest);
    expect(decodeExport({}, 'hex')).toEqual({ spans: [], rejected: { count: 0, messages: [] } });
  });

  it('keeps a "__proto__" attribute as data', () => {
    const [span] = decodeExport(request({ ...good, attributes: [{ key: '__proto__', value: { stringValue: 'x' } }] }), 'hex').spans;
    expect(Object.getPrototypeOf(span!.attributes)).toBe(Object.prototype);
    expect(Object.keys(span!.attributes)).toEqual(['__proto__']);
  });
});
