import ipaddr from 'ipaddr.js';

/**
 * Whether an IP address is public (globally routable unicast). Loopback, private, link-local,
 * carrier-grade NAT, multicast, reserved, unique-local, documentation ranges and IPv6 forms that
 * embed an IPv4 address (mapped, 6to4, Teredo, NAT64) are not; IPv4-mapped IPv6 is judged as IPv4.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

/** Host part of a URL without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}
