import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const FIELDS = `id incidentId title severity lifecycleState causeType triggerType description costImpactCents acknowledgedAt acknowledgedBy resolvedAt resolvedBy resolutionMethod resolutionNotes updatedAt`;
const OPEN = `mutation($input: OpenIncidentInput!) { openIncident(input: $input) { ${FIELDS} } }`;
const ACK = `mutation($input: AcknowledgeIncidentInput!) { acknowledgeIncident(input: $input) { ${FIELDS} } }`;
const RESOLVE = `mutation($input: ResolveIncidentInput!) { resolveIncident(input: $input) { ${FIELDS} } }`;
const READ = `query($incidentId: String!) { incident(incidentId: $incidentId) { ${FIELDS} } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on Incident { incidentId } } }`;
const START_TRACE = `mutation($input: StartTraceInput!) { startTrace(input: $input) { trace { traceId } } }`;
const TRACE = `query($traceId: String!) { trace(traceId: $traceId) { incidentId } }`;

const incident = (over: Record<string, unknown> = {}) => ({
  title: 'Failure spike on agent-7',
  severity: 'HIGH',
  causeType: 'LLM_RUN',
  triggerType: 'failure_spike',
  ...over,
});

async function open(over: Record<string, unknown> = {}, key = env.a.write) {
  const res = await gql(env.app, OPEN, { input: incident(over) }, key);
  expect(res.errors).toBeUndefined();
  return res.data!.openIncident as Record<string, any>;
}

const count = async (table: string, tenantId = env.a.tenantId) =>
  Number((await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId]))[0]!.n);

const ledgerFor = (incidentId: string) =>
  sql<{ event_type: string; entity_type: string; actor_type: string; actor_id: string | null; action_reason: string | null; before_state: unknown; after_state: unknown }>(
    env.db,
    `SELECT event_type::text, entity_type::text, actor_type::text, actor_id, action_reason, before_state, after_state
     FROM audit_ledger WHERE entity_id = $1 ORDER BY seq`,
    [incidentId],
  );

describe('openIncident', () => {
  it('opens an ACTIVE incident and reads it back by id and by node', async () => {
    const opened = await open({ costImpactCents: '12.5', description: 'see runbook' });
    expect(opened).toMatchObject({ severity: 'HIGH', lifecycleState: 'ACTIVE', causeType: 'LLM_RUN', costImpactCents: '12.5', acknowledgedAt: null });
    expect((await gql(env.app, READ, { incidentId: opened.incidentId }, env.a.read)).data!.incident).toEqual(opened);
    expect((await gql(env.app, NODE, { id: opened.id }, env.a.read)).data!.node).toEqual({ incidentId: opened.incidentId });
  });

  it('stores severity in one casing whatever the client means (B22)', async () => {
    const opened = await open({ severity: 'CRITICAL' });
    expect((await sql(env.db, `SELECT severity::text AS s FROM incidents WHERE id = $1`, [opened.incidentId]))[0]).toEqual({ s: 'critical' });
    // The reference stored both cases; here the input enum refuses the other casing…
    const before = await count('incidents');
    expect(codeOf(await gql(env.app, OPEN, { input: incident({ severity: 'critical' }) }, env.a.write))).toBe('BAD_USER_INPUT');
    expect(await count('incidents')).toBe(before);
    // …and so does the column, for writers that bypass the API.
    await expect(
      sql(env.db, `INSERT INTO incidents (tenant_id, title, severity, cause_type, trigger_type) VALUES ($1, 't', 'HIGH', 'SYSTEM', 'manual')`, [env.a.tenantId]),
    ).rejects.toThrow(/invalid input value for enum/);
  });

  it('redacts free-text fields before storage (B16)', async () => {
    const opened = await open({
      title: 'Leak for carol@example.com',
      description: 'token Bearer abcdefghijklmnop.qrstuv',
      errorMessage: 'api_key=sk-abcdefghijklmnopqrstuvwxyz0123',
      triggerValue: 'ssn 123-45-6789',
    });
    const [row] = await sql(env.db, `SELECT title, description, error_message, trigger_value FROM incidents WHERE id = $1`, [opened.incidentId]);
    const stored = JSON.stringify(row);
    for (const secret of ['carol@example.com', 'abcdefghijklmnop.qrstuv', 'sk-abcdefghijklmnopqrstuvwxyz0123', '123-45-6789']) expect(stored).not.toContain(secret);
  });

  it('links a trace of the tenant to the new incident, once', async () => {
    await gql(env.app, START_TRACE, { input: { runId: 'run-inc', traceId: 'trace-inc' } }, env.a.write);
    const opened = await open({ traceId: 'trace-inc' });
    expect((await gql(env.app, TRACE, { traceId: 'trace-inc' }, env.a.read)).data!.trace.incidentId).toBe(opened.incidentId);

    const before = await count('incidents');
    const again = await gql(env.app, OPEN, { input: incident({ traceId: 'trace-inc' }) }, env.a.write);
    expect(codeOf(again)).toBe('CONFLICT');
    expect(await count('incidents')).toBe(before);
    expect((await gql(env.app, TRACE, { traceId: 'trace-inc' }, env.a.read)).data!.trace.incidentId).toBe(opened.incidentId);
  });

  it("answers NOT_FOUND for an unknown or another tenant's trace, and writes nothing", async () => {
    await gql(env.app, START_TRACE, { input: { runId: 'run-b', traceId: 'trace-b' } }, env.b.write);
    const before = await count('incidents');
    expect(codeOf(await gql(env.app, OPEN, { input: incident({ traceId: 'trace-b' }) }, env.a.write))).toBe('NOT_FOUND');
    expect(codeOf(await gql(env.app, OPEN, { input: incident({ traceId: 'no-such-trace' }) }, env.a.write))).toBe('NOT_FOUND');
    expect(await count('incidents')).toBe(before);
    expect((await gql(env.app, TRACE, { traceId: 'trace-b' }, env.b.read)).data!.trace.incidentId).toBeNull();
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const before = await count('incidents');
    const cases: [Record<string, unknown>, string][] = [
      [incident({ title: '' }), 'input.title'],
      [incident({ title: 'x'.repeat(256) }), 'input.title'],
      [incident({ triggerType: 'has space' }), 'input.triggerType'],
      [incident({ costImpactCents: '-1' }), 'input.costImpactCents'],
      [incident({ inflectionStepIndex: -1 }), 'input.inflectionStepIndex'],
      [incident({ isSynthetic: true }), 'input.syntheticScenarioId'],
    ];
    for (const [input, field] of cases) {
      const res = await gql(env.app, OPEN, { input }, env.a.write);
      expect(codeOf(res), field).toBe('BAD_USER_INPUT');
      // Validators list the field in extensions; scalar and store errors name it in the message or extensions.field.
      expect(JSON.stringify(res.errors![0]), field).toContain(field);
    }
    expect(codeOf(await gql(env.app, OPEN, { input: incident({ causeType: 'ALIEN' }) }, env.a.write))).toBe('BAD_USER_INPUT');
    expect(await count('incidents')).toBe(before);
  });

  it('rejects openIncident with a read-only key with FORBIDDEN, and writes nothing', async () => {
    const before = await count('incidents');
    expect(codeOf(await gql(env.app, OPEN, { input: incident() }, env.a.read))).toBe('FORBIDDEN');
    expect(await count('incidents')).toBe(before);
  });
});

describe('incident lifecycle', () => {
  it('acknowledges, then resolves, writing one ledger entry per transition', async () => {
    const opened = await open();
    const acked = await gql(env.app, ACK, { input: { incidentId: opened.incidentId, actorId: 'oncall-1' } }, env.a.write);
    expect(acked.errors).toBeUndefined();
    expect(acked.data!.acknowledgeIncident).toMatchObject({ lifecycleState: 'ACKED', acknowledgedBy: 'oncall-1' });
    expect(acked.data!.acknowledgeIncident.acknowledgedAt).not.toBeNull();

    const resolved = await gql(env.app, RESOLVE, { input: { incidentId: opened.incidentId, method: 'ROLLBACK', notes: 'rolled back, told dave@example.com' } }, env.a.write);
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data!.resolveIncident).toMatchObject({ lifecycleState: 'RESOLVED', resolutionMethod: 'ROLLBACK', resolvedBy: null });
    expect(resolved.data!.resolveIncident.resolutionNotes).not.toContain('dave@example.com');

    expect(await ledgerFor(opened.incidentId)).toEqual([
      {
        event_type: 'IncidentAcknowledged',
        entity_type: 'INCIDENT',
        actor_type: 'HUMAN',
        actor_id: 'oncall-1',
        action_reason: null,
        before_state: { lifecycle_state: 'ACTIVE' },
        after_state: { lifecycle_state: 'ACKED' },
      },
      {
        event_type: 'IncidentResolved',
        entity_type: 'INCIDENT',
        actor_type: 'SYSTEM',
        actor_id: null,
        action_reason: 'rolled back, told <REDACTED_EMAIL>',
        before_state: { lifecycle_state: 'ACKED' },
        after_state: { lifecycle_state: 'RESOLVED' },
      },
    ]);
  });

  it('writes the ledger entry in the same transaction as the transition', async () => {
    const opened = await open();
    await gql(env.app, ACK, { input: { incidentId: opened.incidentId } }, env.a.write);
    // Rows written by one transaction carry its id in xmin.
    const [inc] = await sql<{ x: string }>(env.db, `SELECT xmin::text AS x FROM incidents WHERE id = $1`, [opened.incidentId]);
    const [led] = await sql<{ x: string }>(env.db, `SELECT xmin::text AS x FROM audit_ledger WHERE entity_id = $1`, [opened.incidentId]);
    expect(led!.x).toBe(inc!.x);
  });

  it('resolves an ACTIVE incident directly', async () => {
    const opened = await open();
    const res = await gql(env.app, RESOLVE, { input: { incidentId: opened.incidentId, method: 'AUTO', actorId: 'bot' } }, env.a.write);
    expect(res.data!.resolveIncident).toMatchObject({ lifecycleState: 'RESOLVED', resolutionMethod: 'AUTO', resolvedBy: 'bot', acknowledgedAt: null });
    expect((await ledgerFor(opened.incidentId)).map((e) => e.before_state)).toEqual([{ lifecycle_state: 'ACTIVE' }]);
  });

  it('treats a repeated acknowledgement or resolution as a safe retry: unchanged, no second ledger entry', async () => {
    const opened = await open();
    const first = await gql(env.app, ACK, { input: { incidentId: opened.incidentId, actorId: 'a1' } }, env.a.write);
    const again = await gql(env.app, ACK, { input: { incidentId: opened.incidentId, actorId: 'a1' } }, env.a.write);
    expect(again.errors).toBeUndefined();
    expect(again.data!.acknowledgeIncident).toEqual(first.data!.acknowledgeIncident);

    const resolveInput = { incidentId: opened.incidentId, method: 'MANUAL', notes: 'fixed' };
    const resolved = await gql(env.app, RESOLVE, { input: resolveInput }, env.a.write);
    const retried = await gql(env.app, RESOLVE, { input: resolveInput }, env.a.write);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.resolveIncident).toEqual(resolved.data!.resolveIncident);
    expect((await ledgerFor(opened.incidentId)).map((e) => e.event_type)).toEqual(['IncidentAcknowledged', 'IncidentResolved']);
  });

  it('answers CONFLICT for invalid transitions, and changes nothing', async () => {
    const opened = await open();
    await gql(env.app, RESOLVE, { input: { incidentId: opened.incidentId, method: 'MANUAL' } }, env.a.write);
    const [before] = await sql(env.db, `SELECT * FROM incidents WHERE id = $1`, [opened.incidentId]);
    const ledgerBefore = await count('audit_ledger');

    expect(codeOf(await gql(env.app, ACK, { input: { incidentId: opened.incidentId } }, env.a.write))).toBe('CONFLICT');
    expect(codeOf(await gql(env.app, RESOLVE, { input: { incidentId: opened.incidentId, method: 'ROLLBACK' } }, env.a.write))).toBe('CONFLICT');
    expect(codeOf(await gql(env.app, RESOLVE, { input: { incidentId: opened.incidentId, method: 'MANUAL', notes: 'other' } }, env.a.write))).toBe('CONFLICT');

    expect((await sql(env.db, `SELECT * FROM incidents WHERE id = $1`, [opened.incidentId]))[0]).toEqual(before);
    expect(await count('audit_ledger')).toBe(ledgerBefore);
  });

  it('is guarded in the database: a resolved incident cannot be reopened, content cannot change, nothing is deleted', async () => {
    const opened = await open();
    await expect(sql(env.db, `UPDATE incidents SET title = 'renamed' WHERE id = $1`, [opened.incidentId])).rejects.toThrow(/immutable/);
    await gql(env.app, RESOLVE, { input: { incidentId: opened.incidentId, method: 'AUTO' } }, env.a.write);
    await expect(sql(env.db, `UPDATE incidents SET lifecycle_state = 'ACTIVE', resolved_at = NULL WHERE id = $1`, [opened.incidentId])).rejects.toThrow(/final/);
    await expect(sql(env.db, `DELETE FROM incidents WHERE id = $1`, [opened.incidentId])).rejects.toThrow(/never deleted/);
    expect(await sql(env.db, `SELECT 1 FROM incidents WHERE id = $1`, [opened.incidentId])).toHaveLength(1);
  });
});

describe('tenancy and errors', () => {
  it("answers NOT_FOUND for an unknown or another tenant's incident, and changes nothing", async () => {
    const theirs = await open({}, env.b.write);
    const ledgerBefore = await count('audit_ledger', env.b.tenantId);
    for (const incidentId of [theirs.incidentId, '00000000-0000-4000-8000-000000000000']) {
      expect(codeOf(await gql(env.app, ACK, { input: { incidentId } }, env.a.write))).toBe('NOT_FOUND');
      expect(codeOf(await gql(env.app, RESOLVE, { input: { incidentId, method: 'AUTO' } }, env.a.write))).toBe('NOT_FOUND');
    }
    expect((await sql(env.db, `SELECT lifecycle_state::text AS s FROM incidents WHERE id = $1`, [theirs.incidentId]))[0]).toEqual({ s: 'ACTIVE' });
    expect(await count('audit_ledger', env.b.tenantId)).toBe(ledgerBefore);
  });

  it("answers null for another tenant's incident, and BAD_USER_INPUT for a malformed id", async () => {
    const theirs = await open({}, env.b.write);
    const read = await gql(env.app, READ, { incidentId: theirs.incidentId }, env.a.read);
    expect(read.errors).toBeUndefined();
    expect(read.data!.incident).toBeNull();
    expect((await gql(env.app, NODE, { id: theirs.id }, env.a.read)).data!.node).toBeNull();
    expect(codeOf(await gql(env.app, READ, { incidentId: 'nope' }, env.a.read))).toBe('BAD_USER_INPUT');
    const ack = await gql(env.app, ACK, { input: { incidentId: 'nope' } }, env.a.write);
    expect(codeOf(ack)).toBe('BAD_USER_INPUT');
    expect(ack.errors![0]!.extensions!.fields).toContain('input.incidentId');
  });

  it('rejects lifecycle mutations with a read-only key with FORBIDDEN', async () => {
    const opened = await open();
    expect(codeOf(await gql(env.app, ACK, { input: { incidentId: opened.incidentId } }, env.a.read))).toBe('FORBIDDEN');
    expect(codeOf(await gql(env.app, RESOLVE, { input: { incidentId: opened.incidentId, method: 'AUTO' } }, env.a.read))).toBe('FORBIDDEN');
    expect((await sql(env.db, `SELECT lifecycle_state::text AS s FROM incidents WHERE id = $1`, [opened.incidentId]))[0]).toEqual({ s: 'ACTIVE' });
  });
});
