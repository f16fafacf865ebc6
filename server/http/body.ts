import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from './errors';

/**
 * Reads a JSON request body with a size cap. An empty body is `{}`. The body is parsed as
 * JSON whatever its Content-Type, as existing clients of this API send it.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new ApiError(413, `request body is larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new ApiError(413, `request body is larger than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  if (size === 0) return {};
  const text = Buffer.concat(chunks, size).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('body is not valid JSON');
  }
}
