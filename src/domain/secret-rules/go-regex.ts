// Converts a Go RE2 regular expression (gitleaks' syntax) to an equivalent JavaScript source.
// Node 20's RegExp has no inline flags, and gitleaks switches case sensitivity mid-pattern
// ("\bLTAI(?i)[a-z0-9]{20}", "(?-i:[Aa]pi|API)"), so case-insensitive parts are rewritten as
// explicit case classes ("k" → "[kK]", "[a-f]" → "[a-fA-F]") and the result needs no flags.
// RE2 has no backreferences or lookaround, so what remains is shared syntax; the few other
// differences are translated: (?P<name>…) → (?<name>…), \z → $, [[:alnum:]] → [a-zA-Z0-9],
// and "." under (?s) → [\s\S].

type Flags = { ci: boolean; dotAll: boolean };

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9', alpha: 'a-zA-Z', digit: '0-9', lower: 'a-z', upper: 'A-Z',
  space: '\\t\\n\\v\\f\\r ', word: '\\w', xdigit: '0-9a-fA-F', punct: '!-\\/:-@\\[-`{-~',
};

const isLetter = (c: string) => /^[A-Za-z]$/.test(c);
const otherCase = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());

export function goRegexToJs(source: string): string {
  let out = '';
  let i = 0;
  // One entry per open group: the flags to restore when it closes.
  const stack: Flags[] = [];
  let flags: Flags = { ci: false, dotAll: false };

  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'z') out += '$';
      else if (next === 'A') out += '^';
      else if (next === 'x' && source[i + 2] === '{') {
        const end = source.indexOf('}', i);
        out += `\\u{${source.slice(i + 3, end)}}`.replace(/\\u\{(.*)\}/, (_m, hex: string) => `\\u${hex.padStart(4, '0')}`);
        i = end + 1;
        continue;
      } else if (next === 'x') {
        out += source.slice(i, i + 4);
        i += 4;
        continue;
      } else out += `\\${next}`;
      i += 2;
      continue;
    }
    if (c === '[') {
      const [cls, end] = readClass(source, i, flags.ci);
      out += cls;
      i = end;
      continue;
    }
    if (c === '(') {
      if (source[i + 1] !== '?') {
        stack.push(flags);
        out += '(';
        i += 1;
        continue;
      }
      if (source.startsWith('(?P<', i)) {
        stack.push(flags);
        out += '(?<';
        i += 4;
        continue;
      }
      const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(source.slice(i));
      if (!m) throw new Error(`unsupported group at ${i} in ${source}`);
      const next = applyFlags(flags, m[1] ?? '', m[2] ?? '');
      if (m[3] === ')') flags = next; // (?i) sets the flags for the rest of the enclosing group
      else {
        stack.push(flags);
        flags = next;
        out += '(?:';
      }
      i += m[0].length;
      continue;
    }
    if (c === ')') {
      flags = stack.pop() ?? flags;
      out += ')';
      i += 1;
      continue;
    }
    if (c === '{') {
      // A repetition copies through; its digits are not letters.
      const m = /^\{\d*(?:,\d*)?\}/.exec(source.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
      out += '\\{';
      i += 1;
      continue;
    }
    if (c === '}') out += '\\}';
    else if (c === '.' && flags.dotAll) out += '[\\s\\S]';
    else if (flags.ci && isLetter(c)) out += `[${c}${otherCase(c)}]`;
    else out += c;
    i += 1;
  }
  return out;
}

function applyFlags(flags: Flags, on: string, off: string): Flags {
  const next = { ...flags };
  for (const f of on) {
    if (f === 'i') next.ci = true;
    else if (f === 's') next.dotAll = true;
    else if (f !== 'm' && f !== 'U') throw new Error(`unsupported flag ${f}`);
  }
  for (const f of off) {
    if (f === 'i') next.ci = false;
    else if (f === 's') next.dotAll = false;
  }
  return next;
}

/** Reads a class starting at `start` ("["); returns its JS form and the index after it. */
function readClass(source: string, start: number, ci: boolean): [string, number] {
  let i = start + 1;
  let head = '[';
  if (source[i] === '^') {
    head += '^';
    i += 1;
  }
  let out = '';
  // In RE2 a "]" right after "[" or "[^" is a literal.
  if (source[i] === ']') {
    out += '\\]';
    i += 1;
  }
  const extra: string[] = [];
  while (i < source.length && source[i] !== ']') {
    const c = source[i]!;
    if (c === '[' && source[i + 1] === ':') {
      const end = source.indexOf(':]', i);
      const name = source.slice(i + 2, end);
      const body = POSIX_CLASSES[name];
      if (!body) throw new Error(`unknown POSIX class ${name}`);
      out += body;
      i = end + 2;
      continue;
    }
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '[') {
      out += '\\[';
      i += 1;
      continue;
    }
    // A range a-z under (?i) also needs A-Z.
    if (source[i + 1] === '-' && source[i + 2] !== undefined && source[i + 2] !== ']') {
      const to = source[i + 2]!;
      out += `${c}-${to}`;
      if (ci && isLetter(c) && isLetter(to) && (c === c.toLowerCase()) === (to === to.toLowerCase())) {
        extra.push(`${otherCase(c)}-${otherCase(to)}`);
      }
      i += 3;
      continue;
    }
    out += c;
    if (ci && isLetter(c)) extra.push(otherCase(c));
    i += 1;
  }
  // The other cases go first: after a trailing "-" they would read as a range.
  return [`${head}${extra.join('')}${out}]`, i + 1];
}
