import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A real, decodable PNG (a colour gradient), as a phone camera would hand the page a real
 * image: the dashboard decodes and downscales it on a canvas before upload.
 */
export function realPng(width = 64, height = 48): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([(x * 255) / width, (y * 255) / height, 128], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 16×16 baseline JPEG (a colour gradient), made once with sharp. */
const TINY_JPEG = Buffer.from(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABgf/xAAaEAABBQEAAAAAAAAAAAAAAAAABQYiMqEx/8QAFQEBAQAAAAAAAAAAAAAAAAAAAQP/xAAaEQACAgMAAAAAAAAAAAAAAAAABgQhBTEy/9oADAMBAAIRAxEAPwCVJLdrDBmkt3kMGKS3awwZpLdrDCs7ObsFVj5s/9k=',
  'base64',
);

/**
 * A real, decodable JPEG of exactly `size` bytes: the tiny JPEG with comment (COM) segments after
 * its start marker. Bytes 6 onwards are comment text, so callers may write into them to make
 * each photo's bytes unique.
 */
export function paddedJpeg(size: number, fill = 0x11): Buffer {
  let rest = size - TINY_JPEG.length;
  if (rest !== 0 && rest < 4) throw new Error(`A padded JPEG is ${TINY_JPEG.length} bytes or at least ${TINY_JPEG.length + 4}`);
  const segments: Buffer[] = [];
  while (rest > 0) {
    let payload = Math.min(65533, rest - 4);
    if (rest - 4 - payload > 0 && rest - 4 - payload < 4) payload -= 4;
    const segment = Buffer.alloc(4 + payload, fill);
    segment.set([0xff, 0xfe], 0);
    segment.writeUInt16BE(payload + 2, 2);
    segments.push(segment);
    rest -= segment.length;
  }
  return Buffer.concat([TINY_JPEG.subarray(0, 2), ...segments, TINY_JPEG.subarray(2)]);
}

/** A real, decodable 8×8 PNG of exactly `size` bytes, padded with a text chunk after its header. */
export function paddedPng(size: number, fill = 0x22): Buffer {
  const png = realPng(8, 8);
  const ihdrEnd = 8 + 25;
  const text = size - png.length - 12 - 8;
  if (text < 0) throw new Error(`A padded PNG is at least ${png.length + 20} bytes`);
  const padding = chunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.alloc(text, fill)]));
  return Buffer.concat([png.subarray(0, ihdrEnd), padding, png.subarray(ihdrEnd)]);
}

/**
 * A PNG of a few hundred bytes whose header declares `width`×`height` pixels, with one row of
 * image data: a decompression bomb, as far as a decoder that trusts the header is concerned.
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1 + width))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
