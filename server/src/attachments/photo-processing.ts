import sharp, { type FormatEnum, type SharpOptions } from 'sharp';
import { UPLOAD_LIMITS } from '@gridline/shared';
import { AppException } from '../common/app.exception';

export type PhotoMimeType = (typeof UPLOAD_LIMITS.mimeTypes)[number];

/** A photo as it is stored: re-encoded, oriented, with no metadata, and its thumbnail. */
export interface ProcessedPhoto {
  mimeType: PhotoMimeType;
  bytes: Buffer;
  width: number;
  height: number;
  /** WebP, at most `UPLOAD_LIMITS.thumbEdge` pixels on its longest side. */
  thumb: Buffer;
}

export const THUMB_MIME_TYPE = 'image/webp';

// libvips' operation cache keeps decoded images around for reuse; uploads are never processed twice.
sharp.cache(false);

const FORMAT_OF: Record<PhotoMimeType, keyof FormatEnum> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Decoding options for every upload: never more pixels than the limit, and no half-broken files. */
const INPUT: SharpOptions = { limitInputPixels: UPLOAD_LIMITS.maxPixels, failOn: 'error', sequentialRead: true };

/**
 * Re-encodes an uploaded photo in its own format. The EXIF orientation is applied to the pixels
 * first; then everything else the camera wrote — EXIF (GPS, time, device), XMP, IPTC, maker notes,
 * comments and the ICC profile (the pixels are converted to sRGB) — is left behind, because sharp
 * writes no metadata unless asked to. Sizes are checked from the header before any pixel is
 * decoded, so a small file declaring a huge image (a decompression bomb) costs nothing.
 */
export async function processPhoto(source: string | Buffer, mimeType: PhotoMimeType, index: number): Promise<ProcessedPhoto> {
  const label = `Photo ${index + 1}`;
  // The header alone, with no pixel limit, so that an oversized image is named as such.
  const header = await sharp(source, { ...INPUT, limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw new AppException('UNSUPPORTED_MEDIA_TYPE', `${label} could not be read as an image`, { index });
    });
  if (header.format !== FORMAT_OF[mimeType]) {
    throw new AppException('UNSUPPORTED_MEDIA_TYPE', `${label} is not the image its first bytes announce`, { index });
  }
  const { width, height } = header;
  if (Math.max(width, height) > UPLOAD_LIMITS.maxDimension || width * height > UPLOAD_LIMITS.maxPixels) {
    throw new AppException(
      'IMAGE_TOO_LARGE',
      `${label} is ${width}×${height} pixels; at most ${UPLOAD_LIMITS.maxDimension} pixels a side and ${UPLOAD_LIMITS.maxPixels} in all`,
      { index, width, height },
    );
  }
  try {
    const edge = UPLOAD_LIMITS.storedMaxEdge;
    const pipeline = sharp(source, INPUT).rotate().resize(edge, edge, { fit: 'inside', withoutEnlargement: true });
    const encoded =
      mimeType === 'image/jpeg'
        ? pipeline.jpeg({ quality: 85 })
        : mimeType === 'image/png'
          ? pipeline.png()
          : pipeline.webp({ quality: 85 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    // From the source, not the re-encoded photo: a JPEG is then decoded at 1/8 scale (shrink-on-load).
    const thumb = await thumbnailOf(source);
    return { mimeType, bytes: data, width: info.width, height: info.height, thumb };
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) {
      throw new AppException('IMAGE_TOO_LARGE', `${label} has more than ${UPLOAD_LIMITS.maxPixels} pixels`, { index });
    }
    throw new AppException('UNSUPPORTED_MEDIA_TYPE', `${label} could not be decoded as an image`, { index });
  }
}

/** The thumbnail of a photo whose size was already checked: upright, no metadata, WebP. */
function thumbnailOf(photo: string | Buffer): Promise<Buffer> {
  const edge = UPLOAD_LIMITS.thumbEdge;
  return sharp(photo, INPUT).rotate().resize(edge, edge, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
}
