import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError } from './errors';
import { FORWARD_PROOF_HEADER, signForward } from './forward-proof';

export const FORWARDED_HEADER = 'x-wago-forwarded-by';

/**
 * Passes a REST call on to the WaGo process that runs the session (it holds the session's
 * lease). The body is streamed through untouched; the owner's answer goes back as it is.
 */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, ownerUrl: string, selfId: string, secret: string): Promise<void> {
  const target = new URL(req.url ?? '/', ownerUrl);
  const proof = signForward(secret, selfId, `${req.method} ${req.url ?? '/'}`);
  return new Promise((resolve, reject) => {
    const upstream = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host, [FORWARDED_HEADER]: selfId, [FORWARD_PROOF_HEADER]: proof }, timeout: 120_000 },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', (error) => {
      if (res.headersSent) return reject(error);
      reject(new ApiError(503, `the WaGo process that runs this session is unreachable (${error.message}); retry shortly, another process takes the session over when its lease expires`));
    });
    req.pipe(upstream);
  });
}
