// `npm run faults [-- kill disconnect pg-restart]`: runs the named fault scripts (default: kill and
// disconnect; pg-restart stops the shared local PostgreSQL, so it runs only when asked for).
import { disconnectFault } from './disconnect.ts';
import { killFault } from './kill.ts';
import { pgRestartFault } from './pg-restart.ts';

const FAULTS: Record<string, () => Promise<boolean>> = { kill: killFault, disconnect: disconnectFault, 'pg-restart': pgRestartFault };
const names = process.argv.slice(2).filter((a) => a !== '--');
const chosen = names.length ? names : ['kill', 'disconnect'];
let failed = false;
for (const name of chosen) {
  const run = FAULTS[name];
  if (!run) {
    console.error(`unknown fault "${name}"; choose from ${Object.keys(FAULTS).join(', ')}`);
    process.exit(2);
  }
  if (!(await run())) {
    console.error(`faults(${name}): FAILED`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
