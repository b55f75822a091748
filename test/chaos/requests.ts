import fc from 'fast-check';
import { fakeJpeg, fakePng } from '../support/api-client';
import { hostileNumber, hostileString, rawBodies } from './hostile';
import { toJsonText, toText, type FuzzValue } from './json-text';
import type { Operation, SchemaArbitraries } from './openapi';
import type { SentRequest } from './harness';

/** Percent-encodes text; lone surrogates (which encodeURIComponent refuses) become the invalid UTF-8 a raw client could send. */
export function encode(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code >= 0xd800 && code <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(ch);
  }
  return out;
}

const RAW_PATH_SEGMENTS = ['%FF', '%00', '%ED%A0%80', '%2e%2e', '1%2F2', '%', '1;2', '1%0A', '+1', '01', '0001'];

export interface Identity {
  label: string;
  authorization?: string;
}

export interface RequestContext {
  arbitraries: SchemaArbitraries;
  identities: Identity[];
  /** Ids that exist, by the path segment before `{id}` (issues, users, regions…), so refusals deeper than the pipes are reached. */
  realIds: (path: string) => number[];
}

function pathValue(op: Operation, name: string, ctx: RequestContext): fc.Arbitrary<string> {
  const param = op.pathParams.find((p) => p.name === name);
  const schema = ctx.arbitraries.resolve(param?.schema ?? {});
  const real = ctx.realIds(op.path);
  const hostile = fc.oneof(
    fc.constantFrom(...RAW_PATH_SEGMENTS),
    fc.oneof(hostileNumber, hostileString).map((v) => encode(toText(v))),
  );
  const valid: fc.Arbitrary<string> = schema.enum?.length
    ? fc.constantFrom(...schema.enum.map(String))
    : real.length
      ? fc.constantFrom(...real.map(String))
      : fc.integer({ min: 1, max: 50 }).map(String);
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: hostile });
}

function query(op: Operation, ctx: RequestContext): fc.Arbitrary<string> {
  if (!op.queryParams.length) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: hostileString.map((v) => `?x=${encode(toText(v))}`) },
    );
  }
  const param = fc.constantFrom(...op.queryParams);
  const pair = fc
    .tuple(param, fc.integer({ min: 0, max: 9 }))
    .chain(([p, roll]) =>
      (roll < 6 ? ctx.arbitraries.value(p.schema ?? {}, 0) : ctx.arbitraries.hostileFor(p.schema ?? {})).map(
        (v: FuzzValue) => `${encode(p.name)}=${encode(Array.isArray(v) ? v.map(toText).join(',') : toText(v))}`,
      ),
    );
  const extra = fc.constantFrom('__proto__[x]=1', 'constructor=1', 'page=1&page=2', 'q', '=1', '%FF=%FF', 'a[b][c][d][e][f]=1');
  return fc.tuple(fc.array(pair, { maxLength: 4 }), fc.option(extra, { freq: 4 })).map(([pairs, x]) => {
    const all = x ? [...pairs, x] : pairs;
    return all.length ? `?${all.join('&')}` : '';
  });
}

interface BodyPart {
  headers: Record<string, string>;
  body?: Buffer;
  label: string;
}

const json = (v: FuzzValue): BodyPart => ({
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(toJsonText(v)),
  label: 'json',
});

/** A multipart body written by hand: parts with hostile names, filenames, types and bytes. */
function multipartBody(parts: { name: string; filename?: string; type?: string; bytes: Buffer }[]): BodyPart {
  const boundary = 'fuzz0boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const type = p.type ? `\r\nContent-Type: ${p.type}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`, 'utf8'), p.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks), label: 'multipart' };
}

function multipart(op: Operation, ctx: RequestContext): fc.Arbitrary<BodyPart> {
  const data = op.jsonBody ? ctx.arbitraries.oneHostileField(op.jsonBody) : fc.constant({});
  const photo = fc.record({
    name: fc.constantFrom('photos', 'photos', 'photo', 'data', 'x\u0000'),
    filename: fc.constantFrom('a.jpg', '../../etc/passwd', 'a\u0000.jpg', '', 'x'.repeat(5000), '井盖.png', 'a"b.jpg'),
    type: fc.constantFrom('image/jpeg', 'image/png', 'text/html', 'application/octet-stream', ''),
    bytes: fc.oneof(
      fc.constant(fakeJpeg()),
      fc.constant(fakePng()),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.constant(Buffer.alloc(0)),
    ),
  });
  return fc.tuple(data, fc.array(photo, { maxLength: 3 }), fc.constantFrom('json', 'text', 'raw')).map(([value, photos, how]) =>
    multipartBody([
      {
        name: 'data',
        bytes: how === 'raw' ? Buffer.from([0xff, 0x00, 0xfe]) : Buffer.from(how === 'json' ? toJsonText(value) : toText(value)),
      },
      ...photos,
    ]),
  );
}

function body(op: Operation, ctx: RequestContext): fc.Arbitrary<BodyPart> {
  if (op.method === 'GET' || op.method === 'DELETE') return fc.constant({ headers: {}, label: 'none' });
  const schema = op.jsonBody;
  const raw = rawBodies.map((r): BodyPart => ({
    headers: r.contentType ? { 'content-type': r.contentType } : {},
    body: r.bytes,
    label: r.name,
  }));
  const options: fc.WeightedArbitrary<BodyPart>[] = [{ weight: 2, arbitrary: raw }];
  if (schema) {
    options.push({ weight: 4, arbitrary: ctx.arbitraries.oneHostileField(schema).map(json) });
    options.push({ weight: 3, arbitrary: ctx.arbitraries.value(schema, 30).map(json) });
    options.push({ weight: 1, arbitrary: ctx.arbitraries.value(schema, 0).map(json) });
  } else {
    options.push({ weight: 1, arbitrary: fc.constant({ headers: {}, label: 'none' }) });
  }
  options.push({ weight: op.multipart ? 3 : 1, arbitrary: multipart(op, ctx) });
  return fc.oneof(...options);
}

/** Requests to one route: every path parameter, query, body and identity drawn at once. */
export function requestsFor(op: Operation, ctx: RequestContext): fc.Arbitrary<SentRequest> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const params = fc.tuple(...names.map((n) => pathValue(op, n, ctx)));
  return fc.tuple(params, query(op, ctx), body(op, ctx), fc.constantFrom(...ctx.identities)).map(([values, q, b, who]) => {
    let url = op.path;
    names.forEach((n, i) => (url = url.replace(`{${n}}`, values[i]!)));
    const headers: Record<string, string> = { ...b.headers };
    if (who.authorization !== undefined) headers.authorization = who.authorization;
    return { method: op.method, url: url + q, headers, body: b.body, label: `${who.label}, ${b.label}` };
  });
}
