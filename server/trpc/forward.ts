import { TRPCError } from '@trpc/server';
import { FORWARDED_HEADER } from '../http/forward';
import { FORWARD_PROOF_HEADER, signForward } from '../http/forward-proof';

/** Runs a dashboard call in the process that owns the session (set when that is another one). */
export type ForwardCall = <T>(path: string) => Promise<T>;

interface ForwardTarget {
  ownerUrl: string;
  type: 'query' | 'mutation' | 'subscription';
  input: unknown;
  cookie: string | null;
  selfId: string;
  /** The sign-in secret every process shares: signs the forwarded-by proof. */
  secret: string;
}

const TIMEOUT_MS = 120_000;

/**
 * Repeats a tRPC call on the owner process, as the same signed-in account (its cookie), and
 * returns that process's answer or throws its error. The owner accepts the cookie because every
 * process derives the same sign-in secret; the forwarded-by header stops a second hop.
 */
export function forwarder(target: ForwardTarget): ForwardCall {
  return async <T>(path: string): Promise<T> => {
    const url = new URL(`/api/trpc/${path}`, target.ownerUrl);
    const headers: Record<string, string> = {
      [FORWARDED_HEADER]: target.selfId,
      [FORWARD_PROOF_HEADER]: signForward(target.secret, target.selfId, `trpc ${path}`),
      origin: url.origin,
    };
    if (target.cookie) headers.cookie = target.cookie;
    let res: Response;
    try {
      if (target.type === 'mutation') {
        headers['content-type'] = 'application/json';
        res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(target.input ?? null), signal: AbortSignal.timeout(TIMEOUT_MS) });
      } else {
        if (target.input !== undefined) url.searchParams.set('input', JSON.stringify(target.input));
        res = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
      }
    } catch (error) {
      throw new TRPCError({
        code: 'SERVICE_UNAVAILABLE',
        message: `the WaGo process that runs this session is unreachable (${(error as Error).message}); retry shortly, another process takes the session over when its lease expires`,
        cause: error,
      });
    }
    const body = (await res.json()) as { result?: { data: T }; error?: { message: string; data?: { code?: TRPCError['code'] } } };
    if (body.error) throw new TRPCError({ code: body.error.data?.code ?? 'INTERNAL_SERVER_ERROR', message: body.error.message });
    if (!body.result) throw new TRPCError({ code: 'BAD_GATEWAY', message: `the owning process answered ${res.status} without a result` });
    return body.result.data;
  };
}
