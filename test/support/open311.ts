import { XMLParser } from 'fast-xml-parser';
import { DEMO_OPEN311_KEY } from '@gridline/shared';

export { DEMO_OPEN311_KEY };

export interface Open311Response<T = any> {
  status: number;
  contentType: string;
  text: string;
  /** JSON parsed, or the XML parsed into plain objects (every leaf a string). */
  body: T;
}

/**
 * A real XML parser, set up so that its output can be compared with the JSON: leaves stay text,
 * empty elements become "", and the list elements GeoReport v2 repeats are always arrays.
 */
const xml = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name, jpath) =>
    ['service', 'request', 'error', 'endpoint', 'format', 'attribute', 'value'].includes(name) &&
    !/\.(service_definition|discovery)$/.test(String(jpath)) &&
    String(jpath).split('.').length > 1,
});

export function parseXml(text: string): any {
  return xml.parse(text, true);
}

/** Sends a request to the Open311 endpoint; the body is form-encoded unless `json` or `raw` says otherwise. */
export async function open311(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  opts: {
    form?: Record<string, string>;
    json?: unknown;
    raw?: Buffer | string;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Open311Response> {
  const headers: Record<string, string> = { ...opts.headers };
  let body: string | Buffer | undefined;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.raw !== undefined) {
    body = opts.raw;
  }
  if (opts.contentType) headers['content-type'] = opts.contentType;
  const res = await fetch(`${baseUrl}/open311/v2/${path}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  const parsed = path.split('?')[0]!.endsWith('.xml') ? parseXml(text) : text ? JSON.parse(text) : null;
  return { status: res.status, contentType, text, body: parsed };
}

/** A JSON value as the XML parser sees it: every leaf a string, null an empty string. */
export function asXmlText(value: unknown): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(asXmlText);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, asXmlText(v)]));
  return String(value);
}
