// The explorer's performance budget, measured in the browser (Performance API) and reported, not
// asserted (no timing assertions): first rows of the demo tenant's trace list, a 1,000-step
// trace's waterfall, a 2,000-step trace kept responsive by windowing, and the JavaScript shipped.
// Figures go to stdout and, with AOS_PERF_OUT=<file>, to a JSON file (BENCHMARKS.md quotes them).
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordTrace, screenshot, startExplorer, type Explorer } from './harness.ts';

let x: Explorer;
const figures: Record<string, number> = {};
beforeAll(async () => {
  x = await startExplorer();
});
afterAll(async () => {
  console.log('explorer performance', JSON.stringify(figures, null, 2));
  if (process.env.AOS_PERF_OUT) writeFileSync(process.env.AOS_PERF_OUT, JSON.stringify(figures, null, 2));
  await x?.close();
});

const mark = (name: string) => `performance.getEntriesByName(${JSON.stringify(name)})[0]?.startTime ?? null`;

it('trace list of the demo tenant: first paint, first rows (cold server, then warm), JavaScript shipped', async () => {
  for (const round of ['Cold', 'Warm']) {
    const { page, context, foreign } = await x.open('/');
    await page.waitForFunction(`${mark('aos:traces-rendered')} !== null`);
    const m = (await page.evaluate(`({
      fcp: ${mark('first-contentful-paint')},
      rows: ${mark('aos:traces-rendered')},
      js: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).reduce((n, r) => n + r.encodedBodySize, 0),
      jsDecoded: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).reduce((n, r) => n + r.decodedBodySize, 0),
      css: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.css')).reduce((n, r) => n + r.encodedBodySize, 0),
    })`)) as Record<string, number>;
    figures[`list${round}FirstContentfulPaintMs`] = Math.round(m.fcp!);
    figures[`list${round}FirstRowsMs`] = Math.round(m.rows!);
    if (round === 'Cold') {
      figures.jsGzipBytes = m.js!;
      figures.jsBytes = m.jsDecoded!;
      figures.cssGzipBytes = m.css!;
      expect(m.js).toBeGreaterThan(0);
      expect(m.js).toBeLessThan(m.jsDecoded!); // served gzipped
    }
    expect(foreign).toEqual([]);
    await context.close();
  }
});

for (const steps of [1000, 2000]) {
  it(`a ${steps}-step trace: waterfall drawn, only a window of rows in the DOM, scrolling and selecting stay quick`, async () => {
    const traceId = await recordTrace(x, { runId: `perf-${steps}`, agentId: 'agent-perf', steps });
    const { page, context, foreign } = await x.open(`/traces/${traceId}`);
    await page.waitForFunction(`${mark('aos:waterfall-rendered')} !== null`, null, { timeout: 60_000 });
    figures[`waterfall${steps}RenderedMs`] = Math.round((await page.evaluate(mark('aos:waterfall-rendered'))) as number);
    figures[`waterfall${steps}StepBytes`] = (await page.evaluate(() =>
      performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/graphql')).reduce((n, r) => n + (r as PerformanceResourceTiming).encodedBodySize, 0))) as number;
    const list = page.getByTestId('waterfall');
    expect(await list.getAttribute('data-rows')).toBe(String(steps));
    // Windowed: a screenful plus a margin in the DOM, not every step.
    const inDom = await page.locator('[data-testid=waterfall] [data-step-index]').count();
    expect(inDom).toBeLessThan(100);
    figures[`waterfall${steps}RowsInDom`] = inDom;
    // Scroll to the end and select the last step; time until the next frame is painted.
    const frame = await page.evaluate(async (last) => {
      const el = document.querySelector('[data-testid=waterfall]') as HTMLElement;
      const nextFrame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const t0 = performance.now();
      el.scrollTop = el.scrollHeight;
      await nextFrame();
      const scrolled = performance.now() - t0;
      const t1 = performance.now();
      (document.querySelector(`[data-step-index="${last}"]`) as HTMLElement).click();
      await nextFrame();
      return { scrolled, selected: performance.now() - t1 };
    }, steps - 1);
    figures[`waterfall${steps}ScrollToEndFrameMs`] = Math.round(frame.scrolled);
    figures[`waterfall${steps}SelectStepFrameMs`] = Math.round(frame.selected);
    expect(await page.getByTestId('step-pane').textContent()).toContain(`#${steps - 1}`);
    if (steps === 1000) await screenshot(page, 'trace-1000-steps');
    expect(foreign).toEqual([]);
    await context.close();
  });
}
