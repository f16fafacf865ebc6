import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getUrlFromDirectPath, type WASocket } from 'baileys';
import { prepareImage } from '../messaging/media/prepare-media';

export const PRODUCT_IMAGES_MAX = 10;
const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * Reads each image field (base64, data URL or http(s) URL; an image, checked) and uploads it to
 * WhatsApp's media servers as a `product-catalog-image` (unencrypted, as Baileys' product calls
 * do). All images are read before the first upload, so a bad one uploads nothing. Answers the
 * images' URLs, which the product then names.
 */
export async function uploadProductImages(sock: WASocket, images: string[]): Promise<string[]> {
  const prepared = [];
  for (const [i, image] of images.entries()) prepared.push(await prepareImage(`Images[${i}]`, image));
  const dir = await mkdtemp(join(tmpdir(), 'wago-product-'));
  try {
    const urls: string[] = [];
    for (const [i, image] of prepared.entries()) {
      const file = join(dir, String(i));
      await writeFile(file, image.data);
      const sha = createHash('sha256').update(image.data).digest('base64');
      const { directPath } = await sock.waUploadToServer(file, { mediaType: 'product-catalog-image', fileEncSha256B64: sha, timeoutMs: UPLOAD_TIMEOUT_MS });
      urls.push(getUrlFromDirectPath(directPath));
    }
    return urls;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
