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

  it('takes the key from a link pasted into a tab that already shows the explorer (only the fragment changes)', async () => {
    const { page, context, foreign } = await x.open('/', null);
    await page.locator('input[name=apiKey]').waitFor();
    // The printed link, pasted into the same tab: a same-document navigation, no page load.
    await page.goto(`${x.origin}/#key=${x.demoKey}`);
    await page.getByTestId('scopes').waitFor({ timeout: 5000 });
    expect(page.url()).toBe(`${x.origin}/`);
    expect(await page.evaluate(() => sessionStorage.getItem('aos-logs.apiKey'))).toBe(x.demoKey);
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
    // The start time is shown whole (to the millisecond), not cut by its column.
    const started = row.locator('span').first();
    expect(await started.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3})?$/);
    expect(await started.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

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

describe('traces, paged', () => {
  it('loads the next page by keyset with "Load more", with no row twice', async () => {
    for (let i = 0; i < 105; i++) {
      await x.api(`mutation($input: StartTraceInput!) { startTrace(input: $input) { created } }`, { input: { runId: `ui-page-${i}`, agentId: 'agent-ui-page' } });
    }
    const { page, context, foreign } = await x.open('/?agent=agent-ui-page');
    await page.getByRole('button', { name: 'Load more' }).waitFor();
    expect(await page.getByTestId('trace-rows').getAttribute('data-rows')).toBe('100');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => page.getByTestId('trace-rows').getAttribute('data-rows')).toBe('105');
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    // Every run once: scroll through the windowed list and collect the rows it renders.
    const seen = new Set<string>();
    for (let top = 0; top <= 105 * 30; top += 300) {
      await page.getByTestId('trace-rows').evaluate((el, y) => (el.scrollTop = y), top);
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      for (const id of await page.locator('[data-trace-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id')!))) seen.add(id);
    }
    expect(seen.size).toBe(105);
    expect(foreign).toEqual([]);
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
    await pane.locator('mark.redacted').first().waitFor(); // params load when the step is opened
    expect(await pane.textContent()).toContain('model timed out');
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

describe('demo trace', () => {
  it('shows the demo’s failed refund: the failing step in the waterfall, a redacted card, its incident', async () => {
    const { page, context, foreign } = await x.open('/traces/trace_run-0003');
    const rows = page.locator('[data-testid=waterfall] [data-step-index]');
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    await page.locator('.trace-header a[href^="/incidents/"]').waitFor();
    const failing = page.locator('[data-testid=waterfall] .wf-row:has(.wf-bar.level-error)');
    expect(await failing.count()).toBe(1);
    await failing.click();
    const pane = page.getByTestId('step-pane');
    await pane.getByText('limit_exceeded').first().waitFor();
    // An issue_refund step: the card number was redacted on the way in, and the pane says so.
    await page.locator('[data-step-index="13"]').click();
    await pane.getByText('#13 issue_refund').waitFor();
    await pane.locator('mark.redacted').first().waitFor();
    expect(await pane.textContent()).not.toContain('4111 1111 1111 1111');
    await screenshot(page, 'trace-demo');
    expect(foreign).toEqual([]);
    await context.close();
  });
});

describe('OpenTelemetry trace', () => {
  it('draws spans as a tree by parent span', async () => {
    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const t = 1_795_000_000_000_000_000n;
    const span = (spanId: string, parentSpanId: string | null, name: string, startMs: number, endMs: number) => ({
      traceId, spanId, ...(parentSpanId ? { parentSpanId } : {}), name, kind: 1,
      startTimeUnixNano: String(t + BigInt(startMs) * 1_000_000n), endTimeUnixNano: String(t + BigInt(endMs) * 1_000_000n),
    });
    const res = await x.env.app.fetch('http://test/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${x.demoKey}` },
      body: JSON.stringify({
        resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'otel-agent' } }] }, scopeSpans: [{ scope: { name: 'ui-test' }, spans: [
          // Sent out of order: the tree comes from parent span ids and start times, not arrival.
          span('0000000000000003', '0000000000000002', 'tool call', 200, 300),
          span('0000000000000001', null, 'invoke_agent', 0, 1000),
          span('0000000000000004', '0000000000000001', 'summarise', 600, 900),
          span('0000000000000002', '0000000000000001', 'chat', 100, 500),
        ] }] }],
      }),
    });
    expect(res.status).toBe(200);
    const { page, context, foreign } = await x.open(`/traces/${traceId}`);
    const labels = page.locator('[data-testid=waterfall] .wf-label');
    await expect.poll(() => labels.count()).toBe(4);
    const tree = await labels.evaluateAll((els) => els.map((e) => [e.textContent!.replace(/^#\d+ /, ''), parseInt((e as HTMLElement).style.paddingLeft, 10)]));
    expect(tree).toEqual([['invoke_agent', 6], ['chat', 18], ['tool call', 30], ['summarise', 18]]);
    await screenshot(page, 'trace-otel');
    expect(foreign).toEqual([]);
    await context.close();
  });
});

describe('incidents', () => {
  it('acknowledges, downloads an evidence bundle and shows its verification', async () => {
    const traceId = await recordTrace(x, { runId: 'ui-incident', agentId: 'agent-ui-incident', steps: 3, fail: true });
    const opened = await x.api<any>(
      `mutation($input: OpenIncidentInput!) { openIncident(input: $input) { incidentId } }`,
      { input: { title: 'Refund agent timed out', causeType: 'SYSTEM', severity: 'HIGH', triggerType: 'error', sourceRunId: 'ui-incident', traceId } },
    );
    const incidentId: string = opened.openIncident.incidentId;
    const { page, context, foreign } = await x.open('/incidents');
    await page.getByText('Refund agent timed out').click();
    await page.waitForURL(`**/incidents/${incidentId}`);
    await page.getByText(traceId).waitFor();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.badge-acked').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-bundle=EVIDENCE]').click()]);
    const bundle = JSON.parse(await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8'));
    expect(bundle.content_hash).toMatch(/^[0-9a-f]{64}$/);
    const result = page.getByTestId('bundle-result');
    await result.getByText('✓ verified').waitFor();
    expect(await result.textContent()).toContain(bundle.content_hash);
    // The downloaded file verifies on its own too, as an auditor would check it.
    const check = await x.api<any>(`query($bundle: JSON!) { verifyExportBundle(bundle: $bundle) { valid } }`, { bundle });
    expect(check.verifyExportBundle.valid).toBe(true);
    await screenshot(page, 'incident');
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('shows a read-only key no write actions', async () => {
    const opened = await x.api<any>(
      `mutation { openIncident(input: { title: "Read-only view", causeType: HUMAN, severity: LOW, triggerType: "manual" }) { incidentId } }`,
      {},
      x.env.a.write,
    );
    const { page, context, foreign } = await x.open(`/incidents/${opened.openIncident.incidentId}`, x.env.a.read);
    await page.getByText('Read-only view').waitFor();
    await page.getByText('Read-only key').waitFor();
    expect(await page.getByRole('button', { name: /Acknowledge|Resolve|bundle/ }).count()).toBe(0);
    expect(foreign).toEqual([]);
    await context.close();
  });
});

describe('audit ledger', () => {
  it('lists entries and verifies the chain', async () => {
    const { page, context, foreign } = await x.open('/ledger');
    await expect.poll(() => page.locator('[data-testid=ledger-rows] tbody tr').count()).toBeGreaterThan(2);
    await page.getByTestId('verify-ledger').click();
    expect(await page.getByTestId('ledger-result').textContent()).toMatch(/✓ chain intact: \d+ entries/);
    await screenshot(page, 'ledger');
    expect(foreign).toEqual([]);
    await context.close();
  });
});

describe('metrics', () => {
  it('charts the demo tenant’s traces over the last 24 h', async () => {
    const { page, context, foreign } = await x.open('/dashboard?split=agent');
    const traces = page.locator('[data-testid="chart-Traces"]');
    await traces.locator('rect').first().waitFor({ state: 'attached' });
    expect(await traces.locator('.legend').textContent()).toContain('support-bot');
    await screenshot(page, 'metrics');
    expect(foreign).toEqual([]);
    await context.close();
  });
});

describe('GraphiQL', () => {
  it('opens from the explorer’s GraphiQL link (a new tab) with the explorer’s key', async () => {
    const { page, context, foreign } = await x.open('/');
    await page.getByTestId('scopes').waitFor();
    // A new tab opened with noopener (target=_blank implies it) starts with an empty sessionStorage:
    // the key has to travel in the link's fragment, which the GraphiQL page takes and drops.
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'GraphiQL' }).click()]);
    await tab.waitForLoadState('load');
    await expect.poll(() => tab.evaluate(() => sessionStorage.getItem('aos-logs.apiKey')), { timeout: 30_000 }).toBe(x.demoKey);
    expect(tab.url()).toBe(`${x.origin}/graphql`);
    expect(foreign).toEqual([]);
    await context.close();
  }, 60_000);

  it('loads every asset from the server, carries no key in its HTML, and runs a query with the explorer’s key', async () => {
    const html = await (await x.env.app.fetch('http://test/graphql', { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('YogaGraphiQL');
    expect(html).not.toMatch(/aos_[A-Za-z0-9]+_/);
    expect(html).not.toMatch(/(?:src|href)="https?:/);

    const { page, context, foreign } = await x.open('/graphql');
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor({ timeout: 60_000 }); // a 5 MB bundle: slow to start on a busy machine
    // Replace the example operations with one query; Monaco may still be starting, so until the
    // editor holds exactly it, select all and insert again (insertText: typing would auto-close braces).
    await expect
      .poll(async () => {
        await editor.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.insertText('query Who { viewer { tenant { id name } } }');
        return (await page.locator('.graphiql-query-editor .view-lines').textContent())?.replace(/\s+/g, ' ').trim();
      }, { timeout: 30_000 })
      .toBe('query Who { viewer { tenant { id name } } }');
    // GraphiQL takes the editor's text into its state a moment after the editor shows it; a click
    // before that runs nothing at all (no request). Click until the answer is there.
    await expect
      .poll(async () => {
        await page.locator('.graphiql-execute-button').click();
        return page.locator('.graphiql-response').getByText('Demo tenant').isVisible();
      }, { timeout: 60_000, interval: 1_000 })
      .toBe(true);
    await screenshot(page, 'graphiql');
    expect(foreign).toEqual([]);
    await context.close();
  }, 150_000);
});
