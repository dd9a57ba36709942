/**
 * Input the database cannot hold or a reader cannot survive, found before anything is written:
 * NUL and other control characters (PostgreSQL text and jsonb refuse NUL; the others break
 * exports and walls), lone UTF-16 surrogates (jsonb refuses them; UTF-8 cannot encode them), and
 * JSON nested or sprawling past fixed limits. `findPoison` names the first offending path, so the
 * answer is a 400 that says where, never a 500 from deep inside a transaction.
 */

export interface PoisonLimits {
  /** Deepest nesting of objects and arrays (the top level is depth 1). */
  maxDepth: number;
  /** Most values (objects, arrays, strings, numbers, ...) in all. */
  maxValues: number;
}

/** Request bodies: far beyond any real payload, far below what hurts a parser or jsonb. */
export const BODY_LIMITS: PoisonLimits = { maxDepth: 16, maxValues: 20_000 };

export interface Poison {
  /** Dotted path to the offending value or key, e.g. `extras.a.b` or `cases.3.title`. */
  path: string;
  message: string;
}

// Tab, line feed and carriage return are text; every other C0 control and DEL is not.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or null when it can. */
export function textProblem(text: string): string | null {
  const control = CONTROL.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0);
    return `${code === 0 ? 'NUL' : 'a control character'} (U+${code.toString(16).toUpperCase().padStart(4, '0')}) at character ${control.index + 1}: text cannot hold it`;
  }
  if (LONE_SURROGATE.test(text)) return 'a lone UTF-16 surrogate: the text is not valid Unicode';
  return null;
}

/**
 * The first thing in `value` (a parsed JSON value, a form, a query) that cannot be stored, with
 * its path; null when all of it can. Walks without recursion, so no input can exhaust the stack.
 */
export function findPoison(value: unknown, limits: PoisonLimits = BODY_LIMITS, prefix = ''): Poison | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: prefix, depth: 1 }];
  let seen = 0;
  const at = (path: string) => path || '(body)';
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (++seen > limits.maxValues) return { path: at(prefix), message: `more than ${limits.maxValues} values in all` };
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { path: at(path), message: problem };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth > limits.maxDepth) return { path: at(path), message: `nested deeper than ${limits.maxDepth} levels` };
    const entries: [string, unknown][] = Array.isArray(current) ? current.map((v, i) => [String(i), v]) : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const childPath = path ? `${path}.${key}` : key;
      if (!Array.isArray(current)) {
        const problem = textProblem(key);
        if (problem) return { path: at(path), message: `a key holds ${problem}` };
      }
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}
