import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, gql, setup, sql, type TestEnv } from '../helpers.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env?.close());

const FIELDS = `id exportId scope format origin runId incidentId requestedBy sourceComponent correlationId status checksum failureReason deliveredAt createdAt`;
const REQUEST = `mutation($input: RequestLogExportInput!) { requestLogExport(input: $input) { ${FIELDS} } }`;
const COMPLETE = `mutation($input: CompleteLogExportInput!) { completeLogExport(input: $input) { ${FIELDS} } }`;
const FAIL = `mutation($input: FailLogExportInput!) { failLogExport(input: $input) { ${FIELDS} } }`;
const READ = `query($exportId: String!) { logExport(exportId: $exportId) { ${FIELDS} incident { incidentId } } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on LogExport { exportId } } }`;
const OPEN_INCIDENT = `mutation($input: OpenIncidentInput!) { openIncident(input: $input) { incidentId } }`;

const CHECKSUM = `sha256:${'ab'.repeat(32)}`;

const exportInput = (over: Record<string, unknown> = {}) => ({ scope: 'AUDIT', format: 'JSON', origin: 'HUMAN', requestedBy: 'auditor-1', ...over });

async function requestExport(over: Record<string, unknown> = {}, key = env.a.write) {
  const res = await gql(env.app, REQUEST, { input: exportInput(over) }, key);
  expect(res.errors).toBeUndefined();
  return res.data!.requestLogExport as Record<string, any>;
}

async function openIncident(key: string) {
  const res = await gql(env.app, OPEN_INCIDENT, { input: { title: 'i', severity: 'LOW', causeType: 'SYSTEM', triggerType: 'manual' } }, key);
  return res.data!.openIncident.incidentId as string;
}

const rowOf = async (id: string) => (await sql(env.db, `SELECT * FROM log_exports WHERE id = $1`, [id]))[0];
const count = async (tenantId = env.a.tenantId) =>
  Number((await sql<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM log_exports WHERE tenant_id = $1`, [tenantId]))[0]!.n);

describe('requestLogExport', () => {
  it('records a PENDING export with its lower-case enum values, correlationId and incident', async () => {
    const incidentId = await openIncident(env.a.write);
    const exp = await requestExport({ scope: 'LLM_RUN', format: 'CSV', origin: 'AGENT', runId: 'run-9', incidentId, correlationId: 'corr-7' });
    expect(exp).toMatchObject({
      scope: 'LLM_RUN', format: 'CSV', origin: 'AGENT', runId: 'run-9', incidentId, correlationId: 'corr-7',
      status: 'PENDING', checksum: null, deliveredAt: null, sourceComponent: 'LogExportService',
    });
    expect(await sql(env.db, `SELECT scope::text, format::text, status::text FROM log_exports WHERE id = $1`, [exp.exportId])).toEqual([
      { scope: 'llm_run', format: 'csv', status: 'pending' },
    ]);
    const read = await gql(env.app, READ, { exportId: exp.exportId }, env.a.read);
    expect(read.data!.logExport).toEqual({ ...exp, incident: { incidentId } });
    expect((await gql(env.app, NODE, { id: exp.id }, env.a.read)).data!.node).toEqual({ exportId: exp.exportId });
  });

  it("answers NOT_FOUND for an unknown or another tenant's incident, and writes nothing", async () => {
    const theirs = await openIncident(env.b.write);
    const before = await count();
    expect(codeOf(await gql(env.app, REQUEST, { input: exportInput({ incidentId: theirs }) }, env.a.write))).toBe('NOT_FOUND');
    expect(codeOf(await gql(env.app, REQUEST, { input: exportInput({ incidentId: '00000000-0000-4000-8000-000000000000' }) }, env.a.write))).toBe('NOT_FOUND');
    expect(await count()).toBe(before);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const before = await count();
    for (const [input, field] of [
      [exportInput({ requestedBy: '' }), 'input.requestedBy'],
      [exportInput({ incidentId: 'not-a-uuid' }), 'input.incidentId'],
      [exportInput({ runId: 'has space' }), 'input.runId'],
    ] as const) {
      const res = await gql(env.app, REQUEST, { input }, env.a.write);
      expect(codeOf(res), field).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!.fields).toContain(field);
    }
    expect(codeOf(await gql(env.app, REQUEST, { input: exportInput({ scope: 'audit' }) }, env.a.write))).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
  });

  it('rejects a request with a read-only key with FORBIDDEN, and writes nothing', async () => {
    const before = await count();
    expect(codeOf(await gql(env.app, REQUEST, { input: exportInput() }, env.a.read))).toBe('FORBIDDEN');
    expect(await count()).toBe(before);
  });
});

describe('export lifecycle (B10: the reference could never leave pending)', () => {
  it('completes a pending export once, with checksum and delivery time; a retry returns it unchanged', async () => {
    const exp = await requestExport();
    const done = await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum: CHECKSUM } }, env.a.write);
    expect(done.errors).toBeUndefined();
    expect(done.data!.completeLogExport).toMatchObject({ status: 'COMPLETED', checksum: CHECKSUM, createdAt: exp.createdAt });
    expect(Date.parse(done.data!.completeLogExport.deliveredAt)).toBeGreaterThanOrEqual(Date.parse(exp.createdAt));

    const retry = await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum: CHECKSUM } }, env.a.write);
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.completeLogExport).toEqual(done.data!.completeLogExport);
  });

  it('answers CONFLICT for a second, different transition, and changes nothing', async () => {
    const exp = await requestExport();
    await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum: CHECKSUM } }, env.a.write);
    const before = await rowOf(exp.exportId);
    expect(codeOf(await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum: 'cd'.repeat(32) } }, env.a.write))).toBe('CONFLICT');
    expect(codeOf(await gql(env.app, FAIL, { input: { exportId: exp.exportId, reason: 'late failure' } }, env.a.write))).toBe('CONFLICT');
    expect(await rowOf(exp.exportId)).toEqual(before);
  });

  it('fails a pending export with a redacted reason; completing it afterwards is a CONFLICT', async () => {
    const exp = await requestExport({ scope: 'COMPLIANCE', format: 'ZIP' });
    const failed = await gql(env.app, FAIL, { input: { exportId: exp.exportId, reason: 'upload refused for erin@example.com' } }, env.a.write);
    expect(failed.errors).toBeUndefined();
    expect(failed.data!.failLogExport).toMatchObject({ status: 'FAILED', checksum: null, deliveredAt: null });
    expect(failed.data!.failLogExport.failureReason).toBe('upload refused for <REDACTED_EMAIL>');
    expect(JSON.stringify(await rowOf(exp.exportId))).not.toContain('erin@example.com');

    const retry = await gql(env.app, FAIL, { input: { exportId: exp.exportId, reason: 'upload refused for erin@example.com' } }, env.a.write);
    expect(retry.data!.failLogExport).toEqual(failed.data!.failLogExport);
    expect(codeOf(await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum: CHECKSUM } }, env.a.write))).toBe('CONFLICT');
    expect((await rowOf(exp.exportId))!.status).toBe('failed');
  });

  it('is guarded in the database: content never changes, a final export never moves, nothing is deleted', async () => {
    const exp = await requestExport();
    await expect(sql(env.db, `UPDATE log_exports SET scope = 'system' WHERE id = $1`, [exp.exportId])).rejects.toThrow(/only one transition/);
    await expect(
      sql(env.db, `UPDATE log_exports SET status = 'completed', checksum = 'ab', delivered_at = now(), requested_by = 'mallory' WHERE id = $1`, [exp.exportId]),
    ).rejects.toThrow(/only one transition/);
    await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum: CHECKSUM } }, env.a.write);
    await expect(sql(env.db, `UPDATE log_exports SET status = 'pending' WHERE id = $1`, [exp.exportId])).rejects.toThrow(/only one transition/);
    await expect(sql(env.db, `UPDATE log_exports SET checksum = 'ff' WHERE id = $1`, [exp.exportId])).rejects.toThrow(/only one transition/);
    await expect(sql(env.db, `DELETE FROM log_exports WHERE id = $1`, [exp.exportId])).rejects.toThrow(/DELETE rejected/);
    expect(await rowOf(exp.exportId)).toMatchObject({ scope: 'audit', status: 'completed', checksum: CHECKSUM, requested_by: 'auditor-1' });
  });

  it('rejects a malformed checksum or reason with BAD_USER_INPUT, leaving the export pending', async () => {
    const exp = await requestExport();
    for (const checksum of ['XYZ', 'ABCDEF0123456789', `sha256:${'a'.repeat(122)}`, 'md5:abcdef0123']) {
      const res = await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum } }, env.a.write);
      expect(codeOf(res), checksum).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!.fields).toContain('input.checksum');
    }
    const noReason = await gql(env.app, FAIL, { input: { exportId: exp.exportId, reason: '' } }, env.a.write);
    expect(codeOf(noReason)).toBe('BAD_USER_INPUT');
    expect(await rowOf(exp.exportId)).toMatchObject({ status: 'pending', checksum: null, failure_reason: null });
  });
});

describe('tenancy and errors', () => {
  it("answers NOT_FOUND when completing or failing an unknown or another tenant's export, and changes nothing", async () => {
    const theirs = await requestExport({}, env.b.write);
    for (const exportId of [theirs.exportId, '00000000-0000-4000-8000-000000000000']) {
      expect(codeOf(await gql(env.app, COMPLETE, { input: { exportId, checksum: CHECKSUM } }, env.a.write))).toBe('NOT_FOUND');
      expect(codeOf(await gql(env.app, FAIL, { input: { exportId, reason: 'x' } }, env.a.write))).toBe('NOT_FOUND');
    }
    expect((await rowOf(theirs.exportId))!.status).toBe('pending');
  });

  it("answers null for another tenant's export, and BAD_USER_INPUT for a malformed id", async () => {
    const theirs = await requestExport({}, env.b.write);
    const read = await gql(env.app, READ, { exportId: theirs.exportId }, env.a.read);
    expect(read.errors).toBeUndefined();
    expect(read.data!.logExport).toBeNull();
    expect((await gql(env.app, NODE, { id: theirs.id }, env.a.read)).data!.node).toBeNull();
    expect(codeOf(await gql(env.app, READ, { exportId: 'nope' }, env.a.read))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(env.app, COMPLETE, { input: { exportId: 'nope', checksum: CHECKSUM } }, env.a.write))).toBe('BAD_USER_INPUT');
  });

  it('rejects lifecycle mutations with a read-only key with FORBIDDEN', async () => {
    const exp = await requestExport();
    expect(codeOf(await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum: CHECKSUM } }, env.a.read))).toBe('FORBIDDEN');
    expect(codeOf(await gql(env.app, FAIL, { input: { exportId: exp.exportId, reason: 'x' } }, env.a.read))).toBe('FORBIDDEN');
    expect((await rowOf(exp.exportId))!.status).toBe('pending');
  });

  it('answers CONFLICT when another writer finalised the export first', async () => {
    // The store decides on the row it locked, so a transition made elsewhere is seen, not overwritten.
    const exp = await requestExport();
    await sql(env.db, `UPDATE log_exports SET status = 'failed', failure_reason = 'other writer' WHERE id = $1`, [exp.exportId]);
    expect(codeOf(await gql(env.app, COMPLETE, { input: { exportId: exp.exportId, checksum: CHECKSUM } }, env.a.write))).toBe('CONFLICT');
  });
});
