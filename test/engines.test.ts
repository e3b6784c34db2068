// README.md's "Node versions" paragraph names every package of the lockfile that declares a Node
// range without 20.19 (each one is an EBADENGINE warning of `npm ci` on Node 20), and says why each
// is harmless: development only, never loaded by the server, or feature-detecting on Node 20. This
// holds it to the lockfile: a dependency that adds such a package fails here until the README says so.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const NODE_20 = '20.19.0'; // the lowest Node the `engines` field of package.json admits
/** Runtime packages (not dev-only) that declare a Node above 20.19, and why they are fine on 20 (README says it too). */
const RUNTIME_ON_20: Record<string, string> = {
  '@prisma/streams-local': 'used only by `prisma dev`, never loaded by the server',
  // Through graphql-yoga → @graphql-tools/executor 2: both feature-detect what Node 22 adds.
  '@whatwg-node/promise-helpers': 'Promise.withResolvers only when present',
  '@whatwg-node/disposablestack': 'Symbol.asyncDispose only when present',
};

type Version = [number, number, number];
const parse = (text: string): Version => text.split('.').map(Number).concat(0, 0).slice(0, 3) as Version;
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies a node-semver range, for the forms package.json engines use. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) => {
    const comparators = alternative.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comparators.every((comparator) => {
      const m = /^(>=|<=|>|<|=|\^|~)?v?(\*|\d+)(?:\.(\*|x|\d+))?(?:\.(\*|x|\d+))?$/.exec(comparator);
      if (!m) throw new Error(`cannot read the engines range "${range}"`);
      const [, op = '', ...parts] = m;
      if (parts[0] === '*') return true;
      const given = parts.filter((p) => p !== undefined && p !== '*' && p !== 'x').map(Number);
      const low = parse(given.join('.'));
      // The first version past a partial or caret/tilde range ("20" → 21.0.0, "^20.19" → 21.0.0, "~1.2" → 1.3.0).
      const next = (places: number): Version => {
        const bumped = [...low] as Version;
        bumped[places - 1]! += 1;
        for (let i = places; i < 3; i++) bumped[i] = 0;
        return bumped;
      };
      switch (op) {
        case '>=': return compare(v, low) >= 0;
        case '>': return compare(v, low) > 0;
        case '<=': return compare(v, low) <= 0;
        case '<': return compare(v, low) < 0;
        case '^': return compare(v, low) >= 0 && compare(v, next(low[0] > 0 || given.length === 1 ? 1 : low[1] > 0 || given.length === 2 ? 2 : 3)) < 0;
        case '~': return compare(v, low) >= 0 && compare(v, next(given.length === 1 ? 1 : 2)) < 0;
        default: return given.length === 3 ? compare(v, low) === 0 : compare(v, low) >= 0 && compare(v, next(given.length)) < 0;
      }
    });
  });
}

describe('Node versions in README.md', () => {
  it('reads ranges as npm does', () => {
    expect(satisfies('20.19.0', '^20.19 || ^22.12 || >=24')).toBe(true);
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('20.19.0', '^16 || ^18 || >=20')).toBe(true);
    expect(satisfies('20.19.0', '6.* || 8.* || >= 10.*')).toBe(true);
    expect(satisfies('20.19.0', '>=22.15.0')).toBe(false);
    expect(satisfies('20.19.0', '^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(true);
    expect(satisfies('20.19.0', '^20.20')).toBe(false);
    expect(satisfies('20.19.0', '~20.18')).toBe(false);
  });

  it('names every package whose engines exclude Node 20; the runtime ones are explained', async () => {
    const lock = JSON.parse(await readFile(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }>;
    };
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const paragraph = readme.slice(readme.indexOf('**Node versions.**'), readme.indexOf('\n\n', readme.indexOf('**Node versions.**')));
    expect(paragraph.length).toBeGreaterThan(20);
    // `name`, or a pattern such as `@whatwg-node/*` or `graphile-*`, in backticks.
    const named = [...paragraph.matchAll(/`([^`\s]+)`/g)].map((m) => new RegExp(`^${m[1]!.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
    const excluded = new Map<string, boolean>();
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!path || !range || satisfies(NODE_20, range)) continue;
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      excluded.set(name, (excluded.get(name) ?? true) && entry.dev === true);
    }
    expect(excluded.size).toBeGreaterThan(0);
    const unnamed = [...excluded.keys()].filter((name) => !named.some((pattern) => pattern.test(name)));
    expect(unnamed, 'packages README.md does not name in "Node versions"').toEqual([]);
    const loaded = [...excluded].filter(([name, devOnly]) => !devOnly && !(name in RUNTIME_ON_20)).map(([name]) => name);
    expect(loaded, 'runtime packages that declare more than Node 20.19, not explained in README.md').toEqual([]);
  });
});
