// `${NAME}` references in config strings, resolved from the environment AFTER parsing, one string
// value at a time, so a variable's value can never add keys or structure (no YAML/JSON injection).
// Forms: ${NAME}; ${NAME:-default} (default when unset or empty); ${NAME-default} (when unset);
// $${ is a literal "${". Substituted text is not scanned again, so values cannot chain references.
// Messages name the variable and the config path but never a value (CWE-209, CWE-532).
import { BulwarkError } from '../errors.js';
import { formatPath, isRecord, toPointer } from './path.js';
import type { ConfigPath } from './path.js';
import type { ConfigSource } from './source.js';

export interface SubstitutionResult {
  readonly value: unknown;
  /** JSON pointers of strings that took (part of) their value from the environment. */
  readonly fromEnv: ReadonlySet<string>;
  /** Pointers of strings that were exactly one reference: these may become numbers or booleans. */
  readonly wholeRefs: ReadonlySet<string>;
  /** Pointers left unresolved because `lenient` allowed it (sections not being loaded). */
  readonly unresolved: ReadonlySet<string>;
}

export interface SubstitutionOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly source: ConfigSource;
  /** Paths where an unset variable is tolerated and the string kept as written. */
  readonly lenient?: (path: ConfigPath) => boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function substituteEnv(value: unknown, options: SubstitutionOptions): SubstitutionResult {
  const fromEnv = new Set<string>();
  const wholeRefs = new Set<string>();
  const unresolved = new Set<string>();
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('${')) return node;
      const pointer = toPointer(path);
      try {
        const result = expand(node, options.env);
        if (result.referenced) fromEnv.add(pointer);
        if (result.whole) wholeRefs.add(pointer);
        return result.text;
      } catch (error) {
        if (!(error instanceof ReferenceProblem)) throw error;
        if (error.kind === 'unset' && options.lenient?.(path)) {
          unresolved.add(pointer);
          return node;
        }
        throw toConfigError(error, path, options.source);
      }
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (isRecord(node)) {
      // fromEntries defines own properties, so a "__proto__" key stays data, never a prototype.
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  return { value: walk(value, []), fromEnv, wholeRefs, unresolved };
}

class ReferenceProblem extends Error {
  constructor(
    readonly kind: 'unset' | 'malformed',
    readonly detail: string,
  ) {
    super(detail);
  }
}

interface Expansion {
  readonly text: string;
  readonly referenced: boolean;
  readonly whole: boolean;
}

function expand(text: string, env: NodeJS.ProcessEnv): Expansion {
  let out = '';
  let referenced = false;
  let references = 0;
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    if (end < 0) throw new ReferenceProblem('malformed', 'has "${" without a closing "}"');
    out += resolveReference(text.slice(i + 2, end), env);
    referenced = true;
    references += 1;
    i = end + 1;
  }
  const whole = references === 1 && /^\$\{[^}]*\}$/.test(text);
  return { text: out, referenced, whole };
}

function resolveReference(body: string, env: NodeJS.ProcessEnv): string {
  const match = /^([^:-]*)(:-|-)?([\s\S]*)$/.exec(body);
  const name = match?.[1] ?? '';
  const operator = match?.[2];
  const fallback = match?.[3] ?? '';
  if (!NAME.test(name) || (operator === undefined && fallback !== '')) {
    throw new ReferenceProblem('malformed', 'has a reference whose variable name is not valid');
  }
  if (fallback.includes('${')) {
    throw new ReferenceProblem(
      'malformed',
      'nests a reference inside a default, which is not supported',
    );
  }
  const current = env[name];
  if (operator === ':-') return current === undefined || current === '' ? fallback : current;
  if (operator === '-') return current ?? fallback;
  if (current === undefined) throw new ReferenceProblem('unset', name);
  return current;
}

function toConfigError(
  problem: ReferenceProblem,
  path: ConfigPath,
  source: ConfigSource,
): BulwarkError {
  const location = source.locate(path);
  if (problem.kind === 'unset') {
    return new BulwarkError(
      'BULWARK_ERR_CONFIG_ENV',
      `${formatPath(path)}: environment variable ${problem.detail} is not set`,
      {
        location,
        hint: `set ${problem.detail}, or give a default: \${${problem.detail}:-default}`,
      },
    );
  }
  return new BulwarkError('BULWARK_ERR_CONFIG_INVALID', `${formatPath(path)}: ${problem.detail}`, {
    location,
    hint: 'write ${NAME} or ${NAME:-default}; write $${ for a literal "${"',
  });
}
