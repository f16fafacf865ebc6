import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { bareHost, isPublicAddress } from './public-address';
import { formatBytes } from './media-kinds';

export interface SafeFetchOptions {
  /** Allow hosts that resolve to private, loopback, link-local or other non-public addresses. */
  allowPrivate: boolean;
  /** Whether a URL's host is trusted whatever its address (e.g. WhatsApp's media hosts, the configured emulator). */
  trustedHost?: (url: URL) => boolean;
  maxBytes: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** Extra CA (PEM) trusted for https, on top of the public roots. */
  extraCa?: string;
  headers?: Record<string, string>;
  /** DNS resolution (default: the system resolver, all addresses); replaceable in tests. */
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

export interface Fetched {
  data: Buffer;
  /** The content-type the server declared, if any. */
  contentType: string | undefined;
  finalUrl: string;
}

/** A refusal or failure whose message is safe to show (the caller prefixes the field name). */
export class FetchRefused extends Error {
  constructor(
    message: string,
    readonly kind: 'refused' | 'failed' | 'too-large',
  ) {
    super(message);
    this.name = 'FetchRefused';
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_REDIRECTS = 5;

type Pinned = { address: string; family: 4 | 6 };

/** Resolves the host once and checks every address; answers the addresses to connect to, in order. */
async function checkedAddresses(url: URL, opts: SafeFetchOptions): Promise<Pinned[]> {
  const host = bareHost(url);
  const trusted = opts.allowPrivate || (opts.trustedHost?.(url) ?? false);
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await (opts.resolve ?? ((h: string) => lookup(h, { all: true, verbatim: true })))(host);
    } catch (error) {
      throw new FetchRefused(`could not resolve host ${host} (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`, 'failed');
    }
  }
  if (!addresses.length) throw new FetchRefused(`could not resolve host ${host}`, 'failed');
  if (!trusted) {
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) throw new FetchRefused(`URL resolves to a private address ${blocked.address}`, 'refused');
  }
  return addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/** A lookup that always answers the address already checked: no second DNS answer can change it. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (err: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function requestOnce(url: URL, pinned: Pinned, opts: SafeFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const isHttps = url.protocol === 'https:';
    const common = {
      method: 'GET',
      headers: { 'user-agent': 'WaGo media fetch', accept: '*/*', ...opts.headers },
      lookup: pinnedLookup(pinned.address, pinned.family),
      signal,
      agent: false as const,
    };
    const req = isHttps
      ? httpsRequest(url, { ...common, ...(opts.extraCa ? { ca: [...rootCertificates, opts.extraCa] } : {}) })
      : httpRequest(url, common);
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Tries the checked addresses in order (e.g. ::1 then 127.0.0.1) until one answers. */
async function connectAny(url: URL, addresses: Pinned[], opts: SafeFetchOptions, signal: AbortSignal, timeoutMs: number): Promise<IncomingMessage> {
  let last: unknown;
  for (const pinned of addresses) {
    try {
      return await requestOnce(url, pinned, opts, signal);
    } catch (error) {
      if (signal.aborted) throw new FetchRefused(`download timed out after ${timeoutMs / 1000} s`, 'failed');
      last = error;
    }
  }
  throw new FetchRefused(`download failed: ${(last as Error).message}`, 'failed');
}

async function readCapped(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw new FetchRefused(`file is ${formatBytes(declared)}, larger than ${formatBytes(maxBytes)}`, 'too-large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.destroy();
      throw new FetchRefused(`file is larger than ${formatBytes(maxBytes)}`, 'too-large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * GETs an http(s) URL with SSRF protection: the host is resolved here, every address checked,
 * and the connection made to the checked address (pinned lookup); redirects are followed by hand
 * (each target checked again, at most `maxRedirects`); the body is streamed with a size cap and
 * the whole exchange has a deadline.
 */
export async function safeFetch(rawUrl: string, opts: SafeFetchOptions): Promise<Fetched> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let url = parseHttpUrl(rawUrl);
    for (let redirects = 0; ; redirects++) {
      const res = await connectAny(url, await checkedAddresses(url, opts), opts, controller.signal, timeoutMs);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= (opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS)) throw new FetchRefused(`too many redirects (more than ${opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS})`, 'failed');
        url = parseHttpUrl(new URL(res.headers.location, url).toString());
        continue;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw new FetchRefused(`download failed: HTTP ${status}`, 'failed');
      }
      try {
        const data = await readCapped(res, opts.maxBytes);
        return { data, contentType: res.headers['content-type'], finalUrl: url.toString() };
      } catch (error) {
        if (error instanceof FetchRefused) throw error;
        if (controller.signal.aborted) throw new FetchRefused(`download timed out after ${timeoutMs / 1000} s`, 'failed');
        throw new FetchRefused(`download failed: ${(error as Error).message}`, 'failed');
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Parses an absolute http(s) URL without credentials. */
export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused('not a valid URL', 'refused');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused(`URL scheme ${url.protocol.replace(':', '')} is not allowed (http or https only)`, 'refused');
  if (url.username || url.password) throw new FetchRefused('URL must not contain credentials', 'refused');
  return url;
}
