import type { Config } from '../config';

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** STUN and TURN servers for the browser's WebRTC leg, from WAGO_CALL_STUN_URLS and WAGO_CALL_TURN_*. */
export function iceServers(config: Pick<Config, 'WAGO_CALL_STUN_URLS' | 'WAGO_CALL_TURN_URLS' | 'WAGO_CALL_TURN_USERNAME' | 'WAGO_CALL_TURN_CREDENTIAL'>): IceServer[] {
  const list = (raw: string | undefined) => (raw ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  const servers: IceServer[] = [];
  const stun = list(config.WAGO_CALL_STUN_URLS);
  if (stun.length) servers.push({ urls: stun });
  const turn = list(config.WAGO_CALL_TURN_URLS);
  if (turn.length) servers.push({ urls: turn, username: config.WAGO_CALL_TURN_USERNAME, credential: config.WAGO_CALL_TURN_CREDENTIAL });
  return servers;
}
