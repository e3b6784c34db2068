// Realistic sample data for the demo tenant: a day of agent runs with traces of tens of steps,
// failures and retries, LLM run records, system events, ledger entries, a policy activation, an
// incident linked to its failed trace, and a completed log export. Deterministic (seeded), with
// times relative to now so dashboards show recent activity. Written through the stores, so it
// obeys every rule real writes do (redaction included: the seeded secrets come back redacted).
import type { StepStatus } from '../domain/trace.ts';
import type { Stores } from '../stores/index.ts';
import type { StepInput } from '../stores/traces.ts';

/** A small seeded generator (mulberry32), so every demo database holds the same data. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = {
  'support-bot': ['classify_ticket', 'search_kb', 'fetch_order', 'draft_reply', 'check_policy', 'send_reply'],
  'billing-agent': ['load_invoice', 'compute_refund', 'check_limit', 'issue_refund', 'notify_customer'],
  'research-agent': ['plan_queries', 'web_search', 'read_page', 'extract_facts', 'summarise', 'cite_sources'],
} as const;
type Agent = keyof typeof AGENTS;

type RunPlan = { runId: string; agent: Agent; steps: number; hoursAgo: number; outcome: 'completed' | 'failed' | 'aborted'; goal: string };

const RUNS: RunPlan[] = [
  { runId: 'run-0001', agent: 'support-bot', steps: 24, hoursAgo: 20, outcome: 'completed', goal: 'Answer ticket #4821 about a late delivery' },
  { runId: 'run-0002', agent: 'research-agent', steps: 38, hoursAgo: 16, outcome: 'completed', goal: 'Summarise EU AI Act obligations for agents' },
  { runId: 'run-0003', agent: 'billing-agent', steps: 17, hoursAgo: 9, outcome: 'failed', goal: 'Refund order 77-1203 (duplicate charge)' },
  { runId: 'run-0004', agent: 'support-bot', steps: 31, hoursAgo: 6, outcome: 'completed', goal: 'Answer ticket #4907 about a password reset' },
  { runId: 'run-0005', agent: 'research-agent', steps: 12, hoursAgo: 3, outcome: 'aborted', goal: 'Compare vector databases for 10M documents' },
  { runId: 'run-0006', agent: 'billing-agent', steps: 22, hoursAgo: 1, outcome: 'completed', goal: 'Refund order 77-1288 (damaged item)' },
];

const MODELS = [
  { provider: 'anthropic', model: 'claude-sonnet-4' },
  { provider: 'openai', model: 'gpt-4.1-mini' },
];

function stepsFor(plan: RunPlan, rand: () => number, startedAt: Date): { steps: Omit<StepInput, 'traceId'>[]; endedAt: Date } {
  const skills = AGENTS[plan.agent];
  const steps: Omit<StepInput, 'traceId'>[] = [];
  let clock = startedAt.getTime();
  for (let i = 0; i < plan.steps; i++) {
    const last = i === plan.steps - 1;
    const failing = plan.outcome === 'failed' && last;
    const status: StepStatus = failing ? 'failure' : rand() < 0.08 ? 'retry' : rand() < 0.05 ? 'skipped' : 'success';
    const skill = skills[i % skills.length]!;
    const durationMs = Math.round(150 + rand() * (skill.includes('search') || skill.includes('draft') ? 4000 : 900));
    const startedAt = clock + Math.round(rand() * 400); // a gap, then the step runs
    clock = startedAt + durationMs;
    steps.push({
      stepIndex: i,
      skillName: skill,
      status,
      params: {
        attempt: status === 'retry' ? 2 : 1,
        ...(skill === 'fetch_order' ? { order_id: `77-${1100 + i}`, customer_email: 'jane.doe@example.com' } : {}),
        ...(skill === 'web_search' ? { query: `agent regulation ${i}`, api_key: 'sk-demo-0123456789abcdefghijkl' } : {}),
        ...(skill === 'issue_refund' ? { amount_cents: 4599, card: '4111 1111 1111 1111' } : {}),
      },
      outcomeCategory: failing ? 'PERMANENT' : status === 'retry' ? 'TRANSIENT' : undefined,
      outcomeCode: failing ? 'limit_exceeded' : status === 'retry' ? 'rate_limited' : undefined,
      outcomeData: failing ? { error: 'refund exceeds the daily refund limit of 500.00 USD' } : status === 'success' ? { ok: true } : undefined,
      costMicrocents: BigInt(Math.round(rand() * 2_500_000)),
      durationMs,
      retryCount: status === 'retry' ? 1 : 0,
      timestamp: new Date(startedAt), // a step's timestamp is its start
    });
  }
  return { steps, endedAt: new Date(clock + 200) };
}

export async function seedSampleData(stores: Stores, tenantId: string, now = new Date()): Promise<void> {
  const rand = random(20261126);
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000);

  await stores.systemRecords.recordGlobal({
    component: 'api', eventType: 'DEPLOY', severity: 'INFO', summary: 'aos-logs deployed (visible to every tenant)', causedBy: 'AUTOMATION',
    idempotencyKey: 'demo-deploy',
  });

  for (const plan of RUNS) {
    const startedAt = at(plan.hoursAgo);
    const { steps, endedAt } = stepsFor(plan, rand, startedAt);
    const traceId = `trace_${plan.runId}`;
    await stores.traces.store(
      tenantId,
      {
        runId: plan.runId, agentId: plan.agent, goal: plan.goal, startedAt, completedAt: endedAt, status: plan.outcome,
        seed: BigInt(1000 + plan.steps), plan: AGENTS[plan.agent].map((skill) => ({ skill })),
        metadata: plan.outcome === 'aborted' ? { abort_reason: 'user_abort: operator stopped the run' } : { environment: 'demo' },
        steps,
      },
      'demo-seed',
    );
    const model = MODELS[plan.steps % MODELS.length]!;
    await stores.llmRuns.record(tenantId, {
      runId: plan.runId, traceId, ...model, inputTokens: 800 * plan.steps, outputTokens: 120 * plan.steps,
      costMicrocents: steps.reduce((sum, s) => sum + (s.costMicrocents ?? 0n), 0n),
      executionStatus: plan.outcome === 'completed' ? 'SUCCEEDED' : plan.outcome === 'failed' ? 'FAILED' : 'ABORTED',
      startedAt, completedAt: endedAt, source: 'SDK',
    });
    await stores.systemRecords.record(tenantId, {
      component: 'worker', eventType: plan.outcome === 'completed' ? 'HEALTH_CHECK' : 'ERROR', severity: plan.outcome === 'completed' ? 'INFO' : 'WARN',
      summary: `worker finished ${plan.runId} (${plan.outcome})`, correlationId: plan.runId, idempotencyKey: `demo-${plan.runId}`,
    });
  }

  // One agent is still working: a running trace with a few steps so far.
  const live = await stores.traces.start(tenantId, { runId: 'run-0007', agentId: 'support-bot', goal: 'Answer ticket #4950', plan: [{ skill: 'classify_ticket' }, { skill: 'search_kb' }] });
  if (live.created) {
    await stores.traces.recordSteps(tenantId, [
      { traceId: live.trace.traceId, stepIndex: 0, skillName: 'classify_ticket', status: 'success', durationMs: 310, costMicrocents: 120_000n },
      { traceId: live.trace.traceId, stepIndex: 1, skillName: 'search_kb', status: 'retry', outcomeCode: 'rate_limited', retryCount: 1, durationMs: 2100 },
    ]);
  }

  // Governance around the failed refund: a limit breach, an incident, its acknowledgement, a new policy.
  await stores.auditLedger.append(tenantId, {
    eventType: 'LimitCreated', entityType: 'LIMIT', entityId: 'limit-daily-refunds', actorType: 'HUMAN', actorId: 'ops-lead',
    actionReason: 'cap automated refunds per day', afterState: { max_usd: 500 }, idempotencyKey: 'demo-limit-created',
  });
  await stores.auditLedger.append(tenantId, {
    eventType: 'LimitBreached', entityType: 'LIMIT', entityId: 'limit-daily-refunds', actorType: 'AGENT', actorId: 'billing-agent',
    actionReason: 'refund of 612.00 USD requested', afterState: { run_id: 'run-0003', requested_usd: 612 }, correlationId: 'run-0003',
    idempotencyKey: 'demo-limit-breached',
  });
  const incident = await stores.incidents.open(tenantId, {
    title: 'Refund blocked by daily limit', severity: 'high', causeType: 'LLM_RUN', triggerType: 'policy_violation',
    category: 'POLICY_VIOLATION', description: 'billing-agent tried to refund more than the daily limit', errorCode: 'limit_exceeded',
    sourceRunId: 'run-0003', affectedAgentId: 'billing-agent', policyId: 'limit-daily-refunds', policyName: 'Daily refund limit',
    violationType: 'LIMIT_BREACH', inflectionStepIndex: 16, inflectionTimestamp: at(9), traceId: 'trace_run-0003',
  });
  await stores.incidents.acknowledge(tenantId, incident.id, 'ops-lead');
  await stores.policyActivations.record(tenantId, {
    policyId: 'pol-refund-human-approval', sourcePatternId: 'pat-refund-over-limit', sourceRecoveryId: 'rec-require-approval',
    confidence: 0.9, approvalPath: 'human:ops-lead', loopTraceId: 'trace_run-0003', activatedAt: at(8), idempotencyKey: 'demo-activation',
  });
  const exported = await stores.logExports.request(tenantId, {
    scope: 'compliance', format: 'json', origin: 'HUMAN', requestedBy: 'auditor@example.com', runId: 'run-0003', incidentId: incident.id,
  });
  await stores.logExports.complete(tenantId, exported.id, 'sha256:' + '3f'.repeat(32));
}
