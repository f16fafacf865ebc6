import { BlockList, isIP } from 'node:net';

/**
 * Addresses and CIDR ranges (comma-separated, IPv4 or IPv6) as a matcher of a connection's
 * remote address. IPv4 addresses seen as IPv6 (`::ffff:a.b.c.d`) match their IPv4 entries.
 */
export function parseAllowList(spec: string | undefined): ((address: string | undefined) => boolean) | undefined {
  const entries = (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const family = isIP(address);
    if (!family) throw new Error(`${entry} is not an IP address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(address, type);
    } else {
      const prefix = Number(bits);
      if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`${entry} has a bad prefix length`);
      list.addSubnet(address, prefix, type);
    }
  }
  return (remote) => {
    if (!remote) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote);
    const address = mapped ? mapped[1] : remote;
    const family = isIP(address);
    if (!family) return false;
    return list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}
