// Issue 6 done-when: a trace sent by the official OpenTelemetry JS SDK (OTLP/HTTP exporters, JSON
// and protobuf, gzip or not) to the running server shows up through GraphQL with its GenAI fields
// mapped, in current, deprecated and vendor (OpenInference) attribute names.
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpSettler } from '../../src/otlp/settler.ts';
import { gql, setup, sql, type TestEnv } from '../helpers.ts';
import { listen } from './listen.ts';

let env: TestEnv;
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  env = await setup();
  server = await listen(env.app);
});
afterAll(async () => {
  await server?.close();
  await env?.close();
});

type Exporters = 'json' | 'json+gzip' | 'proto' | 'proto+gzip';

function sdk(kind: Exporters, key: string, batch = true) {
  const config = {
    url: `${server.url}/v1/traces`,
    headers: { Authorization: `Bearer ${key}` },
    ...(kind.endsWith('+gzip') && { compression: 'gzip' as CompressionAlgorithm }),
  };
  const exporter: SpanExporter = kind.startsWith('json') ? new JsonExporter(config) : new ProtoExporter(config);
  const provider = new BasicTracerProvider({ spanProcessors: [batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)] });
  return { provider, tracer: provider.getTracer('support-agent', '1.4.0') };
}

const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);

/** A span started at T0 + `offsetMs`, under `parent` when given (explicit contexts: no context manager needed). */
function start(tracer: Tracer, name: string, offsetMs: number, attributes: Attributes, parent?: Span, kind = SpanKind.INTERNAL): Span {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  return tracer.startSpan(name, { startTime: T0 + offsetMs, attributes, kind }, ctx);
}

const TRACE_QUERY = `query ($traceId: String!) {
  trace(traceId: $traceId) {
    traceId runId agentId status metadata
    steps { edges { node {
      stepIndex skillId skillName status level outcomeCode params outcomeData timestamp durationMs source
      spanId parentSpanId spanKind startTimeUnixNano endTimeUnixNano operation provider model
      inputTokens outputTokens cachedInputTokens reasoningTokens agentName toolName conversationId attributes
    } } }
    spans { edges { node { spanId stepIndex } } }
  }
}`;

async function readTrace(traceId: string, key = env.a.read) {
  const res = await gql(env.app, TRACE_QUERY, { traceId }, key);
  expect(res.errors).toBeUndefined();
  return res.data!.trace;
}

/** The nodes of a connection in a GraphQL result (untyped: the assertions check them). */
const nodes = (connection: { edges: { node: unknown }[] }): any[] => connection.edges.map((e) => e.node);
const settle = () => startOtlpSettler({ stores: env.stores, settleAfterSeconds: 0, intervalSeconds: 0, logger: pino({ level: 'silent' }) }).runOnce();

describe('the OTLP/JSON exporter (@opentelemetry/exporter-trace-otlp-http)', () => {
  it('stores an agent run as one trace whose steps carry the GenAI fields', async () => {
    const { provider, tracer } = sdk('json', env.a.write);
    const agent = start(tracer, 'invoke_agent support-bot', 0, {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'support-bot',
      'gen_ai.agent.id': 'agent-7',
      'gen_ai.conversation.id': 'conv-42',
    });
    const chat = start(
      tracer,
      'chat gpt-4o',
      10,
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 85,
        'gen_ai.usage.cache_read.input_tokens': 1024,
        'gen_ai.usage.reasoning.output_tokens': 40,
        'gen_ai.conversation.id': 'conv-42',
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]}]',
        'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"tool_call","name":"get_weather"}]}]',
      },
      agent,
      SpanKind.CLIENT,
    );
    chat.end(T0 + 1510);
    const tool = start(tracer, 'execute_tool get_weather', 1520, {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
      'gen_ai.tool.call.result': '{"celsius":18}',
    }, agent);
    tool.end(T0 + 1600);
    agent.end(T0 + 2000);
    await provider.forceFlush();
    const traceId = agent.spanContext().traceId;

    const stored = await readTrace(traceId);
    expect(stored).toMatchObject({ traceId, runId: 'conv-42', agentId: 'support-bot', status: 'RUNNING', metadata: { source: 'otlp' } });
    const steps = nodes(stored.steps);
    // One export, so step indexes follow start time.
    expect(steps.map((s) => s.spanId)).toEqual([agent, chat, tool].map((s) => s.spanContext().spanId));
    expect(steps[1]).toMatchObject({
      stepIndex: 1,
      skillId: 'chat gpt-4o',
      skillName: 'chat gpt-4o',
      status: 'SUCCESS',
      source: 'EXTERNAL',
      parentSpanId: agent.spanContext().spanId,
      spanKind: 'CLIENT',
      operation: 'chat',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      inputTokens: 1200,
      outputTokens: 85,
      cachedInputTokens: 1024,
      reasoningTokens: 40,
      conversationId: 'conv-42',
      timestamp: new Date(T0 + 10).toISOString(),
      durationMs: 1500,
      startTimeUnixNano: `${T0 + 10}000000`,
      endTimeUnixNano: `${T0 + 1510}000000`,
      params: { 'gen_ai.input.messages': expect.stringContaining('Weather in Paris?') },
      outcomeData: { 'gen_ai.output.messages': expect.stringContaining('tool_call') },
    });
    // Everything not mapped to a column is kept; the request model survives beside the response model.
    expect(steps[1].attributes.span).toMatchObject({ 'gen_ai.request.temperature': 0.2, 'gen_ai.request.model': 'gpt-4o' });
    expect(steps[1].attributes.resource['telemetry.sdk.language']).toBe('nodejs');
    expect(steps[1].attributes.scope).toEqual({ name: 'support-agent', version: '1.4.0' });
    expect(steps[0]).toMatchObject({ parentSpanId: null, operation: 'invoke_agent', agentName: 'support-bot', spanKind: 'INTERNAL' });
    expect(steps[2]).toMatchObject({
      skillName: 'get_weather',
      toolName: 'get_weather',
      operation: 'execute_tool',
      params: { 'gen_ai.tool.call.arguments': '{"city":"Paris"}' },
      outcomeData: { 'gen_ai.tool.call.result': '{"celsius":18}' },
    });

    // Idle traces settle: completed, with a root hash that verifies.
    expect(await settle()).toBeGreaterThanOrEqual(1);
    const after = await gql(env.app, `query ($t: String!) { trace(traceId: $t) { status completedAt } verifyTrace(traceId: $t) { valid reason } }`, { t: traceId }, env.a.read);
    expect(after.data).toEqual({ trace: { status: 'COMPLETED', completedAt: new Date(T0 + 2000).toISOString() }, verifyTrace: { valid: true, reason: 'OK' } });
  });

  it('sends gzip bodies, and a failed span becomes a FAILURE step and fails the trace', async () => {
    const { provider, tracer } = sdk('json+gzip', env.a.write);
    const root = start(tracer, 'handle ticket', 0, { 'gen_ai.agent.name': 'triage' });
    const call = start(tracer, 'chat claude', 5, { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic' }, root, SpanKind.CLIENT);
    call.recordException(new TypeError('upstream returned 529'));
    call.setStatus({ code: SpanStatusCode.ERROR, message: 'overloaded' });
    call.end(T0 + 50);
    root.setStatus({ code: SpanStatusCode.ERROR });
    root.end(T0 + 60);
    await provider.forceFlush();
    const traceId = root.spanContext().traceId;
    const [rootStep, callStep] = nodes((await readTrace(traceId)).steps);
    expect(callStep).toMatchObject({ status: 'FAILURE', level: 'ERROR', outcomeCode: 'TypeError', provider: 'anthropic' });
    expect(callStep.attributes.status).toEqual({ code: 'ERROR', message: 'overloaded' });
    expect(callStep.attributes.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.type': 'TypeError', 'exception.message': 'upstream returned 529' } });
    expect(rootStep.status).toBe('FAILURE');
    await settle();
    expect((await readTrace(traceId)).status).toBe('FAILED');
  });
});

describe('the protobuf exporter (@opentelemetry/exporter-trace-otlp-proto)', () => {
  it('maps the deprecated gen_ai names (gen_ai.system, prompt/completion tokens), gzipped', async () => {
    const { provider, tracer } = sdk('proto+gzip', env.a.write);
    const span = start(tracer, 'text_completion', 0, {
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-3.5-turbo-instruct',
      'gen_ai.usage.prompt_tokens': 300,
      'gen_ai.usage.completion_tokens': 20,
      'gen_ai.prompt.0.content': 'Say hi',
      'gen_ai.completion.0.content': 'Hi',
      'llm.request.big_number': 2 ** 60,
    }, undefined, SpanKind.CLIENT);
    span.end(T0 + 400);
    await provider.forceFlush();
    const [step] = nodes((await readTrace(span.spanContext().traceId)).steps);
    expect(step).toMatchObject({
      spanId: span.spanContext().spanId,
      provider: 'openai',
      model: 'gpt-3.5-turbo-instruct',
      inputTokens: 300,
      outputTokens: 20,
      cachedInputTokens: null,
      params: { 'gen_ai.prompt.0.content': 'Say hi' },
      outcomeData: { 'gen_ai.completion.0.content': 'Hi' },
      startTimeUnixNano: `${T0}000000`,
    });
    // int64 beyond 2^53 is kept exactly, as digits.
    expect(step.attributes.span['llm.request.big_number']).toBe(String(2n ** 60n));
  });

  it('maps OpenInference attributes; spans exported one by one keep their parent and read in start order', async () => {
    const { provider, tracer } = sdk('proto', env.a.write, false);
    const chain = start(tracer, 'RunnableSequence', 0, { 'openinference.span.kind': 'CHAIN', 'session.id': 'sess-9', 'input.value': 'question' });
    // OpenInference puts the session on every span of it (using_session), so the first export names the run.
    const llm = start(tracer, 'ChatOpenAI', 100, {
      'openinference.span.kind': 'LLM',
      'session.id': 'sess-9',
      'llm.model_name': 'gpt-4o-mini',
      'llm.provider': 'openai',
      'llm.token_count.prompt': 50,
      'llm.token_count.completion': 7,
      'llm.token_count.total': 57,
      'llm.input_messages.0.message.content': 'question',
      'output.value': 'answer',
    }, chain);
    const tool = start(tracer, 'search', 200, { 'openinference.span.kind': 'TOOL', 'tool.name': 'web_search' }, chain);
    // SimpleSpanProcessor exports each span as it ends: children arrive before their root.
    llm.end(T0 + 150);
    await provider.forceFlush();
    tool.end(T0 + 250);
    await provider.forceFlush();
    chain.end(T0 + 300);
    await provider.forceFlush();
    const traceId = chain.spanContext().traceId;
    const stored = await readTrace(traceId);
    expect(stored.runId).toBe('sess-9');
    const byArrival = nodes(stored.steps);
    expect(byArrival.map((s) => s.spanId)).toEqual([llm, tool, chain].map((s) => s.spanContext().spanId));
    expect(nodes(stored.spans).map((s) => s.spanId)).toEqual([chain, llm, tool].map((s) => s.spanContext().spanId));
    expect(byArrival[0]).toMatchObject({
      operation: 'chat',
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 50,
      outputTokens: 7,
      conversationId: 'sess-9',
      parentSpanId: chain.spanContext().spanId,
      params: { 'llm.input_messages.0.message.content': 'question' },
      outcomeData: { 'output.value': 'answer' },
    });
    expect(byArrival[1]).toMatchObject({ operation: 'execute_tool', toolName: 'web_search', skillName: 'web_search' });
    expect(byArrival[2]).toMatchObject({ operation: 'invoke_workflow', parentSpanId: null, params: { 'input.value': 'question' } });
  });
});

describe('tenancy and redaction', () => {
  it("another tenant never sees the spans, and its own spans with the same ids are its own", async () => {
    const { provider, tracer } = sdk('json', env.a.write);
    const span = start(tracer, 'chat', 0, { 'gen_ai.request.model': 'model-a' });
    span.end(T0 + 1);
    await provider.forceFlush();
    const traceId = span.spanContext().traceId;
    expect(await readTrace(traceId, env.b.read)).toBeNull();
    const res = await gql(env.app, `{ traces(first: 50) { edges { node { traceId } } } }`, {}, env.b.read);
    expect(res.data!.traces.edges.map((e: { node: { traceId: string } }) => e.node.traceId)).not.toContain(traceId);
    // Tenant b sends the very same span ids: a separate trace, nothing of a's changes.
    const body = {
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: span.spanContext().spanId, name: 'chat', startTimeUnixNano: `${T0}000000`, endTimeUnixNano: `${T0}000000`, attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'model-b' } }] }] }] }],
    };
    const sent = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${env.b.write}` }, body: JSON.stringify(body) });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({});
    expect(nodes((await readTrace(traceId, env.a.read)).steps).map((s) => s.model)).toEqual(['model-a']);
    expect(nodes((await readTrace(traceId, env.b.read)).steps).map((s) => s.model)).toEqual(['model-b']);
  });

  it('redacts secrets in attributes, content and names before storage', async () => {
    const { provider, tracer } = sdk('proto', env.a.write);
    const span = start(tracer, 'chat for alice@example.com', 0, {
      'openai.api_key': 'sk-proj-abcdefghijklmnopqrstuvwxyz123456',
      'http.request.header.authorization': 'Bearer abc.def.ghi',
      'user.note': 'card 4111 1111 1111 1111',
      'gen_ai.input.messages': 'my key is sk-ant-abcdefghijklmnopqrstuvwxyz0123',
    });
    span.end(T0 + 1);
    await provider.forceFlush();
    const [row] = await sql<{ attributes: string; params: string; skill_id: string }>(
      env.db,
      `SELECT attributes::text, params::text, skill_id FROM aos_trace_steps WHERE tenant_id = $1 AND span_id = $2`,
      [env.a.tenantId, span.spanContext().spanId],
    );
    expect(row!.attributes).not.toMatch(/sk-proj|abc\.def|4111 1111/);
    expect(row!.params).not.toContain('sk-ant-');
    expect(row!.skill_id).toBe('chat for <REDACTED_EMAIL>');
    expect(JSON.parse(row!.attributes).span['openai.api_key']).toBe('<REDACTED>');
  });
});
