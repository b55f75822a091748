/**
 * What any text or JSON reaching the app must satisfy, whatever the route: checked at the edge
 * (the JSON body parser and the validation pipe) so no service, SQL statement or log line sees it.
 */

/** Objects and arrays nested deeper than this are refused; no body of the API needs more than 6. */
export const MAX_JSON_DEPTH = 32;

/**
 * Control characters other than tab, line feed and carriage return. PostgreSQL refuses NUL in
 * text (a 500 if it got there); the others corrupt logs, CSV exports and terminals.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string may not be stored, or null. Lone surrogates cannot be encoded as UTF-8 (PostgreSQL's encoding). */
export function textProblem(text: string): string | null {
  if (CONTROL.test(text)) return 'contains a control character';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate';
  return null;
}

/**
 * Whether JSON text nests deeper than `max`, found by one scan of the text before it is parsed
 * (a parser would build the whole tree, and walking it recursively can exhaust the stack).
 */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export interface InputProblem {
  field: string;
  problem: string;
}

/** The first field of a parsed value (keys and strings, at any depth) that breaks the rules above, or null. Iterative: no stack to exhaust. */
export function findInputProblem(value: unknown, max = MAX_JSON_DEPTH): InputProblem | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { field: path || 'value', problem };
    } else if (v !== null && typeof v === 'object') {
      if (depth >= max) return { field: path || 'value', problem: `nests deeper than ${max} levels` };
      for (const [k, child] of Object.entries(v)) {
        const field = path ? `${path}.${k}` : k;
        const keyProblem = textProblem(k);
        if (keyProblem) return { field: path || 'value', problem: `has a field name that ${keyProblem}` };
        stack.push({ v: child, path: field, depth: depth + 1 });
      }
    }
  }
  return null;
}
