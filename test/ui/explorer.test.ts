// The explorer in a real browser (system Chromium, playwright-core): traces recorded through the
// API must show up, filter, draw and verify through the page; no request may leave the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTrace, screenshot, startExplorer, type Explorer } from './harness.ts';

let x: Explorer;
beforeAll(async () => {
  x = await startExplorer();
});
afterAll(() => x?.close());

describe('key', () => {
  it('takes the key from the fragment into sessionStorage, drops it from the address bar, and shows the tenant', async () => {
    const { page, context, foreign } = await x.open('/');
    await page.getByTestId('scopes').waitFor();
    expect(page.url()).toBe(`${x.origin}/`);
    expect(await page.evaluate(() => sessionStorage.getItem('aos-logs.apiKey'))).toBe(x.demoKey);
    expect(await page.textContent('.who')).toContain('Demo tenant');
    await page.goto(`${x.origin}/key`);
    await page.getByTestId('key-ok').waitFor();
    await screenshot(page, 'key');
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('shows a bad key’s error code and message', async () => {
    const { page, context, foreign } = await x.open('/', 'aos_nope_nope');
    const error = page.locator('.error').first();
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('UNAUTHENTICATED');
    expect(foreign).toEqual([]);
    await context.close();
  });
});

describe('traces', () => {
  it('lists recorded traces, and the filters narrow them and live in the URL', async () => {
    const ok = await recordTrace(x, { runId: 'ui-list-ok', agentId: 'agent-ui-list', steps: 3 });
    const bad = await recordTrace(x, { runId: 'ui-list-bad', agentId: 'agent-ui-list', steps: 4, fail: true });
    const { page, context, foreign } = await x.open('/');
    await page.locator(`[data-trace-id="${ok}"]`).waitFor();
    await page.locator(`[data-trace-id="${bad}"]`).waitFor();
    await screenshot(page, 'traces');
    const row = page.locator(`[data-trace-id="${bad}"]`);
    expect(await row.textContent()).toContain('FAILED');

    await page.fill('input[name=agent]', 'agent-ui-list');
    await page.press('input[name=agent]', 'Enter');
    await page.selectOption('select[name=status]', 'FAILED');
    await page.waitForURL(/status=FAILED/);
    expect(page.url()).toContain('agent=agent-ui-list');
    await expect.poll(() => page.locator('[data-trace-id]').count()).toBe(1);
    expect(await page.locator(`[data-trace-id="${bad}"]`).count()).toBe(1);

    // The URL alone reproduces the view.
    const { page: again, context: second } = await x.open(`/?agent=agent-ui-list&status=COMPLETED`);
    await again.locator(`[data-trace-id="${ok}"]`).waitFor();
    await expect.poll(() => again.locator('[data-trace-id]').count()).toBe(1);
    expect(foreign).toEqual([]);
    await second.close();
    await context.close();
  });
});

describe('trace', () => {
  it('draws every step on one time scale, shows the chosen step (redactions marked) and verifies the root hash', async () => {
    const traceId = await recordTrace(x, { runId: 'ui-trace', agentId: 'agent-ui-trace', steps: 6, fail: true });
    const { page, context, foreign } = await x.open(`/traces/${traceId}`);
    const rows = page.locator('[data-testid=waterfall] [data-step-index]');
    await expect.poll(() => rows.count()).toBe(6);
    expect(await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-step-index'))))).toEqual([0, 1, 2, 3, 4, 5]);
    // Steps 50 ms apart, 40 ms long: each bar starts right of the one before.
    const lefts = await page.locator('.wf-bar').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    for (let i = 1; i < lefts.length; i++) expect(lefts[i]!).toBeGreaterThan(lefts[i - 1]!);

    await page.locator('[data-step-index="5"]').click();
    const pane = page.getByTestId('step-pane');
    await pane.getByText('#5 summarise').waitFor();
    expect(await pane.textContent()).toContain('timeout');
    expect(await pane.locator('mark.redacted').count()).toBeGreaterThan(0);
    expect(await pane.textContent()).not.toContain('sk-live-secret');

    await page.getByTestId('verify-trace').click();
    expect(await page.getByTestId('verify-result').textContent()).toContain('✓ valid');
    await screenshot(page, 'trace');
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('tails a RUNNING trace: a step recorded after the page opened appears', async () => {
    const started = await x.api<any>(`mutation { startTrace(input: { runId: "ui-live", agentId: "agent-ui-live" }) { trace { traceId } } }`);
    const traceId: string = started.startTrace.trace.traceId;
    const step = (i: number) =>
      x.api(`mutation($input: RecordTraceStepsInput!) { recordTraceSteps(input: $input) { createdCount } }`, {
        input: { steps: [{ traceId, stepIndex: i, skillName: `live-${i}`, status: 'SUCCESS', durationMs: 5 }] },
      });
    await step(0);
    const { page, context, foreign } = await x.open(`/traces/${traceId}`);
    await page.locator('[data-step-index="0"]').waitFor();
    await page.getByTestId('live-tail').waitFor();
    await step(1);
    await page.locator('[data-step-index="1"]').waitFor();
    expect(await page.locator('[data-step-index="1"]').textContent()).toContain('live-1');
    await x.api(`mutation { completeTrace(input: { traceId: "${traceId}", status: COMPLETED }) { traceId } }`);
    await page.locator('.trace-header .badge-completed').waitFor();
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('adds a trace started after the list opened when live is on', async () => {
    const { page, context, foreign } = await x.open('/?live=1&agent=agent-ui-live-list');
    await page.locator('[data-live=connected]').waitFor();
    expect(await page.locator('[data-trace-id]').count()).toBe(0);
    const res = await x.api<any>(`mutation { startTrace(input: { runId: "ui-live-list", agentId: "agent-ui-live-list" }) { trace { traceId } } }`);
    const traceId: string = res.startTrace.trace.traceId;
    await page.locator(`[data-trace-id="${traceId}"].fresh`).waitFor();
    expect(await page.locator(`[data-trace-id="${traceId}"]`).textContent()).toContain('RUNNING');
    expect(foreign).toEqual([]);
    await context.close();
  });
});
