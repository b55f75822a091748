import fc from 'fast-check';
import { anyHostile, hostileNumber, hostileString, wrongShape } from './hostile';
import type { FuzzValue } from './json-text';

/** The part of an OpenAPI 3 schema the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  format?: string;
  example?: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface OperationObject {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One route of the document, as the fuzzer drives it. */
export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /api/v1/issues/{id}. */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  jsonBody?: Schema;
  multipart: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        jsonBody: content['application/json']?.schema,
        multipart: 'multipart/form-data' in content,
      });
    }
  }
  return ops;
}

/** Turns schemas into fast-check arbitraries: valid-shaped values, with hostile leaves mixed in. */
export class SchemaArbitraries {
  constructor(private readonly doc: OpenApiDocument) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; s.$ref && i < 20; i++) {
      const name = s.$ref.replace('#/components/schemas/', '');
      const next = this.doc.components?.schemas?.[name];
      if (!next) throw new Error(`unknown schema ${s.$ref}`);
      s = next;
    }
    if (s.allOf) {
      const parts = s.allOf.map((p) => this.resolve(p));
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    return s;
  }

  /**
   * Values of `schema`; `hostility` is the weight (0–100) of a hostile value at each leaf.
   * Depth is bounded so recursive schemas terminate.
   */
  value(schema: Schema, hostility: number, depth = 0): fc.Arbitrary<FuzzValue> {
    const s = this.resolve(schema);
    const valid = this.valid(s, hostility, depth);
    const hostile = this.hostileFor(s);
    const withNull = s.nullable ? fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(null) }) : valid;
    if (hostility <= 0) return withNull;
    if (hostility >= 100) return hostile;
    return fc.oneof({ weight: 100 - hostility, arbitrary: withNull }, { weight: hostility, arbitrary: hostile });
  }

  hostileFor(schema: Schema): fc.Arbitrary<FuzzValue> {
    const s = this.resolve(schema);
    if (s.type === 'integer' || s.type === 'number')
      return fc.oneof({ weight: 4, arbitrary: hostileNumber }, { weight: 1, arbitrary: wrongShape });
    if (s.type === 'string') return fc.oneof({ weight: 4, arbitrary: hostileString }, { weight: 1, arbitrary: wrongShape });
    return anyHostile;
  }

  private valid(s: Schema, hostility: number, depth: number): fc.Arbitrary<FuzzValue> {
    if (s.oneOf || s.anyOf) return fc.oneof(...(s.oneOf ?? s.anyOf)!.map((o) => this.value(o, hostility, depth)));
    if (s.enum?.length) return fc.constantFrom(...(s.enum as FuzzValue[]));
    switch (s.type) {
      case 'integer':
        return fc.integer({ min: s.minimum ?? 1, max: Math.min(s.maximum ?? 2_000, 2_147_483_647) });
      case 'number':
        return fc.double({ min: s.minimum ?? -180, max: s.maximum ?? 180, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'string':
        return this.validString(s);
      case 'array': {
        if (depth > 4) return fc.constant([]);
        return fc.array(this.value(s.items ?? {}, hostility, depth + 1), { maxLength: Math.min(s.maxItems ?? 4, 4) });
      }
      case 'object':
      default: {
        if (!s.properties || depth > 4) return s.example !== undefined ? fc.constant(s.example as FuzzValue) : fc.constant({});
        return this.object(s, hostility, depth);
      }
    }
  }

  private validString(s: Schema): fc.Arbitrary<string> {
    if (s.format === 'date-time')
      return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    if (s.format === 'date')
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    const text = fc.string({ minLength: s.minLength ?? 1, maxLength: Math.min(s.maxLength ?? 30, 30), unit: 'grapheme' });
    return typeof s.example === 'string' ? fc.oneof(fc.constant(s.example), text) : text;
  }

  private object(s: Schema, hostility: number, depth: number): fc.Arbitrary<FuzzValue> {
    const props = s.properties ?? {};
    const required = new Set(s.required ?? []);
    const entries = Object.entries(props).map(([k, v]) => [k, this.value(v, hostility, depth + 1)] as const);
    return fc.record(Object.fromEntries(entries), { requiredKeys: [...required].filter((k) => k in props) }) as fc.Arbitrary<FuzzValue>;
  }

  /** A valid-shaped object with exactly one top-level field made hostile, or one unknown field added. */
  oneHostileField(schema: Schema): fc.Arbitrary<FuzzValue> {
    const s = this.resolve(schema);
    const keys = Object.keys(s.properties ?? {});
    const base = this.value(s, 0);
    if (!keys.length) return base;
    return fc.tuple(base, fc.constantFrom(...keys, '__unknown__'), anyHostile).chain(([obj, key, generic]) =>
      (key === '__unknown__' ? fc.constant(generic) : this.hostileFor(s.properties![key]!)).map((hostile) => {
        const copy = { ...(obj as Record<string, FuzzValue>) };
        copy[key === '__unknown__' ? 'extra' : key] = hostile;
        return copy as FuzzValue;
      }),
    );
  }
}
