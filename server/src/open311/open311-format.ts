import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

/** The two representations of every Open311 resource, chosen by the path's extension. */
export type Open311Format = 'json' | 'xml';

export const CONTENT_TYPE: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** A value of an Open311 document: what JSON holds and XML can render as elements. */
export type Open311Value = string | number | boolean | null | Open311Value[] | { [key: string]: Open311Value };

/**
 * How a list is wrapped in XML: the root element and the element of each item. JSON has a bare
 * array instead (GeoReport v2 answers `[...]`, `<service_requests><request>…`).
 */
export interface XmlList {
  root: string;
  item: string;
}

/** XML names of nested lists: `<formats><format>…`, `<attributes><attribute>…`, `<values><value>…`. */
const NESTED_ITEM: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

/** Serialises a list resource: a JSON array, or `<root><item>…</item></root>`. */
export function renderList(format: Open311Format, list: XmlList, items: Record<string, Open311Value>[]): string {
  if (format === 'json') return JSON.stringify(items);
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  const root = doc.ele(list.root);
  for (const item of items) appendObject(root.ele(list.item), item);
  return doc.end({ prettyPrint: false });
}

/** Serialises a single resource: a JSON object, or `<root>…</root>`. */
export function renderObject(format: Open311Format, root: string, value: Record<string, Open311Value>): string {
  if (format === 'json') return JSON.stringify(value);
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  appendObject(doc.ele(root), value);
  return doc.end({ prettyPrint: false });
}

function appendObject(parent: XMLBuilder, value: Record<string, Open311Value>): void {
  for (const [key, v] of Object.entries(value)) appendValue(parent, key, v);
}

function appendValue(parent: XMLBuilder, name: string, value: Open311Value): void {
  if (Array.isArray(value)) {
    const list = parent.ele(name);
    const item = NESTED_ITEM[name] ?? 'item';
    for (const v of value) appendValue(list, item, v);
  } else if (value !== null && typeof value === 'object') {
    appendObject(parent.ele(name), value);
  } else {
    // xmlbuilder2 escapes the text; null is an empty element, as GeoReport v2 examples show.
    parent.ele(name).txt(value === null ? '' : String(value));
  }
}
