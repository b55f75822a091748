/**
 * JSON values the fuzzer sends, with two things JSON.stringify cannot write: literal number
 * tokens (`1e400`, `-0`, 30-digit integers) and objects with duplicate keys.
 */
export class RawNumber {
  constructor(readonly text: string) {}
}

export class DuplicateKeys {
  constructor(readonly entries: [string, FuzzValue][]) {}
}

export type FuzzValue = null | boolean | number | string | RawNumber | DuplicateKeys | FuzzValue[] | { [key: string]: FuzzValue };

/** Serialises a fuzz value as JSON text, literal numbers and duplicate keys included. */
export function toJsonText(value: FuzzValue): string {
  if (value instanceof RawNumber) return value.text;
  if (value instanceof DuplicateKeys) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  }
  // JSON.stringify writes NaN/Infinity as null and escapes lone surrogates (\ud800): both are what a client would send.
  return JSON.stringify(value) ?? 'null';
}

/** The value as a query-string or path text. */
export function toText(value: FuzzValue): string {
  if (value instanceof RawNumber) return value.text;
  if (typeof value === 'string') return value;
  return toJsonText(value);
}
