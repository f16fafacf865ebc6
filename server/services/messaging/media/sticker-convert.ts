// sharp (libvips) loads with the first image to convert.
const loadSharp = async () => (await import('sharp')).default;

export const STICKER_SIZE = 512;

/** Converts a PNG/JPEG/GIF (first frame) to a 512×512 WebP sticker, the image centred on transparency. */
export async function toWebpSticker(input: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(input, { animated: false })
    .resize(STICKER_SIZE, STICKER_SIZE, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .webp({ quality: 80 })
    .toBuffer();
}

/** Width and height of an image, when sharp can read it. */
export async function imageSize(input: Buffer): Promise<{ width?: number; height?: number }> {
  const sharp = await loadSharp();
  const meta = await sharp(input).metadata();
  return { width: meta.width, height: meta.height };
}
