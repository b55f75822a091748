import { UPLOAD_LIMITS } from '@gridline/shared';

/** Photos leave the device at most this many pixels on their long side, as JPEG. */
export const PHOTO_MAX_EDGE = 1600;
const JPEG_QUALITY = 0.82;

function loadImage(file: Blob): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('not a decodable image'));
    };
    img.src = url;
  });
}

/** The size to draw at: the long edge at most `maxEdge`, the aspect ratio kept, never upscaled. */
export function fitWithin(width: number, height: number, maxEdge = PHOTO_MAX_EDGE): { width: number; height: number } {
  const ratio = Math.min(1, maxEdge / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * ratio)), height: Math.max(1, Math.round(height * ratio)) };
}

/**
 * Downscales a camera photo on the device (a phone photo is 3–8 MB; this makes it ~300 KB) so
 * it uploads on a weak network. An image the browser cannot decode is kept as it is when the
 * server would take it; the server sniffs and refuses anything else.
 */
export async function downscalePhoto(file: Blob): Promise<Blob> {
  let img: HTMLImageElement;
  try {
    img = await loadImage(file);
  } catch {
    return file;
  }
  const { width, height } = fitWithin(img.naturalWidth, img.naturalHeight);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return file;
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
  if (!blob) return file;
  // A small PNG screenshot may come out larger as JPEG: keep the smaller one of what the server accepts.
  return blob.size < file.size || !(UPLOAD_LIMITS.mimeTypes as readonly string[]).includes(file.type) ? blob : file;
}
