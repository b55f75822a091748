/**
 * A fixed SQL text with named parameters: `build` writes the text with `p('name')` wherever a
 * value goes, which numbers each name on first use ($1, $2, …); `values(args)` lists the values
 * in that order. The text never changes, so it can be a named prepared statement, and callers
 * pass one object instead of a positional array.
 */
export interface NamedStatement<T> {
  text: string;
  /** The names in $n order. */
  names: readonly (keyof T & string)[];
  values(args: T): unknown[];
}

export function namedStatement<T>(build: (p: (name: keyof T & string) => string) => string): NamedStatement<T> {
  const names: (keyof T & string)[] = [];
  const text = build((name) => {
    const at = names.indexOf(name);
    return `$${at >= 0 ? at + 1 : names.push(name)}`;
  });
  return { text, names, values: (args) => names.map((n) => args[n]) };
}
