import fc from 'fast-check';
import { DuplicateKeys, RawNumber, type FuzzValue } from './json-text';

/** Numbers a database column or a JavaScript number does not hold the way the code expects. */
export const hostileNumber: fc.Arbitrary<FuzzValue> = fc.oneof(
  fc.constantFrom<FuzzValue>(
    0,
    -1,
    -2_147_483_648,
    2_147_483_647,
    2_147_483_648,
    4_294_967_296,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 63),
    1e21,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    1.5,
    0.1,
    -0.5,
    new RawNumber('1e400'),
    new RawNumber('-1e400'),
    new RawNumber('-0'),
    new RawNumber('1E3'),
    new RawNumber('123456789012345678901234567890'),
    new RawNumber('9223372036854775808'),
    new RawNumber('1e-400'),
    'NaN',
    'Infinity',
    '-Infinity',
    '1e3',
    '0x10',
    ' 1',
    '1 ',
    '١٢',
    '99999999999999999999',
  ),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => new RawNumber(n.toString())),
);

/** Text PostgreSQL, a log line or a renderer may choke on. */
export const hostileString: fc.Arbitrary<FuzzValue> = fc.oneof(
  fc.constantFrom<FuzzValue>(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '井盖\u0000缺失',
    '\u0001\u0002\u001b[31m\u007f',
    '\u0008\u000b\u000c',
    '\ud800',
    'x\udfffy',
    '\udbff\udbff',
    '\u202eevil',
    '\ufeff',
    '\uffff\ufffe',
    '%00',
    "'; DROP TABLE issues; --",
    '\\',
    '%_',
    '${7*7}{{7*7}}',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    'NaN',
    'null',
    'true',
    '1e400',
    '2147483648',
    '𠮷'.repeat(2001),
    'a'.repeat(2001),
    'b'.repeat(70_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
);

/** Values of the wrong type or shape for any field. */
export const wrongShape: fc.Arbitrary<FuzzValue> = fc.oneof(
  fc.constantFrom<FuzzValue>(null, true, false, [], {}, [1, 2], { a: { b: 1 } }, [[[[[[]]]]]], { __proto__: 1 } as FuzzValue),
  fc.constant(null).map(() => nested(200)),
  fc.constant(null).map(
    () =>
      new DuplicateKeys([
        ['k', 1],
        ['k', 'x'],
      ]),
  ),
);

function nested(depth: number): FuzzValue {
  let v: FuzzValue = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

export const anyHostile: fc.Arbitrary<FuzzValue> = fc.oneof(hostileNumber, hostileString, wrongShape);

/** Whole bodies sent as raw bytes with a content type: what parsing itself must survive. */
export interface RawBody {
  name: string;
  contentType?: string;
  bytes: Buffer;
}

const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const wideObject = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;

export const rawBodies: fc.Arbitrary<RawBody> = fc.constantFrom<RawBody>(
  { name: 'deep array 64', contentType: 'application/json', bytes: Buffer.from(deepArray(64)) },
  { name: 'deep array 100000', contentType: 'application/json', bytes: Buffer.from(deepArray(100_000)) },
  { name: 'deep object 5000', contentType: 'application/json', bytes: Buffer.from(deepObject(5000)) },
  { name: 'deep object value', contentType: 'application/json', bytes: Buffer.from(`{"note":${deepObject(3000)},"version":1}`) },
  { name: 'wide object', contentType: 'application/json', bytes: Buffer.from(wideObject(20_000)) },
  { name: 'wide array', contentType: 'application/json', bytes: Buffer.from(`[${'1,'.repeat(60_000)}1]`) },
  { name: '1 MB string', contentType: 'application/json', bytes: Buffer.from(`{"description":"${'x'.repeat(1 << 20)}"}`) },
  {
    name: 'invalid UTF-8',
    contentType: 'application/json',
    bytes: Buffer.from([...Buffer.from('{"description":"'), 0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, ...Buffer.from('"}')]),
  },
  { name: 'UTF-16 JSON', contentType: 'application/json', bytes: Buffer.from('{"version":1}', 'utf16le') },
  { name: 'BOM JSON', contentType: 'application/json', bytes: Buffer.from('\ufeff{"version":1}') },
  {
    name: 'proto pollution',
    contentType: 'application/json',
    bytes: Buffer.from('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'),
  },
  { name: 'duplicate keys', contentType: 'application/json', bytes: Buffer.from('{"version":1,"version":"x","note":"a","note":null}') },
  { name: 'NUL escape in key', contentType: 'application/json', bytes: Buffer.from('{"a\\u0000b":1}') },
  { name: 'empty JSON', contentType: 'application/json', bytes: Buffer.alloc(0) },
  { name: 'JSON null', contentType: 'application/json', bytes: Buffer.from('null') },
  { name: 'JSON number', contentType: 'application/json', bytes: Buffer.from('1e400') },
  { name: 'truncated JSON', contentType: 'application/json', bytes: Buffer.from('{"version":') },
  { name: 'charset latin1', contentType: 'application/json; charset=latin1', bytes: Buffer.from('{"version":1}') },
  { name: 'text/plain', contentType: 'text/plain', bytes: Buffer.from('{"version":1}') },
  { name: 'form-urlencoded', contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from('version=1&note=a') },
  { name: 'XML', contentType: 'application/xml', bytes: Buffer.from('<a/>') },
  { name: 'no content type', bytes: Buffer.from('{"version":1}') },
  { name: 'multipart without boundary', contentType: 'multipart/form-data', bytes: Buffer.from('--x\r\n\r\n') },
  {
    name: 'multipart broken',
    contentType: 'multipart/form-data; boundary=zz',
    bytes: Buffer.from('--zz\r\nContent-Disposition: form-data; name="data"\r\n\r\n{"version":1}\r\n--zz'),
  },
);
