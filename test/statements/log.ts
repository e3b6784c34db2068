// Every distinct SQL statement the stores send during the test run, written per test process to
// the folder the statement audit (./audit.ts, a vitest globalSetup) names in AOS_STATEMENT_LOG_DIR.
// Statements a test sends itself (the `sql` helper: fixtures, tampering, assertions) are left out.
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.AOS_STATEMENT_LOG_DIR;
const file = dir ? join(dir, `${process.pid}.jsonl`) : undefined;
const seen = new Set<string>();
const testOwn = new AsyncLocalStorage<true>();

/** An `onQuery` hook: records the statement unless the test itself sent it. */
export function recordStatement(text: string): void {
  if (!file || testOwn.getStore() || seen.has(text)) return;
  seen.add(text);
  appendFileSync(file, `${JSON.stringify(text)}\n`);
}

/** Runs `work` with its statements left out of the log (the test's own SQL). */
export const asTestStatement = <T>(work: () => T): T => testOwn.run(true, work);
