// vitest globalSetup: after the whole suite, every statement the stores sent (./log.ts) must filter
// on tenant_id when it touches a tenant table — what a Citus cluster distributed by tenant needs to
// route it to one shard (docs/citus.md). A statement that is cross-tenant by design says so in a
// comment, `/* cross-tenant: <why> */`; anything else fails the run and is listed.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantFilterProblem } from './tenant-filter.ts';

export default function statementAudit(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'aos-statements-'));
  process.env.AOS_STATEMENT_LOG_DIR = dir;
  return () => {
    const statements = new Set<string>();
    for (const name of readdirSync(dir)) {
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line) statements.add(JSON.parse(line) as string);
    }
    rmSync(dir, { recursive: true, force: true });
    const problems = [...statements].map(tenantFilterProblem).filter((p): p is string => p !== null);
    if (problems.length) {
      const list = `statement audit: ${problems.length} statement(s) touch a tenant table without filtering on tenant_id:\n\n${problems.join('\n\n')}`;
      // vitest reports an error thrown here but keeps its exit code: set it as well.
      process.exitCode = 1;
      throw new Error(list);
    }
    console.log(`statement audit: ${statements.size} distinct statements, each filters on tenant_id or says why not`);
  };
}
