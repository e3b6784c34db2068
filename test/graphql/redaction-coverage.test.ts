// Every redaction rule × every write path (issue 11): the gitleaks samples and ours are written
// through each GraphQL mutation field and OTLP place that takes free text or JSON, then read back
// through the API and from the stored row; no secret may survive in either. Samples are batched
// (one JSON document or a few texts per path) to keep this quick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, setup, sql, type TestEnv } from '../helpers.ts';
import { ALL_SAMPLES, leakedSamples, sampleTexts } from '../secret-samples.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

let n = 0;
const id = (prefix: string) => `${prefix}-${++n}`;
const notes = () => ({ notes: ALL_SAMPLES.map((s) => s.text), nested: { deep: [{ text: ALL_SAMPLES.map((s) => s.text).join(' | ') }] } });

async function ok<T = any>(query: string, variables: Record<string, unknown>, key = env.a.write): Promise<T> {
  const res = await gql(env.app, query, variables, key);
  expect(res.errors).toBeUndefined();
  return res.data as T;
}
const rows = async (table: string, where: string, params: unknown[]) =>
  JSON.stringify(await sql(env.db, `SELECT row_to_json(t)::text AS row FROM ${table} t WHERE tenant_id = 'tenant-a' AND ${where}`, params));

function expectNoLeak(api: unknown, row: string) {
  expect(leakedSamples(JSON.stringify(api)), 'API answer').toEqual([]);
  expect(leakedSamples(row), 'stored row').toEqual([]);
}

const TRACE_READ = `query($traceId: String!) { trace(traceId: $traceId) { plan metadata run { goal }
  steps(first: 500) { edges { node { params outcomeData } } }
  spans(first: 500) { edges { node { attributes provider model agentName toolName conversationId } } } } }`;

describe('GraphQL write paths', () => {
  it('trace: goal, plan, metadata, step params and outcomeData, completion metadata', async () => {
    const goals = sampleTexts(4000);
    const traceIds: string[] = [];
    for (const goal of goals) {
      const traceId = id('t');
      traceIds.push(traceId);
      await ok(`mutation($input: StartTraceInput!) { startTrace(input: $input) { created } }`, {
        input: { traceId, runId: id('run'), goal, plan: [notes()], metadata: notes() },
      });
    }
    const traceId = traceIds[0]!;
    await ok(`mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount } }`, {
      input: { steps: [{ traceId, stepIndex: 0, skillName: 'note', status: 'SUCCESS', params: notes(), outcomeData: notes() }] },
    });
    await ok(`mutation($input: CompleteTraceInput!) { completeTrace(input: $input) { status } }`, { input: { traceId, status: 'COMPLETED', metadata: notes() } });
    const api = await Promise.all(traceIds.map((t) => ok(TRACE_READ, { traceId: t }, env.a.read)));
    const row = (await rows('aos_traces', 'trace_id = ANY($1)', [traceIds])) + (await rows('aos_trace_steps', 'trace_id = $1', [traceId])) + (await rows('runs', `run_id IN (SELECT run_id FROM aos_traces WHERE trace_id = ANY($1))`, [traceIds]));
    expectNoLeak(api, row);
  });

  it('abortTrace reason', async () => {
    const traceIds: string[] = [];
    for (const reason of sampleTexts(2000)) {
      const traceId = id('t');
      traceIds.push(traceId);
      await ok(`mutation($input: StartTraceInput!) { startTrace(input: $input) { created } }`, { input: { traceId, runId: id('run') } });
      await ok(`mutation($input: AbortTraceInput!) { abortTrace(input: $input) { status } }`, { input: { traceId, reason } });
    }
    const api = await Promise.all(traceIds.map((t) => ok(TRACE_READ, { traceId: t }, env.a.read)));
    expectNoLeak(api, await rows('aos_traces', 'trace_id = ANY($1)', [traceIds]));
  });

  it('incidents: title, triggerValue, description, errorMessage, policyName, resolution notes; bundles and log exports', async () => {
    const FIELDS = 'incidentId title description resolutionNotes';
    const ids: string[] = [];
    const longTexts = sampleTexts(2000);
    // A title holds at most 255 characters before redaction: the few longer samples go to the other fields.
    for (const title of sampleTexts(255, ALL_SAMPLES.filter((x) => x.text.length <= 255 && !x.text.includes('\n')), ' | ')) {
      const text = longTexts[ids.length % longTexts.length]!;
      const opened = await ok(`mutation($input: OpenIncidentInput!) { openIncident(input: $input) { ${FIELDS} } }`, {
        input: { title, severity: 'HIGH', causeType: 'SYSTEM', triggerType: 'manual', triggerValue: text, description: text, errorMessage: text, policyName: title },
      });
      ids.push(opened.openIncident.incidentId);
    }
    const api: unknown[] = [];
    for (const [i, notesText] of longTexts.entries()) {
      api.push(await ok(`mutation($input: ResolveIncidentInput!) { resolveIncident(input: $input) { ${FIELDS} } }`, { input: { incidentId: ids[i]!, method: 'MANUAL', notes: notesText } }, env.a.admin));
    }
    for (const [i, exportReason] of longTexts.entries()) {
      const preparedFor = sampleTexts(200, ALL_SAMPLES.filter((x) => x.text.length <= 200 && !x.text.includes('\n')), ' | ')[i] ?? 'x';
      api.push(await ok(`mutation($input: ExportBundleInput!) { exportBundle(input: $input) { bundle } }`, { input: { incidentId: ids[i % ids.length]!, kind: 'EVIDENCE', exportReason, preparedFor } }, env.a.admin));
    }
    api.push(await Promise.all(ids.map((incidentId) => ok(`query($id: String!) { incident(incidentId: $id) { ${FIELDS} triggerValue errorMessage policyName } }`, { id: incidentId }, env.a.read))));
    const row = (await rows('incidents', 'id = ANY($1::uuid[])', [ids])) + (await rows('log_exports', 'true', [])) + (await rows('audit_ledger', 'true', []));
    expectNoLeak(api, row);
  });

  it('audit entries: actionReason, beforeState, afterState', async () => {
    const api: unknown[] = [];
    for (const actionReason of sampleTexts(10_000)) {
      api.push(await ok(`mutation($input: AppendAuditEntryInput!) { appendAuditEntry(input: $input) { auditEntry { actionReason beforeState afterState } } }`, {
        input: { eventType: 'LIMIT_UPDATED', entityType: 'LIMIT', entityId: id('limit'), actorType: 'HUMAN', actionReason, beforeState: notes(), afterState: notes() },
      }, env.a.admin));
    }
    expectNoLeak(api, await rows('audit_ledger', 'true', []));
  });

  it('system events: summary and details', async () => {
    const api: unknown[] = [];
    for (const summary of sampleTexts(2000)) {
      api.push(await ok(`mutation($input: RecordSystemEventInput!) { recordSystemEvent(input: $input) { systemRecord { summary details } } }`, {
        input: { component: 'WORKER', eventType: 'ERROR', severity: 'WARN', summary, details: notes() },
      }, env.a.admin));
    }
    expectNoLeak(api, await rows('system_records', 'true', []));
  });

  it('failLogExport reason', async () => {
    const api: unknown[] = [];
    for (const reason of sampleTexts(4000)) {
      const requested = await ok(`mutation($input: RequestLogExportInput!) { requestLogExport(input: $input) { exportId } }`, {
        input: { scope: 'AUDIT', format: 'JSON', origin: 'HUMAN', requestedBy: 'ops-1' },
      }, env.a.admin);
      api.push(await ok(`mutation($input: FailLogExportInput!) { failLogExport(input: $input) { failureReason } }`, { input: { exportId: requested.requestLogExport.exportId, reason } }, env.a.admin));
    }
    expectNoLeak(api, await rows('log_exports', 'true', []));
  });
});

describe('OTLP write paths', () => {
  const attrs = () => ALL_SAMPLES.map((s, i) => ({ key: `note.${i}`, value: { stringValue: s.text } }));
  const all = ALL_SAMPLES.map((s) => s.text).join('\n');

  it('span name, attributes, events, status message, links, resource and scope attributes, GenAI fields', async () => {
    const traceId = 'ab'.repeat(16);
    const spanBase = { traceId, kind: 3, startTimeUnixNano: '1795000000000000000', endTimeUnixNano: '1795000000005000000' };
    const body = {
      resourceSpans: [{
        resource: { attributes: [...attrs(), { key: 'service.name', value: { stringValue: all.slice(0, 300) } }] },
        scopeSpans: [{
          scope: { name: 'test', attributes: attrs() },
          spans: [
            {
              ...spanBase, spanId: '1'.repeat(16), name: all,
              attributes: [
                ...attrs(),
                { key: 'gen_ai.request.model', value: { stringValue: ALL_SAMPLES[0]!.text } },
                { key: 'gen_ai.provider.name', value: { stringValue: ALL_SAMPLES[1]!.text } },
                { key: 'gen_ai.agent.name', value: { stringValue: ALL_SAMPLES[2]!.text } },
                { key: 'gen_ai.tool.name', value: { stringValue: ALL_SAMPLES[3]!.text } },
                { key: 'gen_ai.conversation.id', value: { stringValue: ALL_SAMPLES[4]!.text } },
                { key: 'gen_ai.input.messages', value: { stringValue: all } },
                { key: 'gen_ai.output.messages', value: { stringValue: all } },
                { key: 'note.array', value: { arrayValue: { values: ALL_SAMPLES.map((s) => ({ stringValue: s.text })) } } },
                { key: 'note.kv', value: { kvlistValue: { values: attrs() } } },
              ],
              events: [{ timeUnixNano: '1795000000001000000', name: all, attributes: attrs() }],
              links: [{ traceId: 'cd'.repeat(16), spanId: '2'.repeat(16), attributes: attrs() }],
              status: { code: 2, message: all },
            },
            ...ALL_SAMPLES.slice(0, 40).map((s, i) => ({ ...spanBase, spanId: (0x100 + i).toString(16).padStart(16, '3'), name: s.text, attributes: [{ key: 'gen_ai.request.model', value: { stringValue: s.text } }] })),
          ],
        }],
      }],
    };
    const res = await env.app.fetch('http://test/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.a.write}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const api = await ok(TRACE_READ, { traceId }, env.a.read);
    expect(api.trace.spans.edges.length).toBe(41);
    const row = (await rows('aos_trace_steps', 'trace_id = $1', [traceId])) + (await rows('aos_traces', 'trace_id = $1', [traceId])) + (await rows('runs', 'true', []));
    expectNoLeak(api, row);
  });
});
