const RAW = Symbol.for('wago.rawBody');

/** A handler's answer sent as it is (not in the JSON envelope), e.g. Prometheus text. */
export interface RawBody {
  readonly [RAW]: true;
  readonly body: string;
  readonly contentType: string;
}

export function rawBody(body: string, contentType: string): RawBody {
  return { [RAW]: true, body, contentType };
}

export function isRawBody(value: unknown): value is RawBody {
  return typeof value === 'object' && value !== null && (value as Partial<RawBody>)[RAW] === true;
}
