import sharp from 'sharp';

const MAKE = 'GridlinePhone';
const MODEL = 'GP-1 worker-17';

/**
 * A photo as a phone camera writes it: 40×20 pixels stored sideways (left half red, right half
 * blue) with EXIF orientation 6, so it shows 20×40 with red on top; EXIF with make, model, time
 * and a GPS position; an XMP packet repeating the position; a Display P3 ICC profile.
 */
export async function cameraPhoto(format: 'jpeg' | 'png' | 'webp' = 'jpeg'): Promise<Buffer> {
  const width = 40;
  const height = 20;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [230, 20, 20] : [20, 20, 230], (y * width + x) * 3);
  const xmp =
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="31,13.07N" exif:GPSLongitude="121,28.05E"/>' +
    '</rdf:RDF></x:xmpmeta>';
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .withExif({
      IFD0: { Make: MAKE, Model: MODEL },
      IFD2: { DateTimeOriginal: '2026:12:05 08:00:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 4/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 3/1' },
    })
    .withMetadata({ orientation: 6 })
    .withXmp(xmp)
    .withIccProfile('p3')
    .toBuffer();
}

/** Every trace of metadata found in an image, by sharp's reading and by scanning its bytes; [] for a clean one. */
export async function metadataIn(bytes: Buffer): Promise<string[]> {
  const meta = await sharp(bytes).metadata();
  const found: string[] = [];
  if (meta.exif) found.push('EXIF block');
  if (meta.xmp) found.push('XMP packet');
  if (meta.iptc) found.push('IPTC block');
  if (meta.icc) found.push('ICC profile');
  if (meta.comments?.length) found.push('comments');
  if (meta.orientation !== undefined && meta.orientation !== 1) found.push(`orientation ${meta.orientation}`);
  for (const marker of ['Exif\0', 'http://ns.adobe.com', 'GPS', MAKE, MODEL, '2026:12:05', 'ICC_PROFILE', 'eXIf', 'iCCP']) {
    if (bytes.includes(marker, 0, 'latin1')) found.push(`bytes "${marker.replace('\0', '\\0')}"`);
  }
  return found;
}

/** The RGB of the top-left and bottom-left pixels. */
export async function cornerColours(bytes: Buffer): Promise<{ width: number; height: number; top: number[]; bottom: number[] }> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (row: number) => [...data.subarray(row * info.width * 3, row * info.width * 3 + 3)];
  return { width: info.width, height: info.height, top: at(0), bottom: at(info.height - 1) };
}
